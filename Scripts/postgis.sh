#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS 3 server for the PostGIS tests (Debian postgresql-15-postgis-3), in its own
# folder and on its own port and socket, so it never touches a system cluster.
#
#   Scripts/postgis.sh start   # prints the GDAL connection string: PG:host=… port=… dbname=zorgzones_test user=…
#   Scripts/postgis.sh stop
#
# ZORGZONES_PG_DIR (default /tmp/zorgzones-pg) holds the data and the socket; ZORGZONES_PG_PORT (default 55432).
# As root, the server runs as the 'postgres' user (PostgreSQL refuses to run as root).
set -euo pipefail
DIR="${ZORGZONES_PG_DIR:-/tmp/zorgzones-pg}"
PORT="${ZORGZONES_PG_PORT:-55432}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$BIN/initdb" ] || { echo "postgis.sh: PostgreSQL is not installed (Debian postgresql-15 postgresql-15-postgis-3)" >&2; exit 1; }
if [ "$(id -u)" = "0" ]; then RUN=(runuser -u postgres --); USER_NAME=postgres; else RUN=(); USER_NAME="$(id -un)"; fi

case "${1:-start}" in
start)
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
        mkdir -p "$DIR"
        [ "$(id -u)" = "0" ] && chown postgres "$DIR"
        "${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U "$USER_NAME" >/dev/null
    fi
    if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
            -o "-p $PORT -k $DIR -c listen_addresses=''" start >/dev/null
    fi
    if ! "${RUN[@]}" "$BIN/psql" -h "$DIR" -p "$PORT" -U "$USER_NAME" -d postgres -tAc \
            "select 1 from pg_database where datname = 'zorgzones_test'" | grep -q 1; then
        "${RUN[@]}" "$BIN/createdb" -h "$DIR" -p "$PORT" -U "$USER_NAME" zorgzones_test
    fi
    "${RUN[@]}" "$BIN/psql" -h "$DIR" -p "$PORT" -U "$USER_NAME" -d zorgzones_test -qc "create extension if not exists postgis" >/dev/null
    echo "PG:host=$DIR port=$PORT dbname=zorgzones_test user=$USER_NAME"
    ;;
stop)
    "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop" >&2; exit 64 ;;
esac
