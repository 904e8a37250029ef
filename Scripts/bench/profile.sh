#!/usr/bin/env bash
# Where the time goes: callgrind profiles (instruction counts, repeatable) of
#   1. zorgzones build on the real data (zzbench real: one load + dissolve + encode + write, in process), and
#   2. the dissolve of a synthetic clean coverage (zzbench dissolve, default 10^5 cells),
# summarised by inclusive and exclusive cost, Swift names demangled. Run Scripts/bench/run.sh once first (it
# builds zzbench and generates the synthetic files), or pass the binaries' build yourself.
#
#   Scripts/bench/profile.sh [SIZE]        # SIZE: 1e4 | 1e5 (default) | 1e6 (slow under valgrind)
#
# Output: /tmp/zz-bench/profile/{build,dissolve-SIZE}.{callgrind.out,inclusive.txt,self.txt}
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SIZE="${1:-1e5}"
WORK="${ZZ_BENCH_WORK:-/tmp/zz-bench}"
OUT="$WORK/profile"
DATA="${ZORGZONES_DATA:-$(dirname "$ROOT")/shared/geodata}"
mkdir -p "$OUT"
ZZBENCH="$ROOT/Benchmarks/.build/release/zzbench"
[ -x "$ZZBENCH" ] || swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build --product zzbench >&2
# valgrind 3.19 cannot read the DWARF 5 that Swift 6.3 writes ("unhandled dwarf2 abbrev form"): profile a copy
# without debug info; the symbol table still names every function.
BIN="$OUT/zzbench.nodebug"
strip --strip-debug "$ZZBENCH" -o "$BIN"
SRC="$WORK/synth/cells_$SIZE.geojson"
[ -f "$SRC" ] || python3 "$ROOT/Scripts/bench/synth.py" "$SIZE" "$SRC" >/dev/null

summarise() { # name
    local f="$OUT/$1.callgrind.out"
    # Whole listings first (no pipe into head: with pipefail a closed pipe would stop the script).
    callgrind_annotate --inclusive=yes "$f" 2>/dev/null | swift demangle --simplified > "$OUT/$1.inclusive.txt" || true
    callgrind_annotate --inclusive=no "$f" 2>/dev/null | swift demangle --simplified > "$OUT/$1.self.txt" || true
    echo "== $1: inclusive (top 50)"; sed -n 20,70p "$OUT/$1.inclusive.txt" | cut -c1-220
    echo "== $1: self (top 30)"; sed -n 20,50p "$OUT/$1.self.txt" | cut -c1-220
}

echo "profiling build (real data) ..." >&2
timeout 1200 valgrind --tool=callgrind --callgrind-out-file="$OUT/build.callgrind.out" \
    "$BIN" real --data "$DATA" --runs 1 --warmup 0 >/dev/null 2>"$OUT/build.valgrind.log"
summarise build
echo "profiling dissolve of $SRC ..." >&2
timeout 3000 valgrind --tool=callgrind --callgrind-out-file="$OUT/dissolve-$SIZE.callgrind.out" \
    "$BIN" dissolve "$SRC" zone "$OUT/dissolve-$SIZE.geojson" --runs 1 --warmup 0 >/dev/null 2>"$OUT/dissolve.valgrind.log"
summarise "dissolve-$SIZE"
