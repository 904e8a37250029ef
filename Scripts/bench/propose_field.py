#!/usr/bin/env python3
"""zorgzones propose against the field: PySAL spopt (max-p with the 300,000 floor, AZP with as many regions as the
2026 RZZ) and GerryChain (ReCom with the same floor), on the ELZ graph zorgzones searches, for one objective: the
adjusted Rand index against the hospital networks (Voronoi service areas).

Every zoning, whoever made it, is written as an RZZ table and measured by zorgzones itself: `compare` for the ARI,
`check` under art18-2026 (the RZZ must merge whole referentieregio's) and under art18-decree (art. 18 1°-3° binding,
the referentieregio's weighed). Prints a Markdown table; docs/propose.md holds the last one.

    python3 Scripts/bench/propose_field.py [--zorgzones .build/release/zorgzones] [--seed 1] [--steps 2000]

Needs spopt, gerrychain (PyPI) and the data package (../shared/geodata or $ZORGZONES_DATA).
"""
import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DECREE = REPO / "GeoData/rules/art18-decree.json"


def run(cmd, check=True):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if check and p.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} failed ({p.returncode}): {p.stderr}")
    return p


def weighted_ari(labels, nodes, k):
    """The ARI of a zoning on the ELZ x network population table, as zorgzones defines it (Compare.swift)."""
    cells = {}
    for e, z in labels.items():
        for j, x in enumerate(nodes[e]["network_population"]):
            if x > 0:
                cells[(z, j)] = cells.get((z, j), 0.0) + x
    a, b, total = {}, [0.0] * k, 0.0
    for (z, j), x in cells.items():
        a[z] = a.get(z, 0.0) + x
        b[j] += x
        total += x
    c2 = lambda x: x * (x - 1) / 2
    sc, sa, sb = sum(map(c2, cells.values())), sum(map(c2, a.values())), sum(map(c2, b))
    e = sa * sb / c2(total)
    m = (sa + sb) / 2
    return 1.0 if m == e else (sc - e) / (m - e)


def write_zoning(path, labels, nodes, fixed):
    """An RZZ table (rzz.csv's columns) of ELZ index -> zone label; the fixed ELZ (Bruzel) keep their base zone."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["elz_code", "elz_name", "rzz_code", "rzz_name"])
        for i, n in enumerate(nodes):
            if i in fixed:
                w.writerow([n["code"], n["name"], n["base"], n["base"]])
            else:
                z = f"z{labels[i]:02d}" if isinstance(labels[i], int) else f"z{labels[i]}"
                w.writerow([n["code"], n["name"], z, z])


def measure(zz, path, name):
    """ARI by `zorgzones compare`, and the verdicts of `zorgzones check` under both rule sets."""
    c = json.loads(run([zz, "compare", "--zoning", path, "--with", "hospital-networks", "--format", "json"]).stdout)
    out = {"ari": c["alignment"]["adjusted_rand_index"], "zones": len(c["zones"])}
    for rules, key in [(None, "art18-2026"), (DECREE, "art18-decree")]:
        cmd = [zz, "check", "--zoning", path, "--format", "json"] + (["--rules", str(rules)] if rules else [])
        p = run(cmd)
        r = json.loads(p.stdout)
        v = r["totals"]["violations"]
        rules_hit = sorted({f["rule"] for f in r["findings"] if f["level"] == "violation"})
        out[key] = "passes" if v == 0 else f"fails: {v} ({', '.join(rules_hit)})"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zorgzones", default=str(REPO / ".build/release/zorgzones"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=2000, help="GerryChain ReCom steps")
    args = ap.parse_args()
    zz = args.zorgzones
    work = Path(tempfile.mkdtemp(prefix="propose-field-"))
    rows = []

    # zorgzones: exact over whole referentieregio's (art18-2026), and the local search over ELZ (art18-decree).
    for label, extra in [("zorgzones propose, exact (art18-2026)", []),
                         ("zorgzones propose, local search over ELZ (art18-decree)",
                          ["--rules", str(DECREE), "--level", "elz", "--seed", str(args.seed)]),
                         ("zorgzones propose, local search, 1 restart × 2,000 steps (art18-decree)",
                          ["--rules", str(DECREE), "--level", "elz", "--seed", str(args.seed), "--restarts", "1",
                           "--iterations", "2000"])]:
        out = work / ("zz-" + str(len(rows)))
        t0 = time.perf_counter()
        p = run([zz, "propose", "--objective", "alignment", "--with", "hospital-networks", "--top", "1",
                 "--format", "json", "--out", str(out)] + extra)
        seconds = time.perf_counter() - t0
        answer = json.loads(p.stdout)
        m = measure(zz, str(out / "proposal-1.csv"), label)
        rows.append((label, seconds, m, answer["search"]))
        base = answer["base"]["scores"]["adjusted_rand_index"]
    graph = json.load(open(work / "zz-1" / "elz-graph.json"))
    nodes = graph["nodes"]
    k = len(graph["networks"])
    fixed = {i for i, n in enumerate(nodes) if not n["counted"]}
    free = [i for i in range(len(nodes)) if i not in fixed]
    n_regions = len({n["base"] for i, n in enumerate(nodes) if i not in fixed})

    # The same graph for the others: the ELZ that zorgzones searches (Bruzel, outside the referentieregio's, kept).
    import networkx as nx
    g = nx.Graph()
    for i in free:
        n = nodes[i]
        shares = [x / n["population"] for x in n["network_population"]]
        g.add_node(i, population=n["population"], **{f"net{j}": s for j, s in enumerate(shares)})
    for a, b in graph["edges"]:
        if a in g and b in g:
            g.add_edge(a, b)

    # spopt: max-p (floor 300,000) and AZP, on the ELZ's network shares (regions homogeneous in who serves them).
    import geopandas as gpd
    import libpysal
    import numpy as np
    from spopt.region import AZP, MaxPHeuristic
    order = sorted(g.nodes)
    df = gpd.GeoDataFrame({"population": [g.nodes[i]["population"] for i in order],
                           **{f"net{j}": [g.nodes[i][f"net{j}"] for i in order] for j in range(k)}})
    pos = {e: p for p, e in enumerate(order)}
    w = libpysal.weights.W({pos[i]: [pos[j] for j in g.neighbors(i)] for i in order}, silence_warnings=True)
    attrs = [f"net{j}" for j in range(k)]
    np.random.seed(args.seed)
    random.seed(args.seed)
    t0 = time.perf_counter()
    mp = MaxPHeuristic(df, w, attrs, "population", graph["min_population"], top_n=2)
    mp.solve()
    tm = time.perf_counter() - t0
    t0 = time.perf_counter()
    azp = AZP(df, w, attrs, n_clusters=n_regions, random_state=args.seed)
    azp.solve()
    ta = time.perf_counter() - t0
    for label, labels, seconds in [(f"spopt max-p (floor {graph['min_population']:,})", mp.labels_, tm),
                                   (f"spopt AZP ({n_regions} regions)", azp.labels_, ta)]:
        lab = {order[p]: int(l) for p, l in enumerate(labels)}
        path = work / (label.split()[1] + ".csv")
        write_zoning(path, lab, nodes, fixed)
        rows.append((label, seconds, measure(zz, str(path), label), None))

    # GerryChain: ReCom from a random tree partition, the floor as a constraint, keeping the best ARI seen.
    from gerrychain import Graph, MarkovChain, Partition
    from gerrychain.accept import always_accept
    from gerrychain.constraints import contiguous
    from gerrychain.proposals import recom
    from gerrychain.partition import recursive_tree_part
    from gerrychain.updaters import Tally
    # GerryChain numbers nodes 0 … n−1: give it the ELZ in that order.
    gg = Graph.from_networkx(nx.relabel_nodes(g, pos))
    total = sum(g.nodes[i]["population"] for i in g)
    ideal = total / n_regions
    floor = graph["min_population"]
    epsilon = 0.6
    t0 = time.perf_counter()
    start = recursive_tree_part(gg, range(n_regions), ideal, "population", epsilon, rng=random.Random(args.seed))
    part = Partition(gg, start, updaters={"population": Tally("population", alias="population")})
    floor_ok = lambda p: all(v >= floor for v in p["population"].values())
    chain = MarkovChain(proposal_fn=lambda p, *, rng: recom(p, "population", ideal, epsilon, rng=rng),
                        constraints=[contiguous, floor_ok], acceptance_fn=always_accept, initial_partition=part,
                        total_steps=args.steps, rng=random.Random(args.seed)) if floor_ok(part) else None
    best, best_ari = None, -2
    if chain is not None:
        for p in chain:
            labels = {order[int(e)]: z for e, z in p.assignment.to_dict().items()}
            a = weighted_ari(labels | {i: f"fixed{i}" for i in fixed}, nodes, k)
            if a > best_ari:
                best, best_ari = labels, a
    tg = time.perf_counter() - t0
    if best is not None:
        path = work / "gerrychain.csv"
        write_zoning(path, {i: int(best[i]) for i in best}, nodes, fixed)
        rows.append((f"GerryChain ReCom ({args.steps} steps, best ARI kept)", tg, measure(zz, str(path), "gerrychain"), None))
    else:
        rows.append(("GerryChain ReCom", tg, {"ari": float("nan"), "zones": 0, "art18-2026": "no start meeting the floor",
                                              "art18-decree": "-"}, None))

    print(f"Objective: ARI against hospital-networks (Voronoi); the 2026 RZZ: {base:.3f}. Seed {args.seed}.\n")
    print("| tool | zones | ARI | search (s) | whole command (s) | check art18-2026 | check art18-decree |")
    print("|---|---|---|---|---|---|---|")
    for label, seconds, m, search in rows:
        note, searched, whole = "", seconds, "–"
        if search:
            note = " (complete, optimal)" if search.get("complete") else f" ({search['feasible_zonings']} feasible met)"
            searched, whole = search["seconds"], f"{seconds:.2f}"
        print(f"| {label}{note} | {m['zones']} | {m['ari']:.3f} | {searched:.2f} | {whole} | {m['art18-2026']} | {m['art18-decree']} |")


if __name__ == "__main__":
    main()
