"""Generators of adversarial polygon coverages for the dissolve (issue 11).

Each generator yields cases: (name, features), where features is a list of (group, shapely geometry). Every
class of defect that real GIS data has is a generator with a seed, so a failing case can be replayed by name:
micro-overlaps and gaps from 1e-12 to 1e-6 degrees, T-junctions, duplicated and reversed features, holes filled
exactly, islands in lakes, checkerboards (corner touches), slivers sharing vertices, collinear partial overlaps,
rings above the nesting limit, coordinates far from the origin and near the limits of Double, random overlapping
polygons, and clean jittered grids.

Used by property.py (against shapely/GEOS 3.14 as the oracle) and by the Swift test suite's generators, which
follow the same classes.
"""
import math
import random

from shapely.geometry import Polygon, MultiPolygon, box
from shapely import affinity

EPSILONS = [1e-12, 1e-11, 1e-10, 2e-10, 1e-9, 1e-8, 1e-7, 1e-6]


def rect(x0, y0, x1, y1):
    return Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def grid_cells(nx, ny, x0=4.0, y0=50.0, size=0.1, jitter=0.0, rng=None, extra=0):
    """A clean coverage: an nx × ny grid of cells with shared, jittered interior vertices and `extra` vertices
    inserted on every shared edge (the same vertices on both sides)."""
    xs = [[x0 + i * size for j in range(ny + 1)] for i in range(nx + 1)]
    ys = [[y0 + j * size for j in range(ny + 1)] for i in range(nx + 1)]
    if jitter and rng:
        for i in range(1, nx):
            for j in range(1, ny):
                xs[i][j] += rng.uniform(-jitter, jitter) * size
                ys[i][j] += rng.uniform(-jitter, jitter) * size

    def pt(i, j):
        return (xs[i][j], ys[i][j])

    edge_pts = {}

    def edge(p, q):
        key = (min(p, q), max(p, q))
        if key not in edge_pts:
            a, b = pt(*key[0]), pt(*key[1])
            mids = []
            for k in range(1, extra + 1):
                t = k / (extra + 1)
                off = rng.uniform(-0.05, 0.05) * size if (rng and extra) else 0.0
                mids.append((a[0] + t * (b[0] - a[0]) + off, a[1] + t * (b[1] - a[1]) - off))
            edge_pts[key] = mids
        mids = edge_pts[key]
        return mids if (p, q) == key else list(reversed(mids))

    cells = []
    for i in range(nx):
        for j in range(ny):
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            ring = []
            for k in range(4):
                p, q = corners[k], corners[(k + 1) % 4]
                ring.append(pt(*p))
                ring.extend(edge(p, q))
            cells.append(Polygon(ring))
    return cells


def gen_clean_grids(rng, n):
    for k in range(n):
        nx, ny = rng.randint(1, 6), rng.randint(1, 6)
        cells = grid_cells(nx, ny, jitter=rng.choice([0, 0.2, 0.4]), rng=rng, extra=rng.choice([0, 0, 1, 3]))
        groups = rng.randint(1, 3)
        yield f"clean-grid-{k}", [(str(rng.randrange(groups)), c) for c in cells]


def gen_micro(rng, n):
    """Two or three rectangles whose shared side bulges by eps into (overlap) or away from (gap) the neighbour,
    at one or several vertices, with and without the vertex present on the other side."""
    for k in range(n):
        eps = rng.choice(EPSILONS) * rng.choice([1, -1])
        y = rng.uniform(50.05, 50.45)
        d = rng.choice([1e-5, 1e-4, 1e-2])
        mode = rng.choice(["bulge-one-side", "bulge-shared-ends", "shift-edge", "both-bulge"])
        xm = 4.5
        left_side = [(xm, 50.0), (xm, y - d), (xm + eps, y), (xm, y + d), (xm, 50.5)]
        if mode == "bulge-one-side":
            right_side = [(xm, 50.5), (xm, y + d), (xm, y), (xm, y - d), (xm, 50.0)]
        elif mode == "bulge-shared-ends":
            right_side = [(xm, 50.5), (xm, y + d), (xm, y - d), (xm, 50.0)]
        elif mode == "shift-edge":
            left_side = [(xm, 50.0), (xm + eps, y), (xm, 50.5)]
            right_side = [(xm, 50.5), (xm - eps, y), (xm, 50.0)]
        else:
            right_side = [(xm, 50.5), (xm, y + d), (xm + eps / 2, y), (xm, y - d), (xm, 50.0)]
        left = Polygon([(4.0, 50.0)] + left_side + [(4.0, 50.5)])
        right = Polygon([(5.0, 50.0), (5.0, 50.5)] + right_side)
        feats = [("g", left), ("g", right)]
        if rng.random() < 0.3:
            feats.append(("g", rect(4.0, 50.5, 5.0, 50.6)))
        yield f"micro-{mode}-{k}-eps{eps:g}", feats


def gen_tjunction(rng, n):
    """Grids where one cell has a vertex its neighbour lacks (T-junctions), or neighbours whose shared side is
    split at different points (collinear partial overlaps of edges)."""
    for k in range(n):
        nx, ny = rng.randint(2, 4), rng.randint(2, 4)
        cells = grid_cells(nx, ny, size=0.1)
        out = []
        targets = set(rng.sample(range(len(cells)), rng.randint(1, len(cells))))
        for idx, c in enumerate(cells):
            coords = list(c.exterior.coords)[:-1]
            if idx in targets:
                e = rng.randrange(len(coords))
                a, b = coords[e], coords[(e + 1) % len(coords)]
                t = rng.choice([0.5, 1 / 3, rng.random()])
                coords.insert(e + 1, (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
            out.append((str(idx % rng.randint(1, 2)), Polygon(coords)))
        yield f"tjunction-{k}", out


def gen_duplicates_reversed(rng, n):
    for k in range(n):
        cells = grid_cells(rng.randint(1, 4), rng.randint(1, 4), jitter=0.3, rng=rng)
        out = []
        for c in cells:
            g = c
            if rng.random() < 0.4:
                g = Polygon(list(c.exterior.coords)[::-1])  # clockwise exterior
            out.append(("a", g))
            if rng.random() < 0.3:
                out.append(("a", c))  # duplicate
        yield f"dup-rev-{k}", out


def gen_holes(rng, n):
    """A square with a hole and the hole's filling (holes filled exactly), islands in lakes, nested rings."""
    for k in range(n):
        x0, y0 = 4.0, 50.0
        outer = [(x0, y0), (x0 + 1, y0), (x0 + 1, y0 + 1), (x0, y0 + 1)]
        h = rng.uniform(0.1, 0.4)
        c = 0.5
        hole = [(x0 + c - h, y0 + c - h), (x0 + c + h, y0 + c - h), (x0 + c + h, y0 + c + h), (x0 + c - h, y0 + c + h)]
        donut = Polygon(outer, [hole])
        mode = rng.choice(["fill", "island", "island-touching", "partial-fill", "fill-eps"])
        if mode == "fill":
            feats = [("z", donut), ("z", Polygon(hole))]
        elif mode == "fill-eps":
            eps = rng.choice(EPSILONS) * rng.choice([1, -1])
            filling = affinity.scale(Polygon(hole), 1 + eps, 1 + eps)
            feats = [("z", donut), ("z", filling)]
        elif mode == "island":
            s = h * rng.uniform(0.2, 0.8)
            feats = [("z", donut), ("z", rect(x0 + c - s, y0 + c - s, x0 + c + s, y0 + c + s))]
        elif mode == "island-touching":
            feats = [("z", donut), ("z", Polygon([hole[0], (x0 + c, y0 + c - h / 2), (x0 + c, y0 + c)]))]
        else:
            feats = [("z", donut), ("z", rect(x0 + c - h, y0 + c - h, x0 + c, y0 + c + h))]
        yield f"holes-{mode}-{k}", feats


def gen_checkerboard(rng, n):
    for k in range(n):
        nx, ny = rng.randint(2, 5), rng.randint(2, 5)
        cells = grid_cells(nx, ny, size=0.1)
        feats = []
        for idx, c in enumerate(cells):
            i, j = divmod(idx, ny)
            if (i + j) % 2 == 0:
                feats.append(("b", c))
        if rng.random() < 0.5 and len(feats) > 1:
            # and the other colour in another group
            for idx, c in enumerate(cells):
                i, j = divmod(idx, ny)
                if (i + j) % 2 == 1:
                    feats.append(("w", c))
        yield f"checkerboard-{k}", feats


def gen_sliver(rng, n):
    """A sliver triangle inside (or outside) a square, sharing two of its vertices; a square split along a
    diagonal with one half nudged."""
    for k in range(n):
        eps = rng.choice(EPSILONS)
        sq = rect(4.0, 50.0, 4.5, 50.5)
        mode = rng.choice(["inside", "outside", "diagonal"])
        if mode == "inside":
            s = Polygon([(4.0, 50.0), (4.5, 50.5), (4.25 + eps, 50.25 - eps)])
            feats = [("s", sq), ("s", s)]
        elif mode == "outside":
            s = Polygon([(4.0, 50.0), (4.25, 50.0 - eps), (4.5, 50.0)])
            feats = [("s", sq), ("s", s)]
        else:
            a = Polygon([(4.0, 50.0), (4.5, 50.0), (4.5, 50.5)])
            b = Polygon([(4.0, 50.0), (4.5, 50.5), (4.0 + eps, 50.5)])
            feats = [("s", a), ("s", b)]
        yield f"sliver-{mode}-{k}", feats


def gen_collinear(rng, n):
    """Rectangles stacked with shared sides split at different points, and partially overlapping along a side."""
    for k in range(n):
        feats = []
        xs = sorted(rng.sample([4.0 + i * 0.05 for i in range(21)], rng.randint(2, 6)))
        for a, b in zip(xs, xs[1:]):
            feats.append(("c", rect(a, 50.0, b, 50.3)))
        ys = sorted(rng.sample([4.0 + i * 0.05 for i in range(21)], rng.randint(2, 6)))
        for a, b in zip(ys, ys[1:]):
            feats.append(("c", rect(a, 50.3, b, 50.6)))
        if rng.random() < 0.4:
            o = rng.choice([1e-9, 1e-6, 0.01])
            feats.append(("c", rect(xs[0], 50.3 - o, xs[-1], 50.3 + o)))
        yield f"collinear-{k}", feats


def gen_many_rings(rng, n):
    """More result rings than the Swift union's nesting limit (4,000): separate squares, and a square with many
    holes filled."""
    for k in range(n):
        m = rng.choice([70, 80])
        feats = []
        s = 1.0 / m
        for i in range(m):
            for j in range(m):
                if (i + j) % 2 == 0 or rng.random() < 0.1:
                    continue
                feats.append(("m", rect(4 + i * s, 50 + j * s, 4 + (i + 0.5) * s, 50 + (j + 0.5) * s)))
        yield f"many-rings-{k}", feats


def gen_scales(rng, n):
    """The same coverages far from the origin, tiny, huge and near the limits of Double."""
    scales = [(1e-300, 0.0), (1e-150, 0.0), (1e-9, 0.0), (1.0, 1e7), (1e6, 0.0), (1e100, 0.0), (1e150, 0.0),
              (1e300, 0.0), (1.0, 1e15)]
    for k in range(n):
        scale, off = rng.choice(scales)
        base = list(gen_micro(rng, 1))[0][1] if rng.random() < 0.5 else [
            ("s", c) for c in grid_cells(2, 2, x0=0, y0=0, size=1.0, jitter=0.2, rng=rng)]
        feats = [(g, affinity.translate(affinity.scale(p, scale, scale, origin=(0, 0)), off, off)) for g, p in base]
        yield f"scale-{scale:g}-off{off:g}-{k}", feats


def gen_random_overlaps(rng, n):
    for k in range(n):
        feats = []
        for _ in range(rng.randint(2, 8)):
            cx, cy, r = rng.uniform(4, 5), rng.uniform(50, 51), rng.uniform(0.01, 0.3)
            m = rng.randint(3, 12)
            angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(m))
            pts = [(cx + r * math.cos(a) * rng.uniform(0.5, 1), cy + r * math.sin(a) * rng.uniform(0.5, 1)) for a in angles]
            p = Polygon(pts)
            if p.is_valid and p.area > 0:
                feats.append((str(rng.randrange(2)), p))
        if len(feats) >= 2:
            yield f"random-overlaps-{k}", feats


def gen_precision(rng, n):
    """Over-precise coordinates (17 significant digits) on a clean coverage and on one with micro-defects."""
    for k in range(n):
        cells = grid_cells(rng.randint(2, 4), rng.randint(2, 4), size=0.01 * rng.random() + 1e-4, jitter=0.45, rng=rng,
                           extra=rng.choice([0, 2]))
        yield f"precision-{k}", [("p", c) for c in cells]


GENERATORS = [
    ("clean-grid", gen_clean_grids, 300),
    ("micro", gen_micro, 500),
    ("tjunction", gen_tjunction, 250),
    ("dup-rev", gen_duplicates_reversed, 150),
    ("holes", gen_holes, 250),
    ("checkerboard", gen_checkerboard, 120),
    ("sliver", gen_sliver, 200),
    ("collinear", gen_collinear, 200),
    ("many-rings", gen_many_rings, 6),
    ("scales", gen_scales, 200),
    ("random-overlaps", gen_random_overlaps, 250),
    ("precision", gen_precision, 150),
]


def all_cases(seed=11, factor=1.0):
    rng = random.Random(seed)
    for name, gen, count in GENERATORS:
        yield from gen(rng, max(1, int(count * factor)))
