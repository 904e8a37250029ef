#!/usr/bin/env bash
# Cross-checks the layers written by `zorgzones build` with an independent reader: GDAL's ogrinfo.
# For every layer: GDAL opens it with no warning, reads the expected number of features, finds every geometry
# valid, and its own area (ST_Area after ST_Transform to EPSG:31370, SpatiaLite) agrees with area_km2.
# Usage: Scripts/crosscheck.sh [OUT_DIR]   (default: builds into a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ogrinfo >/dev/null || { echo "ogrinfo not found: apt-get install gdal-bin" >&2; exit 2; }
OUT="${1:-}"
if [ -z "$OUT" ]; then
    OUT="$(mktemp -d)"
    swift build -c release --product zorgzones >/dev/null
    "$(swift build -c release --show-bin-path)/zorgzones" build --out "$OUT" --quiet
fi
status=0
for layer in municipalities:304 elz:60 rr:15 rzz:14; do
    name="${layer%%:*}"; want="${layer##*:}"
    file="$OUT/$name.geojson"
    err="$(mktemp)"
    summary="$(ogrinfo -ro -so -al "$file" 2>"$err")"
    if [ -s "$err" ]; then echo "FAIL $name: GDAL printed warnings:"; cat "$err"; status=1; fi
    count="$(echo "$summary" | sed -n 's/^Feature Count: //p')"
    if [ "$count" != "$want" ]; then echo "FAIL $name: $count features, expected $want"; status=1; fi
    # Largest area difference beyond area_km2's rounding (4 decimals) relative to the area, and the number of
    # invalid geometries.
    read -r maxrel invalid < <(ogrinfo -ro -q "$file" -dialect SQLite -sql \
        "SELECT MAX(MAX(ABS(ST_Area(ST_Transform(geometry, 31370)) / 1e6 - area_km2) - 0.00005, 0) / area_km2) AS maxrel,
                SUM(CASE WHEN ST_IsValid(geometry) THEN 0 ELSE 1 END) AS invalid FROM \"$name\"" 2>>"$err" \
        | awk -F' = ' '/maxrel/ {m=$2} /invalid/ {i=$2} END {print m, i}')
    if [ -s "$err" ]; then echo "FAIL $name: GDAL printed warnings:"; cat "$err"; status=1; fi
    ok="$(awk -v m="$maxrel" 'BEGIN { print (m < 1e-6) ? "yes" : "no" }')"
    if [ "$ok" != "yes" ] || [ "$invalid" != "0" ]; then status=1; verdict=FAIL; else verdict=ok; fi
    echo "$verdict $name: $count features, GDAL reads without warnings, invalid geometries: $invalid, max relative area difference beyond rounding: $maxrel"
    rm -f "$err"
done
exit $status
