#!/usr/bin/env bash
# Behaviour unchanged? Runs build, dissolve, check, compare and render on the data package with two zorgzones binaries,
# and the same over HTTP (`serve`), and compares every output byte for byte (manifest timestamps aside). Used for refactors (issue 12).
#
#   Scripts/same-outputs.sh OLD_BINARY NEW_BINARY [WORK_DIR]
#
# OLD_BINARY is built from the earlier commit, e.g.
#   git worktree add /tmp/zz-base <commit> && (cd /tmp/zz-base && swift build -c release)
# Both binaries run from the repository root (so that GeoData/ is found the same way) with the same data directory
# ($ZORGZONES_DATA, else ../shared/geodata). Exit status 0 when every output is identical, 1 otherwise.
set -uo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 OLD_BINARY NEW_BINARY [WORK_DIR]" >&2; exit 64; fi
OLD=$(realpath "$1"); NEW=$(realpath "$2"); WORK=${3:-$(mktemp -d)}
cd "$(dirname "$0")/.."
DATA=${ZORGZONES_DATA:-$(realpath ../shared/geodata)}
[ -f "$DATA/blocks.geojson" ] || { echo "no data package at $DATA" >&2; exit 2; }
export ZORGZONES_DATA=$DATA

run_all() {  # $1 binary, $2 output folder
  local bin=$1 out=$2; rm -rf "$out"; mkdir -p "$out"
  local n=0
  step() {  # name, command... : stdout, stderr and exit status are outputs too
    n=$((n+1)); "$bin" "$@" >"$out/$n.$1.stdout" 2>"$out/$n.$1.stderr"; echo $? >"$out/$n.$1.status"
  }
  step build --out "$out/build" --zoning "gezondheidsmakers=zonings/gezondheidsmakers.csv"
  step build --out "$out/build5" --precision 5 --no-bbox --quiet
  step dissolve "$DATA/blocks.geojson" --by province --out "$out/dissolve-province.geojson"
  step dissolve "$DATA/blocks.geojson" --by nis --sum population --out "$out/dissolve-error.geojson"
  step check
  step check --format json
  step check --format markdown
  step check --zoning GeoData/scenarios/a-westkust-en-polder-bij-de-kust.csv --format json
  step check --zoning GeoData/scenarios/b-regio-gent-gesplitst.csv
  step check --snap 0.5 --format json
  step compare --zoning rzz --with hospital-networks --out "$out/cmp-hosp"
  step compare --zoning rzz --with hospital-networks --method nearest --format json
  step compare --zoning rzz --with ggz-adults --out "$out/cmp-ggz"
  step compare --zoning elz --with rr --format json
  step render --map official --out "$out/official.svg"
  step render --map hospitals --service-areas voronoi --out "$out/hospitals.svg"
  step render --map ggz --ggz youth --out "$out/ggz.svg"
  step render --map rules --out "$out/rules.svg"
  step render --map zoning --layer elz --out "$out/zoning-elz.svg"
  step render --map official --zoning GeoData/scenarios/b-regio-gent-gesplitst.csv --out "$out/official-b.svg"
  # The service: the same data over HTTP (layers, check, compare, render, dissolve).
  local port=$((20000 + RANDOM % 20000))
  "$bin" serve --port "$port" >"$out/serve.log" 2>&1 & local pid=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.5; done
  get() { curl -s -o "$out/http.$1" "localhost:$port$2"; }
  post() { curl -s -o "$out/http.$1" -X POST "localhost:$port$2" -H "Content-Type: $3" --data-binary "$4"; }
  get layers.json /v1/layers
  get rzz.geojson /v1/layers/rzz.geojson
  get elz.svg /v1/layers/elz.svg
  post check.json '/v1/check?format=json' application/json '{"zoning":"rzz"}'
  post check-b.md '/v1/check?format=markdown' text/csv "@GeoData/scenarios/b-regio-gent-gesplitst.csv"
  post compare.json /v1/compare application/json '{"zoning":"rzz","networks":"hospital-networks","method":"nearest"}'
  post render-rules.svg '/v1/render?kind=rules' application/json '{"zoning":"rzz"}'
  post render-hospitals.svg '/v1/render?kind=hospitals' application/json '{"zoning":"elz"}'
  post dissolve.geojson '/v1/dissolve?by=province&precision=5' application/geo+json "@$DATA/blocks.geojson"
  kill "$pid"; wait "$pid" 2>/dev/null
  rm -f "$out/serve.log"   # timings and request ids
  # Paths of the work folder differ between the two runs: write them as OUT.
  grep -rlF "$out" "$out" 2>/dev/null | while read -r f; do sed -i "s#$out#OUT#g" "$f"; done
  # Run times printed on stdout differ from run to run.
  sed -i -E 's/ in [0-9.]+ (ms|s)\b/ in T/g' "$out"/*.stdout
  # Manifest timestamps and tool versions are expected to differ.
  find "$out" -name manifest.json | while read -r f; do
    sed -i -E 's/"(created|generated|built_at|timestamp)"[[:space:]]*:[[:space:]]*"[^"]*"/"\1":"T"/g' "$f"; done
}

run_all "$OLD" "$WORK/old"
run_all "$NEW" "$WORK/new"
if diff -r "$WORK/old" "$WORK/new" >"$WORK/diff.txt"; then
  echo "same: $(find "$WORK/old" -type f | wc -l) outputs identical ($WORK)"
else
  echo "DIFFERENT: see $WORK/diff.txt"; head -40 "$WORK/diff.txt"; exit 1
fi
