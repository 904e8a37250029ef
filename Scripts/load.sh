#!/usr/bin/env bash
# Load test of `zorgzones serve` on loopback with wrk: requests/s and latency percentiles for a static layer
# (plain and gzip, and a conditional GET answered 304) and for POST /v1/dissolve (a small grid, and the
# dataset's 307 blocks dissolved by region).
#
# Usage: Scripts/load.sh [SECONDS_PER_RUN] [CONNECTIONS]
#   ZORGZONES_BIN  the binary (default: .build/release/zorgzones, built if missing)
#   ZORGZONES_DATA the data directory (default: ../shared/geodata)
# Starts its own server on 127.0.0.1 on a free port, stops it with SIGTERM at the end (graceful shutdown),
# and never sends traffic anywhere else. Every run is bounded by wrk's -d and by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-8}"
THREADS=2
BIN="${ZORGZONES_BIN:-.build/release/zorgzones}"
DATA="${ZORGZONES_DATA:-$(cd .. && pwd)/shared/geodata}"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = "0" ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    else echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; fi
fi
if [ ! -x "$BIN" ]; then swift build -c release --product zorgzones >&2; fi

WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --host 127.0.0.1 --port "$PORT" --data "$DATA" --max-queued 64 --log-level warning >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
    if kill -0 "$SERVER" 2>/dev/null; then
        kill -TERM "$SERVER"
        for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 300); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$BASE/healthz" >/dev/null

# Request bodies.
python3 - "$WORK" <<'EOF'
import json, sys
work = sys.argv[1]
features = []
for i in range(10):
    for j in range(10):
        x, y, s = 4.0 + i * 0.01, 51.0 + j * 0.01, 0.01
        features.append({"type": "Feature", "properties": {"id": f"{i}-{j}", "zone": f"z{i // 5}{j // 5}", "pop": i * j},
                         "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]]}})
json.dump({"type": "FeatureCollection", "features": features}, open(f"{work}/grid.geojson", "w"))
EOF
cp "$DATA/blocks.geojson" "$WORK/blocks.geojson"
cat >"$WORK/post.lua" <<'EOF'
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/geo+json"
EOF
ETAG="$(curl -fsS -D - -o /dev/null "$BASE/v1/layers/rzz.geojson" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')"

# One wrk run: prints a table row. Non-2xx/3xx answers are counted and shown.
run() {
    local name="$1"; shift
    local out
    local c="${C:-$CONNECTIONS}" t="$THREADS"
    if [ "$c" -lt "$t" ]; then t="$c"; fi
    out="$(timeout $((DURATION + 30)) wrk -t "$t" -c "$c" -d "${DURATION}s" --timeout 30s --latency "$@" 2>&1)" || true
    python3 - "$name" "$out" <<'EOF'
import re, sys
name, out = sys.argv[1], sys.argv[2]
def grab(pattern, default="?"):
    m = re.search(pattern, out, re.M)
    return m.group(1) if m else default
rps = grab(r"Requests/sec:\s+([\d.]+)")
total = grab(r"(\d+) requests in")
p = {q: grab(rf"^\s+{q}%\s+(\S+)") for q in ("50", "75", "90", "99")}
errors = grab(r"Non-2xx or 3xx responses: (\d+)", "0")
sock = grab(r"Socket errors: (.*)$", "")
transfer = grab(r"Transfer/sec:\s+(\S+)")
print(f"| {name} | {rps} | {p['50']} | {p['75']} | {p['90']} | {p['99']} | {total} | {errors}{' (' + sock + ')' if sock else ''} | {transfer} |")
EOF
}

GZIP="$(curl -fsS "$BASE/healthz" | python3 -c 'import json,sys; print("linked" if json.load(sys.stdin)["gzip"] else "not linked: identity bodies")')"
echo "zorgzones serve load test: wrk -t $THREADS -c $CONNECTIONS -d ${DURATION}s on 127.0.0.1, $(nproc) cores, $("$BIN" --version), gzip $GZIP"
echo
echo "| scenario | req/s | p50 | p75 | p90 | p99 | requests | non-2xx/3xx | transfer/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
run "GET /v1/layers/rzz.geojson (408 kB)" "$BASE/v1/layers/rzz.geojson"
run "GET /v1/layers/rzz.geojson, Accept-Encoding: gzip" -H "Accept-Encoding: gzip" "$BASE/v1/layers/rzz.geojson"
run "GET /v1/layers/rzz.geojson, If-None-Match → 304" -H "If-None-Match: $ETAG" "$BASE/v1/layers/rzz.geojson"
run "GET /v1/layers/municipalities.geojson (1.6 MB)" "$BASE/v1/layers/municipalities.geojson"
run "GET /healthz" "$BASE/healthz"
BODY="$WORK/grid.geojson" run "POST /v1/dissolve?by=zone (100 squares → 4 zones)" -s "$WORK/post.lua" "$BASE/v1/dissolve?by=zone&sum=pop"
BODY="$WORK/blocks.geojson" run "POST /v1/dissolve?by=region (307 blocks, 1.5 MB → 2 zones)" -s "$WORK/post.lua" "$BASE/v1/dissolve?by=region&sum=population"
BODY="$WORK/blocks.geojson" C=1 run "the same, one connection" -s "$WORK/post.lua" "$BASE/v1/dissolve?by=region&sum=population"
# Static answers while the worker slots are busy with GEOS: they do not wait for them.
BODY="$WORK/blocks.geojson" timeout $((DURATION + 30)) wrk -t 1 -c 4 -d "$((DURATION + 2))s" --timeout 30s -s "$WORK/post.lua" \
    "$BASE/v1/dissolve?by=region" >/dev/null 2>&1 &
BACKGROUND=$!
sleep 1
run "GET /v1/layers/rzz.geojson during 4 connections of blocks dissolves" "$BASE/v1/layers/rzz.geojson"
wait "$BACKGROUND" || true
echo
curl -fsS "$BASE/healthz"
echo
