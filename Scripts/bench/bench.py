#!/usr/bin/env python3
"""Benchmark driver: zorgzones next to shapely, geopandas and GDAL on this machine, in one run.

Called by Scripts/bench/run.sh (which builds and installs everything first); see docs/benchmarks.md.
Every command runs under /usr/bin/time (wall, user, sys, max RSS) with a time limit, several times; the
report gives min and median. Results go to WORK/results.json and, as Markdown, to --out.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LAYERS = [("elz", "elz_code"), ("rzz", "rzz_code"), ("rr", "rr_code")]
PY_METHODS = ["shapely-coverage", "shapely-union", "geopandas", "geopandas-coverage"]


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- running

def run_once(cmd, timeout, env=None, ok_codes=(0,)):
    """Runs cmd under /usr/bin/time. Returns dict(wall, user, sys, rss_mb, rc, stdout, stderr)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tpath = tf.name
    full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", tpath] + cmd
    t0 = time.perf_counter()
    try:
        p = subprocess.run(full, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        os.unlink(tpath)
        return {"error": f"timeout after {timeout} s", "wall": None}
    wall = time.perf_counter() - t0
    try:
        with open(tpath) as f:
            line = [l for l in f.read().splitlines() if l.strip()][-1]
        _e, user, sys_, rss = line.split()
    except Exception:
        user = sys_ = rss = "nan"
    finally:
        os.unlink(tpath)
    r = {"wall": wall, "user": float(user), "sys": float(sys_), "rss_mb": float(rss) / 1024, "rc": p.returncode,
         "stdout": p.stdout, "stderr": p.stderr[-2000:]}
    if p.returncode not in ok_codes:
        r["error"] = f"exit {p.returncode}: {p.stderr.strip()[-400:]}"
    return r


def measure(label, cmd, runs, warmup=1, timeout=600, env=None, ok_codes=(0,)):
    """Warm-up runs, then `runs` timed runs. Stops at the first failure or time-out."""
    log(f"{label}: {' '.join(cmd)}  (x{runs}, warm-up {warmup})")
    samples = []
    for i in range(warmup + runs):
        r = run_once(cmd, timeout, env=env, ok_codes=ok_codes)
        if "error" in r:
            log(f"  FAILED: {r['error']}")
            return {"label": label, "cmd": cmd, "error": r["error"], "samples": samples}
        if i >= warmup:
            samples.append(r)
    walls = [s["wall"] for s in samples]
    res = {"label": label, "cmd": cmd, "samples": samples, "runs": len(samples),
           "min": min(walls), "median": statistics.median(walls),
           "cpu_median": statistics.median([s["user"] + s["sys"] for s in samples]),
           "rss_mb": max(s["rss_mb"] for s in samples)}
    log(f"  min {res['min']:.3f} s, median {res['median']:.3f} s, max RSS {res['rss_mb']:.0f} MB")
    return res


def stats(xs):
    return {"min": min(xs), "median": statistics.median(xs), "n": len(xs)}


def phases_of(results, key="phases"):
    """Merges the JSON printed by each sample (zzbench or py_dissolve) into phase -> stats."""
    out = {}
    for s in results.get("samples", []):
        try:
            doc = json.loads(s["stdout"].strip().splitlines()[-1])
        except Exception:
            continue
        if isinstance(doc.get("phases"), list):  # zzbench: every phase has its own samples
            for ph in doc["phases"]:
                out.setdefault(ph["name"], []).extend(ph["samples"])
        else:
            for k, v in doc["phases"].items():
                out.setdefault(k, []).append(v)
        results["info"] = doc.get("info") or {k: v for k, v in doc.items() if k != "phases"}
    return {k: stats(v) for k, v in out.items()}


def tool_version(cmd, pattern=None):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return "n/a"
    if pattern:
        m = re.search(pattern, out)
        return m.group(1) if m else out.splitlines()[0] if out else "n/a"
    return out.splitlines()[0] if out else "n/a"


def machine():
    cpu = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name"):
                cpu = line.split(":", 1)[1].strip()
    except Exception:
        pass
    mem = "unknown"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    py = subprocess.run([sys.executable, "-c",
                         "import shapely, geopandas, pyogrio, numpy; print(shapely.__version__, shapely.geos_version_string,"
                         " geopandas.__version__, pyogrio.__version__, pyogrio.__gdal_version_string__, numpy.__version__)"],
                        capture_output=True, text=True).stdout.split()
    py += ["n/a"] * (6 - len(py))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return {
        "load": load,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "kernel": platform.release(),
        "swift": tool_version(["swift", "--version"], r"(Swift version [^\s]+(?: \([^)]*\))?)"),
        "geos_system": tool_version(["geos-config", "--version"]),
        "proj": tool_version(["pkg-config", "--modversion", "proj"]),
        "python": platform.python_version(),
        "shapely": py[0], "shapely_geos": py[1], "geopandas": py[2], "pyogrio": py[3], "pyogrio_gdal": py[4],
        "numpy": py[5],
        "gdal": tool_version(["ogr2ogr", "--version"]),
    }


def subcommands(zz):
    out = subprocess.run([zz, "--help"], capture_output=True, text=True).stdout
    sec = out.split("SUBCOMMANDS:", 1)[1] if "SUBCOMMANDS:" in out else ""
    return {m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]*)(?:\s|$)", sec, re.M)}


# ---------------------------------------------------------------------------------------------- work

def real_benchmarks(a, zz, zzbench, subs, res):
    work = a.work
    real = os.path.join(work, "real")
    log("preparing real-data inputs")
    prep = subprocess.run([sys.executable, os.path.join(HERE, "prepare_real.py"), a.data, real],
                          capture_output=True, text=True, check=True)
    res["real_inputs"] = json.loads(prep.stdout)
    R = a.runs
    env = dict(os.environ, ZORGZONES_DATA=a.data)

    # zorgzones, in process.
    r = measure("zzbench real", [zzbench, "real", "--data", a.data, "--runs", str(R), "--warmup", "1"],
                runs=1, warmup=0, timeout=a.timeout)
    res["zz_phases"] = phases_of(r)
    # zorgzones CLI.
    cli = {}
    out = os.path.join(work, "out-build")
    cli["build"] = measure("zorgzones build", [zz, "build", "--data", a.data, "--out", out, "--quiet"],
                           runs=max(R, 10), timeout=a.timeout, env=env)
    if "check" in subs:
        cli["check"] = measure("zorgzones check", [zz, "check", "--data", a.data, "--output",
                                                    os.path.join(work, "check.txt")],
                               runs=R, timeout=a.timeout, env=env, ok_codes=(0, 1))
    if "compare" in subs:
        cli["compare"] = measure("zorgzones compare --method voronoi",
                                 [zz, "compare", "--data", a.data, "--with", "hospital-networks",
                                  "--method", "voronoi", "--format", "json"],
                                 runs=R, timeout=a.timeout, env=env)
    if "render" in subs:
        cli["render"] = measure("zorgzones render --map official",
                                [zz, "render", "--data", a.data, "--map", "official", "--out",
                                 os.path.join(work, "official.svg")], runs=R, timeout=a.timeout, env=env)
    res["zz_cli"] = cli
    res["missing_commands"] = [c for c in ("check", "compare", "render", "dissolve") if c not in subs]

    # Per layer: the same dissolve with every tool.
    r = measure("zzbench proj", [zzbench, "proj", "--runs", str(R)], runs=1, warmup=0, timeout=a.timeout)
    res["proj_phases"] = phases_of(r)

    res["real_layers"] = {}
    res["proto"] = {}
    for layer, prop in LAYERS:
        src = res["real_inputs"][layer]["file"]
        r = measure(f"zzbench union-compare {layer}", [zzbench, "union-compare", src, prop, "--runs", str(R), "--warmup", "1"],
                    runs=1, warmup=0, timeout=a.timeout)
        res["proto"][layer] = {"phases": phases_of(r), "info": r.get("info", {})}
    r = measure("zzbench edge-compare elz", [zzbench, "edge-compare", res["real_inputs"]["elz"]["file"], "--runs", str(R),
                                           "--warmup", "1"], runs=1, warmup=0, timeout=a.timeout)
    res.setdefault("edge_proto", {})["real blocks (ELZ file)"] = {"phases": phases_of(r), "info": r.get("info", {})}
    for layer, prop in LAYERS:
        src = res["real_inputs"][layer]["file"]
        L = {}
        r = measure(f"zzbench dissolve {layer}", [zzbench, "dissolve", src, prop, os.path.join(work, f"zz_{layer}.geojson"),
                                                  "--runs", str(R), "--warmup", "1"], runs=1, warmup=0, timeout=a.timeout)
        L["zzbench"] = {"phases": phases_of(r), "info": r.get("info", {}), "process": r}
        if "dissolve" in subs:
            L["zz_cli"] = measure(f"zorgzones dissolve {layer}",
                                  [zz, "dissolve", src, "--by", prop, "--out", os.path.join(work, f"zzcli_{layer}.geojson")],
                                  runs=R, timeout=a.timeout)
        for m in PY_METHODS:
            r = measure(f"{m} {layer}", [sys.executable, os.path.join(HERE, "py_dissolve.py"), m, src, prop,
                                         os.path.join(work, f"{m}_{layer}.geojson")], runs=R, timeout=a.timeout)
            L[m] = {"phases": phases_of(r), "process": r}
        dst = os.path.join(work, f"ogr_{layer}.geojson")
        sql = f"SELECT {prop}, ST_Union(geometry) AS geometry FROM blocks_{layer} GROUP BY {prop}"
        ogr = ["ogr2ogr", "-overwrite", "-f", "GeoJSON", dst, src, "-dialect", "SQLite", "-sql", sql,
               "-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=6"]
        if os.path.exists(dst):
            os.remove(dst)
        L["ogr2ogr"] = {"process": measure(f"ogr2ogr {layer}", ["sh", "-c", f"rm -f {dst} && " + " ".join(
            f"'{x}'" if " " in x or "(" in x else x for x in ogr)], runs=R, timeout=a.timeout)}
        res["real_layers"][layer] = L


def synth_benchmarks(a, zz, zzbench, subs, res):
    res["synth"] = {}
    sdir = os.path.join(a.work, "synth")
    os.makedirs(sdir, exist_ok=True)
    for size in a.sizes:
        src = os.path.join(sdir, f"cells_{size}.geojson")
        info_path = src + ".info.json"
        if not (os.path.exists(src) and os.path.exists(info_path)):
            log(f"generating {src}")
            subprocess.run([sys.executable, os.path.join(HERE, "synth.py"), size, src], check=True,
                           timeout=a.timeout, stdout=subprocess.DEVNULL)
        with open(info_path) as f:
            info = json.load(f)
        n = info["cells"]
        runs = a.runs if n <= 100_000 else a.big_runs
        S = {"input": info}
        if n <= 100_000:
            r = measure(f"zzbench union-compare {size}", [zzbench, "union-compare", src, "zone", "--runs", str(runs),
                                                        "--warmup", "1"], runs=1, warmup=0, timeout=a.timeout)
            res.setdefault("proto", {})[f"synthetic {n:,} cells"] = {"phases": phases_of(r), "info": r.get("info", {})}
            r = measure(f"zzbench edge-compare {size}", [zzbench, "edge-compare", src, "--runs", str(runs), "--warmup", "1"],
                        runs=1, warmup=0, timeout=a.timeout)
            res.setdefault("edge_proto", {})[f"synthetic {n:,} cells"] = {"phases": phases_of(r), "info": r.get("info", {})}
        out = lambda name: os.path.join(sdir, f"out_{name}_{size}.geojson")
        if "dissolve" in subs:
            S["zz_cli"] = measure(f"zorgzones dissolve {size}", [zz, "dissolve", src, "--by", "zone", "--out", out("zz")],
                                  runs=runs, warmup=0 if n > 100_000 else 1, timeout=a.timeout)
        r = measure(f"zzbench dissolve {size}", [zzbench, "dissolve", src, "zone", out("zzbench"),
                                                 "--runs", "1", "--warmup", "0"],
                    runs=runs, warmup=0, timeout=a.timeout)
        S["zzbench"] = {"phases": phases_of(r), "info": r.get("info", {}), "process": r}
        for m in ("shapely-coverage", "shapely-union"):
            r = measure(f"{m} {size}", [sys.executable, os.path.join(HERE, "py_dissolve.py"), m, src, "zone", out(m)],
                        runs=runs, warmup=0, timeout=a.timeout)
            S[m] = {"phases": phases_of(r), "process": r}
        res["synth"][size] = S


# ---------------------------------------------------------------------------------------------- report

def fmt_s(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x < 0.001:
        return f"{x * 1e6:.0f} µs"
    if x < 1:
        return f"{x * 1000:.1f} ms"
    return f"{x:.2f} s"


def mm(st):
    return f"{fmt_s(st['min'])} / {fmt_s(st['median'])}" if st else "–"


def ratio(a, b):
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def proc(r):
    if not r or "error" in r:
        return None
    return {"min": r["min"], "median": r["median"]}


def slope(xs, ys):
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x and y]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


def zz_dissolve_only(ph):
    """The work between parsed input and output values: the Swift coverage union (which checks its own input and
    proves its result valid), GEOS validity of the zones it could not prove, GEOS unary union of zones that are not
    a clean coverage. Not the coverage report (EdgeMatch over all features), which shapely does not make."""
    keys = [k for k in ph if k.startswith(("coverage union", "unary union", "result validity"))]
    return {"min": sum(ph[k]["min"] for k in keys), "median": sum(ph[k]["median"] for k in keys)} if keys else None


def union_only(ph):
    k = [k for k in ph if k.startswith(("coverage union", "unary union"))]
    return ph[k[0]] if k else None


def zz_total(ph):
    """read + parse + group + the single-thread dissolve steps + encode + write (no input validation)."""
    keys = [k for k in ph if not k.startswith(("FeatureDissolve", "input validity"))]
    return {"min": sum(ph[k]["min"] for k in keys), "median": sum(ph[k]["median"] for k in keys)} if ph else None


def zz_product_total(ph):
    """read + parse + FeatureDissolve.run (validation, all cores) + encode + write."""
    keys = [k for k in ph if k.startswith(("read file", "parse", "FeatureDissolve", "encode", "write file"))]
    return {"min": sum(ph[k]["min"] for k in keys), "median": sum(ph[k]["median"] for k in keys)} if ph else None


def product_dissolve(ph):
    k = [k for k in ph if k.startswith("FeatureDissolve")]
    return ph[k[0]] if k else None


def report(a, res):
    m = res["machine"]
    L = []
    w = L.append
    w("## Benchmarks")
    w("")
    w("zorgzones next to the tools a GIS analyst would pick instead, measured side by side in one run on the same")
    w("inputs (issue 7). Generated by `Scripts/bench/run.sh`; raw numbers in `" + os.path.join(a.work, "results.json") + "`.")
    w("")
    w("Reproduce (from the repository root; installs shapely, geopandas, pyogrio from PyPI and gdal-bin from Debian if")
    w("missing, builds zorgzones and `Benchmarks/` in release, writes the report to `docs/benchmarks.md`; the README links to it):")
    w("")
    w("```sh")
    w("Scripts/bench/run.sh            # full: real data + synthetic 10^4, 10^5, 10^6 cells (15-25 min; run it in the background)")
    w("Scripts/bench/run.sh --quick    # real data + 10^4, 10^5 only, 3 runs")
    w("Scripts/bench/profile.sh        # callgrind profiles of build and of the synthetic dissolve")
    w("```")
    w("")
    w(f"**Run of {m['date']}** — {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, Linux {m['kernel']}.  ")
    w(f"{m['swift']}; GEOS {m['geos_system']} and PROJ {m['proj']} (system, used by zorgzones and by ogr2ogr's "
      f"SpatiaLite); {m['gdal']}; Python {m['python']} with shapely {m['shapely']} (bundled GEOS "
      f"{m['shapely_geos']}), geopandas {m['geopandas']}, pyogrio {m['pyogrio']} (bundled GDAL {m['pyogrio_gdal']}), "
      f"numpy {m['numpy']}.  ")
    w(f"Load average when the run started: {m['load']} (other engineers' builds share this 2-core machine, so wall "
      "times are noisy: compare the tools within one run, and see the CPU column).  ")
    w(f"Times are min / median over {a.runs} runs after one warm-up (10⁶ cells: {a.big_runs} run(s), no warm-up), "
      "wall clock. \"Process\" times are whole commands (start-up and imports included); \"in-process\" times are "
      "measured inside the program around the phase.")
    w("")

    # --- real data, zorgzones
    w("### Real data: `zorgzones` (307 blocks, 71,296 vertices, 1.5 MB)")
    w("")
    w("| what | min / median | CPU (user+sys, median) | max RSS |")
    w("|---|---|---|---|")
    for k, r in res["zz_cli"].items():
        if "error" in r:
            w(f"| `zorgzones {k}` (process) | failed: {r['error'][:80]} | | |")
        else:
            w(f"| `zorgzones {' '.join(r['cmd'][1:2])}` (process{', ' + str(r['runs']) + ' runs' if r['runs'] != a.runs else ''}) | {mm(r)} | {fmt_s(r['cpu_median'])} | {r['rss_mb']:.0f} MB |")
    for name, st in res["zz_phases"].items():
        w(f"| {name} (in-process, warm) | {mm(st)} | | |")
    if res["missing_commands"]:
        w("")
        w("Not measured, because this build of zorgzones has no such command yet: "
          + ", ".join(f"`{c}`" for c in res["missing_commands"]) + ".")
    w("")

    # --- real data, tools
    w("### Real data: the same dissolve with every tool")
    w("")
    w("Input: `blocks.geojson` with the zone code joined in as a property (one file per layer, written by "
      "`Scripts/bench/prepare_real.py`; RR without the 19 Brussels blocks). *Dissolve* = the union step alone: for "
      "zorgzones the Swift coverage union (which refuses input that is not a clean coverage and proves its result "
      "valid) + GEOS validity of the zones it could not prove + GEOS unary union of zones that are not a clean "
      "coverage (single thread), "
      "for shapely `coverage_union_all` / `union_all` over already built geometries, for geopandas `dissolve`. "
      "*In-process end-to-end* = read + parse + dissolve + encode + write, imports and start-up excluded. "
      "*Process* = the whole command.")
    w("")
    w("| layer | tool | dissolve | in-process end-to-end | process | theirs/ours dissolve | theirs/ours in-process | theirs/ours process |")
    w("|---|---|---|---|---|---|---|---|")
    res["ratios"] = {}
    for layer, _ in LAYERS:
        Ld = res["real_layers"][layer]
        zp = Ld["zzbench"]["phases"]
        zd, zt = zz_dissolve_only(zp), zz_total(zp)
        zproc = proc(Ld.get("zz_cli"))
        w(f"| {layer} | **zorgzones**, steps on 1 thread (zzbench) | {mm(zd)} | {mm(zt)} | – | 1 | 1 | – |")
        w(f"| {layer} | **zorgzones** `FeatureDissolve.run` / `zorgzones dissolve` (input validation, 2 threads) | "
          f"{mm(product_dissolve(zp))} | {mm(zz_product_total(zp))} | {mm(zproc)} | – | – | 1 |")
        for t in PY_METHODS + ["ogr2ogr"]:
            e = Ld[t]
            ph = e.get("phases", {})
            d = ph.get("dissolve")
            tot = ph.get("total")
            p = proc(e["process"])
            rd = ratio(d and d["median"], zd and zd["median"])
            rt = ratio(tot and tot["median"], zt and zt["median"])
            rp = ratio(p and p["median"], zproc and zproc["median"])
            res["ratios"][f"{layer}/{t}"] = {"dissolve": rd, "in_process": rt, "process": rp}
            w(f"| {layer} | {t} | {mm(d)} | {mm(tot)} | {mm(p)} | {rd} | {rt} | {rp} |")
    w("")
    w("zorgzones in-process phases per layer (median): " + "; ".join(
        f"**{layer}**: " + ", ".join(f"{k} {fmt_s(v['median'])}" for k, v in res["real_layers"][layer]["zzbench"]["phases"].items())
        for layer, _ in LAYERS[:1]) + ".")
    w("")

    # --- synthetic
    if res.get("synth"):
        w("### Synthetic clean coverages: dissolve into 100 zones")
        w("")
        w("Jittered grids with wiggly shared sides (`Scripts/bench/synth.py`: 16 vertices + closing per ring, shared "
          "vertices bit-identical, 6 decimals, 10 × 10 zones of contiguous cells), written to /tmp. *Process* = whole "
          "command (GeoJSON in → GeoJSON out); *dissolve* as above; max RSS from `/usr/bin/time`.")
        w("")
        w("| cells | vertices | file | tool | dissolve | process | max RSS | theirs/ours dissolve | theirs/ours process |")
        w("|---|---|---|---|---|---|---|---|---|")
        growth = {}
        for size, S in res["synth"].items():
            inf = S["input"]
            zp = S["zzbench"]["phases"]
            zd = zz_dissolve_only(zp)
            zc = S.get("zz_cli")
            zproc = proc(zc)
            rows = [("**zorgzones** steps on 1 thread (zzbench)", zd, S["zzbench"]["process"]),
                    ("**zorgzones dissolve** (validation, 2 threads)", product_dissolve(zp), zc)]
            rows += [(t, S[t]["phases"].get("dissolve"), S[t]["process"]) for t in ("shapely-coverage", "shapely-union")]
            for name, d, pr in rows:
                p = proc(pr)
                if name.startswith("**zorgzones** steps"):
                    p = None  # this process runs the dissolve twice (product + steps): its time is not a CLI time
                rss = f"{pr['rss_mb']:.0f} MB" if pr and "rss_mb" in pr else (pr.get("error", "–") if pr else "–")
                own = name.startswith("**")
                w(f"| {inf['cells']:,} | {inf['vertices']:,} | {inf['bytes'] / 1e6:.0f} MB | {name} | {mm(d)} | "
                  f"{mm(p) if p else (pr or {}).get('error', '–')} | {rss} | {'1' if own else ratio(d and d['median'], zd and zd['median'])} | "
                  f"{'1' if own else ratio(p and p['median'], zproc and zproc['median'])} |")
                key = name.replace("**", "")
                g = growth.setdefault(key, {"v": [], "d": [], "p": []})
                g["v"].append(inf["vertices"])
                g["d"].append(d["median"] if d else None)
                g["p"].append(p["median"] if p else None)
        w("")
        w("Growth exponent *b* in time ∝ vertices^b (least squares over the sizes; 1 = linear):")
        w("")
        w("| tool | dissolve | process |")
        w("|---|---|---|")
        res["growth"] = {}
        for k, g in growth.items():
            bd = slope([v for v, d in zip(g["v"], g["d"]) if d], [d for d in g["d"] if d])
            bp = slope([v for v, p in zip(g["v"], g["p"]) if p], [p for p in g["p"] if p])
            res["growth"][k] = {"dissolve": bd, "process": bp}
            w(f"| {k} | {'–' if bd is None else f'{bd:.2f}'} | {'–' if bp is None else f'{bp:.2f}'} |")
        w("")
        big = list(res["synth"].values())[-1]
        w("zorgzones in-process phases at the largest size (median): " + ", ".join(
            f"{k} {fmt_s(v['median'])}" for k, v in big["zzbench"]["phases"].items()) + ".")
        w("")
    # --- targets
    w("### Targets of issue 7")
    w("")
    w("| target | measured | met? |")
    w("|---|---|---|")
    b = res["zz_cli"].get("build")
    if b and "error" not in b:
        w(f"| full `build` on the real data < 0.5 s (release, 2 cores) | median {fmt_s(b['median'])}, min {fmt_s(b['min'])} "
          f"| {'yes' if b['median'] < 0.5 else ('min only' if b['min'] < 0.5 else 'no')} |")
    for layer, _ in LAYERS:
        r = res["ratios"].get(f"{layer}/shapely-coverage", {})
        rd = r.get("dissolve", "–")
        ok = rd != "–" and float(rd.rstrip("×")) >= 1
        w(f"| dissolve at least as fast as shapely `coverage_union_all` ({layer}) | theirs/ours {rd} | {'yes' if ok else 'no'} |")
        for kind, label in (("process", "whole command"), ("in_process", "in-process")):
            rp = r.get(kind, "–")
            ok = rp != "–" and float(rp.rstrip("×")) >= 2
            w(f"| end-to-end ≥ 2× faster than shapely + json ({layer}, {label}) | theirs/ours {rp} | {'yes' if ok else 'no'} |")
    for size, S in (res.get("synth") or {}).items():
        zd = zz_dissolve_only(S["zzbench"]["phases"])
        sd = S["shapely-coverage"]["phases"].get("dissolve")
        rd = ratio(sd and sd["median"], zd and zd["median"])
        ok = rd != "–" and float(rd.rstrip("×")) >= 1
        w(f"| dissolve at least as fast as shapely `coverage_union_all` ({S['input']['cells']:,} cells) | theirs/ours {rd} | {'yes' if ok else 'no'} |")
        zc, sc = proc(S.get("zz_cli")), proc(S["shapely-coverage"]["process"])
        rp = ratio(sc and sc["median"], zc and zc["median"])
        ok = rp != "–" and float(rp.rstrip("×")) >= 2
        w(f"| end-to-end ≥ 2× faster than shapely + json ({S['input']['cells']:,} cells, whole command) | theirs/ours {rp} | {'yes' if ok else 'no'} |")
        if S["input"]["cells"] >= 1_000_000:
            c = S.get("zz_cli") or {}
            w(f"| 10⁶ cells dissolve without running out of memory (24 GB) | "
              f"{c.get('error') or ('max RSS ' + format(c.get('rss_mb', 0) / 1024, '.1f') + ' GB')} | {'no' if c.get('error') or not c else 'yes'} |")
    w("")

    if res.get("proto"):
        w("### Coverage union: Swift (the product's) versus GEOS 3.11")
        w("")
        w("`zzbench union-compare`: `CoverageUnion` (Sources/Geometry/CoverageUnion.swift: cancel the edges a zone's "
          "polygons share, trace the rest into rings, prove the result valid) against GEOS 3.11's `CoverageUnion` + "
          "`isValid` + conversion, per zone, one thread. Checked on every zone: symmetric difference, part count.")
        w("")
        w("| input | zones | proven valid | GEOS 3.11 coverage union + isValid + →Shape | Swift coverage union | + GEOS isValid of unproven zones | speed-up | max rel. sym. diff | mismatched zones |")
        w("|---|---|---|---|---|---|---|---|---|")
        for name, P in res["proto"].items():
            ph, inf = P["phases"], P["info"]
            g = ph.get("GEOS 3.11 coverage union + isValid + GEOS -> Shape")
            sw = ph.get("Swift coverage union (proves validity)")
            v = ph.get("  + GEOS isValid of the zones it could not prove valid")
            sp = ratio(g and g["median"], sw and v and sw["median"] + v["median"])
            w(f"| {name} | {inf.get('zones')} | {inf.get('certified_zones')} | {mm(g)} | {mm(sw)} | {mm(v)} | {sp} | {inf.get('max_rel_symdiff')} | {inf.get('mismatched_zones')} |")
        w("")
    if res.get("edge_proto"):
        w("The coverage report `EdgeMatch` (`Sources/Zoning/Dissolve.swift`: vertices interned with `VertexIndex`, "
          "edges in per-vertex chains) versus its predecessor (a `Dictionary` keyed by the four coordinates; "
          "Benchmarks/Sources/zzbench/Baselines.swift); same counts asserted:")
        w("")
        w("| input | edges | EdgeMatch | before (Dictionary) | speed-up |")
        w("|---|---|---|---|---|")
        for name, P in res["edge_proto"].items():
            ph = P["phases"]
            a_ = ph.get("EdgeMatch (product: interned vertices, edge chains)")
            b_ = ph.get("EdgeMatch before (Dictionary keyed by coordinates)")
            w(f"| {name} | {P['info'].get('edges')} | {mm(a_)} | {mm(b_)} | {ratio(b_ and b_['median'], a_ and a_['median'])} |")
        w("")
    if res.get("proj_phases"):
        w("PROJ (EPSG:4326 → 31370, `Projection.transform`), min / median: " + "; ".join(
            f"{k}: {mm(v)}" for k, v in res["proj_phases"].items()) + ".")
        w("")
    w(agreement(a.work, a.sizes))
    w("")
    notes = os.path.join(HERE, "FINDINGS.md")
    if os.path.exists(notes):
        with open(notes) as f:
            L.append(f.read().rstrip("\n"))
    res["report"] = "\n".join(L) + "\n"
    return res["report"]


def agreement(work, sizes):
    """Do the tools agree? Largest symmetric difference per zone, relative to the zone's area (shapely)."""
    import shapely
    from shapely.geometry import shape

    def load(path, key):
        with open(path) as f:
            d = json.load(f)
        return {str(f_["properties"].get(key) or f_.get("id")): shape(f_["geometry"]) for f_ in d["features"]}

    def worst(a, b):
        if set(a) != set(b):
            return float("inf")
        return max(shapely.symmetric_difference(a[k], b[k]).area / b[k].area for k in b)

    lines = []
    for layer, key in LAYERS:
        try:
            zz = load(os.path.join(work, f"zzcli_{layer}.geojson"), key)
            others = {t: load(os.path.join(work, f"{t}_{layer}.geojson"), key) for t in PY_METHODS}
            others["ogr2ogr"] = load(os.path.join(work, f"ogr_{layer}.geojson"), key)
            w_ = max(worst(zz, o) for o in others.values())
            lines.append(f"{layer}: {len(zz)} zones, largest relative symmetric difference {w_:.1e}")
        except Exception as e:  # a missing output is reported, not fatal
            lines.append(f"{layer}: not compared ({e})")
    for size in sizes:
        try:
            zz = load(os.path.join(work, "synth", f"out_zz_{size}.geojson"), "zone")
            w_ = max(worst(zz, load(os.path.join(work, "synth", f"out_{t}_{size}.geojson"), "zone"))
                     for t in ("shapely-coverage", "shapely-union"))
            lines.append(f"{size} cells: {len(zz)} zones, {w_:.1e}")
        except Exception as e:
            lines.append(f"{size} cells: not compared ({e})")
    return ("Do the outputs agree? `zorgzones dissolve` against every other tool's output, zone by zone: "
            + "; ".join(lines) + ".")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zorgzones", required=True)
    ap.add_argument("--zzbench", required=True)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(REPO), "shared", "geodata"))
    ap.add_argument("--work", default="/tmp/zz-bench")
    ap.add_argument("--out", default=os.path.join(REPO, "docs", "benchmarks.md"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big-runs", type=int, default=1)
    ap.add_argument("--sizes", default="1e4,1e5,1e6")
    ap.add_argument("--timeout", type=int, default=1200, help="seconds per command")
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--skip-synth", action="store_true")
    ap.add_argument("--report-from", metavar="RESULTS_JSON",
                    help="only write the report again from the raw numbers of an earlier run (e.g. after editing FINDINGS.md)")
    a = ap.parse_args()
    if a.report_from:
        with open(a.report_from) as f:
            res = json.load(f)
        saved = res.get("args", {})
        for k in ("work", "sizes", "runs", "big_runs"):
            if k in saved:
                setattr(a, k, saved[k])
        text = report(a, res)
        with open(a.out, "w") as f:
            f.write(text)
        log(f"wrote {a.out} from {a.report_from}")
        return
    a.sizes = [s for s in a.sizes.split(",") if s]
    a.data = os.path.abspath(a.data)
    os.makedirs(a.work, exist_ok=True)
    res = {"machine": machine(), "args": {k: v for k, v in vars(a).items()}}
    zz, zzb = os.path.abspath(a.zorgzones), os.path.abspath(a.zzbench)
    subs = subcommands(zz)
    res["subcommands"] = sorted(subs)
    log("zorgzones subcommands:", ", ".join(sorted(subs)))
    if not a.skip_real:
        real_benchmarks(a, zz, zzb, subs, res)
    if not a.skip_synth:
        synth_benchmarks(a, zz, zzb, subs, res)
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(res, f, indent=1, default=str)
    if not a.skip_real:
        text = report(a, res)
        with open(os.path.join(a.work, "results.json"), "w") as f:
            json.dump(res, f, indent=1, default=str)
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        with open(a.out, "w") as f:
            f.write(text)
        log(f"wrote {a.out}")
        print(text)


if __name__ == "__main__":
    main()
