#!/usr/bin/env python3
"""GEOS's public XML test suite as more dissolve cases (issue 11), checked against shapely/GEOS 3.14.

Every <case> of the given GEOS/JTS xmltester files whose <a> (and <b>, if any) are polygonal becomes a dissolve
case: the polygons of A and B as features of one group, whose dissolve must equal shapely's union_all of the same
polygons (classification as in property.py). Coordinates are scaled by a power of two into longitude/latitude
range, which is exact in floating point, so the robustness cases keep their exact geometry.

The XML files are not part of this repository (they are GEOS's); point the script at a checkout:

    python3 Scripts/fuzz/geos_xml.py --bin .build/release/zorgzones GEOS_CHECKOUT/tests/xmltester/tests/**/*.xml
"""
import argparse
import math
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

from shapely import affinity, wkt, wkb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from property import run_cases  # noqa: E402


def polygons_of(g):
    if g is None or g.is_empty:
        return []
    if g.geom_type == "Polygon":
        return [g]
    if g.geom_type == "MultiPolygon":
        return list(g.geoms)
    return None  # not polygonal


def read_geometry(text):
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[0-9A-Fa-f]+", text):
        return wkb.loads(bytes.fromhex(text))
    return wkt.loads(text)


def cases_of(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return
    base = os.path.basename(path)
    for i, case in enumerate(root.iter("case")):
        parts = []
        ok = True
        for tag in ("a", "b"):
            el = case.find(tag)
            if el is None or el.text is None:
                continue
            try:
                g = read_geometry(el.text)
            except Exception:
                ok = False
                break
            polys = polygons_of(g)
            if polys is None:
                ok = False
                break
            parts += polys
        if not ok or not parts:
            continue
        # Scale by a power of two (exact) so that every coordinate is inside longitude/latitude range.
        extent = max(max(abs(c) for c in p.bounds) for p in parts)
        if not math.isfinite(extent):
            continue
        k = 0
        while extent * 2.0 ** -k > 90:
            k += 1
        scaled = [affinity.scale(p, 2.0 ** -k, 2.0 ** -k, origin=(0, 0)) for p in parts] if k else parts
        yield f"{base}-{i}", [("g", p) for p in scaled]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--bin", default="zorgzones")
    ap.add_argument("--precision", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    all_cases = [c for f in a.files for c in cases_of(f)]
    run_cases(a.bin, all_cases, a.precision, tempfile.mkdtemp(prefix="zz-geosxml-"), a.jobs,
              group=lambda name: name.rsplit("-", 1)[0])


if __name__ == "__main__":
    main()
