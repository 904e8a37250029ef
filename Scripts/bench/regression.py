#!/usr/bin/env python3
"""A/B speed check of two zorgzones binaries in one run (issue 11's "no regression" target).

    python3 Scripts/bench/regression.py --base OLD_BINARY --new NEW_BINARY [--runs 15] [--sizes 1e5,1e6]
                                        [--data DIR] [--work /tmp/zz-bench] [--out FILE.md]

Runs are interleaved (A, B, A, B, ...) so that both binaries see the same machine load; each command runs under
/usr/bin/time. Measures `zorgzones build` on the data package and `zorgzones dissolve --by zone` of the synthetic
coverages of Scripts/bench/synth.py (generated once under WORK/synth, shared with bench.py). Prints a Markdown
table of min / median wall time and max RSS, and the ratio new / base of the medians.

The OLD binary is built from an earlier commit in its own worktree, e.g.
    git worktree add /tmp/zz-base <commit> && (cd /tmp/zz-base && swift build -c release)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def timed(cmd, env=None):
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tpath = tf.name
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tpath] + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    with open(tpath) as f:
        rss = int([l for l in f.read().split() if l.strip()][-1]) / 1024
    os.unlink(tpath)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-800:]}")
    return wall, rss


def ab(label, base_cmd, new_cmd, runs, env=None):
    res = {"base": [], "new": []}
    timed(base_cmd, env), timed(new_cmd, env)  # warm-up: page cache, PROJ database
    for _ in range(runs):
        res["base"].append(timed(base_cmd, env))
        res["new"].append(timed(new_cmd, env))
    row = {"label": label}
    for k in ("base", "new"):
        walls = [w for w, _ in res[k]]
        row[k] = (min(walls), statistics.median(walls), max(r for _, r in res[k]))
    row["ratio"] = row["new"][1] / row["base"][1]
    print(f"[regression] {label}: base {row['base'][1]*1000:.1f} ms, new {row['new'][1]*1000:.1f} ms, ratio {row['ratio']:.3f}",
          file=sys.stderr, flush=True)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--big-runs", type=int, default=3)
    ap.add_argument("--sizes", default="1e5,1e6")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(REPO), "shared", "geodata"))
    ap.add_argument("--work", default="/tmp/zz-bench")
    ap.add_argument("--out")
    a = ap.parse_args()
    env = dict(os.environ, ZORGZONES_DATA=a.data)
    rows = []
    outs = {k: os.path.join(a.work, f"regression-{k}") for k in ("base", "new")}
    os.makedirs(a.work, exist_ok=True)
    rows.append(ab("build (data package, 4 layers + manifest)",
                   [a.base, "build", "--data", a.data, "--out", outs["base"], "--quiet"],
                   [a.new, "build", "--data", a.data, "--out", outs["new"], "--quiet"], a.runs, env))
    sdir = os.path.join(a.work, "synth")
    os.makedirs(sdir, exist_ok=True)
    for size in a.sizes.split(","):
        src = os.path.join(sdir, f"cells_{size}.geojson")
        if not os.path.exists(src):
            print(f"[regression] generating {src}", file=sys.stderr, flush=True)
            subprocess.run([sys.executable, os.path.join(HERE, "synth.py"), size, src], check=True, stdout=subprocess.DEVNULL)
        n = int(float(size))
        runs = a.runs if n <= 100_000 else a.big_runs
        rows.append(ab(f"dissolve, synthetic {n:,} cells",
                       [a.base, "dissolve", src, "--by", "zone", "--out", os.path.join(sdir, "reg_base.geojson")],
                       [a.new, "dissolve", src, "--by", "zone", "--out", os.path.join(sdir, "reg_new.geojson")], runs))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    lines = [f"Interleaved A/B runs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load {load}.",
             "", "| command | base min / median | new min / median | new / base (median) | max RSS base / new |",
             "|---|---|---|---|---|"]
    for r in rows:
        b, n = r["base"], r["new"]
        lines.append(f"| {r['label']} | {b[0]*1000:.0f} / {b[1]*1000:.0f} ms | {n[0]*1000:.0f} / {n[1]*1000:.0f} ms | "
                     f"{r['ratio']:.3f} | {b[2]:.0f} / {n[2]:.0f} MB |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
