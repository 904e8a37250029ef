#!/usr/bin/env python3
"""Writes the real-data inputs shared by every tool in the benchmark.

For each layer (ELZ, RZZ, referentieregio) one GeoJSON file: the blocks of the data package, unchanged
(geometry and properties), plus the zone code of that layer as a property (`elz_code`, `rzz_code`,
`rr_code`). Blocks without a zone in that layer (Brussels has no referentieregio) are left out, so that
every tool dissolves exactly the same features and no tool has to decide what a null key means.

Usage: prepare_real.py DATA_DIR OUT_DIR
"""
import csv
import json
import os
import sys


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(data, "blocks.geojson"), encoding="utf-8") as f:
        blocks = json.load(f)
    elz = {r["block_id"]: r["elz_code"] for r in read_csv(os.path.join(data, "elz.csv"))}
    rr_by_nis = {r["nis"]: r["rr_code"] for r in read_csv(os.path.join(data, "referentieregio.csv"))}
    rzz_by_elz = {r["elz_code"]: r["rzz_code"] for r in read_csv(os.path.join(data, "rzz.csv"))}

    def code(layer, props):
        bid = props["id"]
        if layer == "elz":
            return elz.get(bid)
        if layer == "rzz":
            return rzz_by_elz.get(elz.get(bid))
        return rr_by_nis.get(props["nis"])

    summary = {}
    for layer in ("elz", "rzz", "rr"):
        key = f"{layer}_code"
        feats = []
        for feat in blocks["features"]:
            c = code(layer, feat["properties"])
            if c is None:
                continue
            props = dict(feat["properties"])
            props[key] = c
            feats.append({"type": "Feature", "properties": props, "geometry": feat["geometry"]})
        fc = {"type": "FeatureCollection", "name": f"blocks_{layer}", "features": feats}
        path = os.path.join(out, f"blocks_{layer}.geojson")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
        zones = len({f_["properties"][key] for f_ in feats})
        vertices = sum(
            len(ring)
            for f_ in feats
            for poly in ([f_["geometry"]["coordinates"]] if f_["geometry"]["type"] == "Polygon"
                         else f_["geometry"]["coordinates"])
            for ring in poly
        )
        summary[layer] = {"file": path, "property": key, "features": len(feats), "zones": zones,
                          "vertices": vertices, "bytes": os.path.getsize(path)}
    json.dump(summary, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
