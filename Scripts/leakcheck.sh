#!/usr/bin/env bash
# Runs the GeoCore, GEOS and Projection test suites under AddressSanitizer + LeakSanitizer, in a throw-away package
# that holds only those modules (so the run does not rebuild the whole dependency graph with ASan).
# A GEOS or PROJ handle that is never freed shows up as a "Direct leak" with a stack through our code.
# (valgrind cannot read the debug info of Swift 6.3 binaries: "Possibly corrupted debuginfo file".)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources" "$work/Tests"
cp -r Sources/CGEOS Sources/CPROJ Sources/GeoCore Sources/GEOS Sources/Projection "$work/Sources/"
cp -r Tests/GeoCoreTests Tests/GEOSTests Tests/ProjectionTests "$work/Tests/"
cat > "$work/Package.swift" <<'PKG'
// swift-tools-version:6.1
import PackageDescription
let package = Package(name: "leakcheck", targets: [
    .systemLibrary(name: "CGEOS", pkgConfig: "geos"),
    .systemLibrary(name: "CPROJ", pkgConfig: "proj"),
    .target(name: "GeoCore"),
    .target(name: "GEOS", dependencies: ["GeoCore", "CGEOS"]),
    .target(name: "Projection", dependencies: ["GeoCore", "CPROJ"]),
    .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore"]),
    .testTarget(name: "GEOSTests", dependencies: ["GeoCore", "GEOS"]),
    .testTarget(name: "ProjectionTests", dependencies: ["GeoCore", "Projection"]),
])
PKG
log="$work/asan.log"
(cd "$work" && ASAN_OPTIONS=detect_leaks=1 swift test --sanitize=address >"$log" 2>&1) || true
grep -E "Test run with|passed|failed" "$log" | tail -3
# XCTest's own harness leaks a few hundred bytes at exit (SuiteRun, XCTMain); anything else is ours.
ours="$(awk '/^(Direct|Indirect) leak/ {blk=$0; keep=0; next} /^ *#[0-9]/ && blk!="" { if ($0 ~ /XCTest/) {blk=""} else if ($0 ~ /GEOS|GeoCore|Geometry|Projection|geos|proj/) {keep=1} } /^$/ { if (blk!="" && keep) print blk; blk="" }' "$log")"
if [ -n "$ours" ]; then
    echo "LEAKS from zorgzones, GEOS or PROJ:"; echo "$ours"; exit 1
fi
echo "LeakSanitizer: no leak from zorgzones, GEOS or PROJ ($(grep -c '^Direct leak\|^Indirect leak' "$log" || true) XCTest-harness allocations ignored)"
