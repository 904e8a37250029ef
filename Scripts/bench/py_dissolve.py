#!/usr/bin/env python3
"""The dissolve a GIS analyst would write in Python, timed phase by phase.

  py_dissolve.py METHOD INPUT.geojson PROPERTY OUTPUT.geojson

METHOD:
  shapely-coverage   json.load, shapely.geometry.shape per feature, shapely.coverage_union_all per zone,
                     json.dump of shapely.geometry.mapping (the "shapely + json" pipeline)
  shapely-union      the same with shapely.union_all (overlay union, robust for any input)
  geopandas          geopandas.read_file (pyogrio) -> GeoDataFrame.dissolve(by=PROPERTY) (method "unary",
                     the default) -> to_file (pyogrio, GeoJSON)
  geopandas-coverage the same with dissolve(method="coverage")

Prints one JSON object: seconds per phase (read = parse the file, build = make the geometries, dissolve,
write = encode and write the output), zones, output bytes, versions. Imports are not timed here (the caller
times the whole process too).
"""
import json
import sys
import time
from collections import defaultdict

import shapely
from shapely.geometry import mapping, shape


def main():
    method, src, prop, dst = sys.argv[1:5]
    t = time.perf_counter
    phases = {}
    t0 = t()
    if method.startswith("shapely"):
        with open(src, "rb") as f:
            doc = json.load(f)
        t1 = t()
        feats = doc["features"]
        geoms = [shape(f["geometry"]) for f in feats]
        groups = defaultdict(list)
        for i, f in enumerate(feats):
            groups[f["properties"][prop]].append(i)
        t2 = t()
        union = shapely.coverage_union_all if method == "shapely-coverage" else shapely.union_all
        out = []
        for key in sorted(groups):
            g = union([geoms[i] for i in groups[key]])
            out.append((key, g))
        t3 = t()
        fc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {prop: key}, "geometry": mapping(g)} for key, g in out]}
        with open(dst, "w") as f:
            json.dump(fc, f)
        t4 = t()
        zones = len(out)
    else:
        import geopandas as gpd
        gdf = gpd.read_file(src, engine="pyogrio")
        t1 = t2 = t()
        how = "coverage" if method == "geopandas-coverage" else "unary"
        d = gdf[[prop, "geometry"]].dissolve(by=prop, method=how)
        t3 = t()
        d.to_file(dst, driver="GeoJSON", engine="pyogrio")
        t4 = t()
        zones = len(d)
    phases = {"read": t1 - t0, "build": t2 - t1, "dissolve": t3 - t2, "write": t4 - t3, "total": t4 - t0}
    import os
    json.dump({"method": method, "phases": phases, "zones": zones, "output_bytes": os.path.getsize(dst),
               "shapely": shapely.__version__, "geos": shapely.geos_version_string}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
