#!/usr/bin/env bash
# Installs the system packages zorgzones needs on Debian 12 and builds it (release).
# Usage: Scripts/setup.sh [--no-build]
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# GEOS and PROJ (C libraries + pkg-config files), zlib (gzip answers of the service), pkg-config itself; librsvg2-bin (rsvg-convert) and gdal-bin
# (ogrinfo) are used by the tests to check the SVG and the GeoJSON with independent readers.
$SUDO apt-get install -y -qq --no-install-recommends \
    libgeos-dev libproj-dev proj-data zlib1g-dev pkg-config librsvg2-bin gdal-bin libxml2-utils ca-certificates >/dev/null
if [ "${1:-}" != "--no-build" ]; then
    swift build -c release
fi
