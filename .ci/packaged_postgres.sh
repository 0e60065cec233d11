#!/usr/bin/env bash
# Start Debian's packaged PostgreSQL (installed when missing) on 127.0.0.1:$PG_PORT in a throw-away
# cluster, run the given command with TEST_DATABASE_URL pointing at it, then stop and remove it.
# Used by .ci/run so that the PostgreSQL suites also pass against a server the program did not start.
set -euo pipefail
PG_PORT="${PG_PORT:-55432}"
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "== installing Debian's postgresql package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
DIR="$(mktemp -d /tmp/ci-packaged-pg-XXXXXX)"
as_owner() {  # PostgreSQL refuses to run as root: run its tools as the package's postgres user then
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
cleanup() {
    as_owner "'$PGBIN/pg_ctl' -D '$DIR/data' -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
as_owner "LC_ALL=C.UTF-8 '$PGBIN/initdb' -D '$DIR/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
as_owner "'$PGBIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w \
    -o \"-p $PG_PORT -k '$DIR' -c listen_addresses=127.0.0.1 -c max_connections=300\" start" >/dev/null
echo "== packaged PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres" "$@"
