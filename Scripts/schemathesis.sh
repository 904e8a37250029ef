#!/usr/bin/env bash
# schemathesis (PyPI) against a running zorgzones service: the OpenAPI document at /openapi.json, every check,
# a bounded number of examples per operation. Starts the debug binary on a free port unless ZORGZONES_URL is set.
#
#   Scripts/schemathesis.sh [MAX_EXAMPLES]      # default 30; exit status 0 when no check fails
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES="${1:-30}"
command -v st >/dev/null || python3 -m pip install -q schemathesis
URL="${ZORGZONES_URL:-}"
if [ -z "$URL" ]; then
    LOG="$(mktemp)"
    .build/debug/zorgzones serve --port 0 >"$LOG" 2>&1 &
    PID=$!
    trap 'kill $PID 2>/dev/null; rm -f "$LOG"' EXIT
    for _ in $(seq 1 600); do
        PORT="$(grep -o 'address=[^ ]*:[0-9]*' "$LOG" | grep -o '[0-9]*$' | head -1 || true)"
        [ -n "$PORT" ] && break
        sleep 0.2
    done
    [ -n "${PORT:-}" ] || { echo "the service did not start:"; cat "$LOG"; exit 1; }
    URL="http://127.0.0.1:$PORT"
fi
st --config-file Scripts/schemathesis/schemathesis.toml run "$URL/openapi.json" \
    --checks all --max-examples "$EXAMPLES" --seed 2026 --no-color
