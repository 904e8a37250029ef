#!/usr/bin/env bash
# Installs the system packages zorgzones needs on Debian 12 (Scripts/debian-packages.txt) and builds it (release).
# Usage: Scripts/setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $(grep -v '^#' Scripts/debian-packages.txt) >/dev/null
if [ "${1:-}" != "--no-build" ]; then
    swift build -c release
fi
