#!/usr/bin/env bash
# Benchmarks of zorgzones next to shapely, geopandas and GDAL, on this machine, in one run (issue 7).
#
#   Scripts/bench/run.sh [--quick] [--runs N] [--sizes 1e4,1e5,1e6] [--skip-synth] [--out FILE]
#
# 1. builds zorgzones in release (scratch path .build-release, so it does not block the shared .build) and the
#    Benchmarks/ package (its own scratch path Benchmarks/.build);
# 2. installs what the comparison needs if missing: shapely, geopandas, pyogrio (pip), gdal-bin (apt);
# 3. runs Scripts/bench/bench.py: real data (load, dissolve ELZ/RZZ/RR, build, check, compare, render) and the
#    same dissolve with shapely (coverage_union_all, union_all), geopandas and ogr2ogr; synthetic coverages of
#    10^4, 10^5, 10^6 cells (generated under /tmp/zz-bench/synth); every command is bounded in time;
# 4. writes the Markdown report to docs/benchmarks.md and the raw numbers to /tmp/zz-bench/results.json
#    (`python3 Scripts/bench/bench.py --zorgzones - --zzbench - --report-from /tmp/zz-bench/results.json` writes
#    the report again, e.g. after editing Scripts/bench/FINDINGS.md).
#
# --quick: 3 runs, sizes 10^4 and 10^5 (about 5 minutes). The full run takes 15-25 minutes on 2 cores (plus ~3 min
# the first time, to generate the 10^6-cell file):
# run it in the background (`nohup Scripts/bench/run.sh > /tmp/zz-bench.log 2>&1 &`) where commands are time-limited.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORK="${ZZ_BENCH_WORK:-/tmp/zz-bench}"
ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) ARGS+=(--runs 3 --sizes 1e4,1e5) ;;
        *) ARGS+=("$1") ;;
    esac
    shift
done

log() { echo "[run.sh] $*" >&2; }

# --- what the comparison needs
if ! python3 -c 'import shapely, geopandas, pyogrio; assert int(shapely.__version__.split(".")[0]) >= 2' 2>/dev/null; then
    log "installing shapely, geopandas, pyogrio from PyPI"
    python3 -m pip install --quiet "shapely>=2.0" geopandas pyogrio
fi
if ! command -v ogr2ogr >/dev/null; then
    log "installing gdal-bin (ogr2ogr) from Debian"
    (apt-get install -y gdal-bin >/dev/null 2>&1) || (apt-get update >/dev/null && apt-get install -y gdal-bin >/dev/null)
fi
for tool in /usr/bin/time valgrind; do
    if [ ! -x "$(command -v "$tool" || true)" ]; then
        log "installing $(basename "$tool")"
        (apt-get install -y "$(basename "$tool")" >/dev/null 2>&1) || (apt-get update >/dev/null && apt-get install -y "$(basename "$tool")" >/dev/null)
    fi
done

# --- builds (release). Retried: in a shared work tree another engineer's save during the build makes SwiftPM stop
# with "input file ... was modified during the build".
build() {
    local i
    for i in 1 2 3; do
        if swift build -c release "$@" >&2; then return 0; fi
        log "build failed (attempt $i), retrying in 20 s"
        sleep 20
    done
    return 1
}
log "building zorgzones (release, .build-release)"
build --scratch-path .build-release --product zorgzones
ZZ="$ROOT/.build-release/release/zorgzones"
log "building Benchmarks/ zzbench (release, Benchmarks/.build)"
build --package-path Benchmarks --scratch-path Benchmarks/.build --product zzbench
ZZBENCH="$ROOT/Benchmarks/.build/release/zzbench"

mkdir -p "$WORK"
# OPENBLAS_* can be set on this machine for old OpenBLAS builds; they only slow numpy here.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    python3 "$ROOT/Scripts/bench/bench.py" --zorgzones "$ZZ" --zzbench "$ZZBENCH" --work "$WORK" \
    --out "$ROOT/docs/benchmarks.md" "${ARGS[@]+"${ARGS[@]}"}"
