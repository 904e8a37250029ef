#!/usr/bin/env python3
"""Synthetic clean coverages for the scale benchmark.

A jittered grid of ROWS x COLS cells over a Flanders-sized box in CRS84. Every cell is a polygon whose four
sides are wiggly polylines (K interior vertices per side), so a cell ring has 4 + 4K vertices. Neighbouring
cells use the very same vertex values for their shared side (the vertex arrays are built and rounded to
6 decimals once, then indexed by both cells), so the cells form a clean coverage with exactly identical
shared vertices. Cells are valid by construction: with corner jitter A and wiggle B (fractions of a cell)
and K = 3, the first interior vertex of a side lies outside the band in which the crossing sides run
(1/(K+1) * (1 - 2A) > 2A + B), so sides of one ring meet only at their corners.

Each cell has a `zone` property: the grid is cut into 10 x 10 rectangular blocks of cells, 100 zones.
Rings are counter-clockwise (RFC 7946). Written with GDAL (pyogrio) at 6 decimals.

Usage: synth.py CELLS OUT.geojson [--seed N]   (CELLS in 10^4, 10^5, 10^6 or any ROWSxCOLS)
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np

SHAPES = {10_000: (100, 100), 100_000: (250, 400), 1_000_000: (1000, 1000)}
BOX = (2.55, 50.70, 5.90, 51.50)  # lon/lat, about Flanders
K = 3          # interior vertices per side
A = 0.08       # corner jitter, fraction of a cell
B = 0.02       # side wiggle, fraction of a cell
ZONES_PER_SIDE = 10


def grid_shape(spec):
    if "x" in spec:
        r, c = spec.split("x")
        return int(r), int(c)
    n = int(float(spec))
    if n in SHAPES:
        return SHAPES[n]
    r = int(round(math.sqrt(n)))
    return r, max(1, n // r)


def build(rows, cols, seed):
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = BOX
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    q = 1e6  # 6 decimals

    def rnd(a):
        return np.round(a * q) / q

    # Corners (rows+1, cols+1, 2).
    cx = x0 + np.arange(cols + 1) * w
    cy = y0 + np.arange(rows + 1) * h
    corners = np.empty((rows + 1, cols + 1, 2))
    corners[..., 0] = cx[None, :] + rng.uniform(-A, A, (rows + 1, cols + 1)) * w
    corners[..., 1] = cy[:, None] + rng.uniform(-A, A, (rows + 1, cols + 1)) * h
    # The outer boundary stays straight so the whole coverage is a rectangle.
    corners[0, :, 1] = y0
    corners[-1, :, 1] = y1
    corners[:, 0, 0] = x0
    corners[:, -1, 0] = x1
    corners = rnd(corners)

    t = (np.arange(1, K + 1) / (K + 1))[None, None, :, None]
    # Horizontal sides (rows+1, cols, K, 2): from corner[r, c] to corner[r, c+1], wiggled in y.
    p, qd = corners[:, :-1, None, :], corners[:, 1:, None, :]
    hs = p + t * (qd - p)
    wig = rng.uniform(-B, B, (rows + 1, cols, K)) * h
    wig[0] = 0
    wig[-1] = 0
    hs[..., 1] += wig
    hs = rnd(hs)
    # Vertical sides (rows, cols+1, K, 2): from corner[r, c] to corner[r+1, c], wiggled in x.
    p, qd = corners[:-1, :, None, :], corners[1:, :, None, :]
    vs = p + t * (qd - p)
    wig = rng.uniform(-B, B, (rows, cols + 1, K)) * w
    wig[:, 0] = 0
    wig[:, -1] = 0
    vs[..., 0] += wig
    vs = rnd(vs)

    n = 4 + 4 * K + 1
    rings = np.empty((rows, cols, n, 2))
    i = 0
    rings[:, :, i] = corners[:-1, :-1]; i += 1                   # bottom-left
    rings[:, :, i:i + K] = hs[:-1, :]; i += K                    # bottom side, left to right
    rings[:, :, i] = corners[:-1, 1:]; i += 1                    # bottom-right
    rings[:, :, i:i + K] = vs[:, 1:]; i += K                     # right side, upwards
    rings[:, :, i] = corners[1:, 1:]; i += 1                     # top-right
    rings[:, :, i:i + K] = hs[1:, :, ::-1]; i += K               # top side, right to left
    rings[:, :, i] = corners[1:, :-1]; i += 1                    # top-left
    rings[:, :, i:i + K] = vs[:, :-1, ::-1]; i += K              # left side, downwards
    rings[:, :, i] = corners[:-1, :-1]                           # closed
    r_idx = np.arange(rows)[:, None] * ZONES_PER_SIDE // rows
    c_idx = np.arange(cols)[None, :] * ZONES_PER_SIDE // cols
    zone = (r_idx * ZONES_PER_SIDE + c_idx).reshape(-1)
    return rings.reshape(rows * cols, n, 2), zone


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cells")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--check", action="store_true", help="check validity and coverage with shapely (slow)")
    args = ap.parse_args()
    rows, cols = grid_shape(args.cells)
    t0 = time.perf_counter()
    rings, zone = build(rows, cols, args.seed)

    import shapely
    import geopandas as gpd
    import pyogrio

    geoms = shapely.polygons(rings)
    if args.check:
        assert bool(shapely.is_valid(geoms).all()), "invalid cell"
        assert shapely.coverage_is_valid(geoms), "not a clean coverage"
    names = np.array([f"z{z:03d}" for z in range(ZONES_PER_SIDE ** 2)])
    gdf = gpd.GeoDataFrame({"id": np.arange(rows * cols, dtype=np.int64), "zone": names[zone]},
                           geometry=geoms, crs="OGC:CRS84")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    pyogrio.write_dataframe(gdf, tmp, driver="GeoJSON", layer_options={
        "COORDINATE_PRECISION": "6", "RFC7946": "YES", "WRITE_NAME": "NO", "WRITE_BBOX": "NO"})
    os.replace(tmp, args.out)
    info = {"file": args.out, "rows": rows, "cols": cols, "cells": rows * cols, "zones": ZONES_PER_SIDE ** 2,
            "vertices": int(rings.shape[0] * rings.shape[1]), "bytes": os.path.getsize(args.out),
            "seconds": round(time.perf_counter() - t0, 2)}
    with open(args.out + ".info.json", "w") as f:
        json.dump(info, f)
    json.dump(info, sys.stdout)
    print()


if __name__ == "__main__":
    main()
