#!/usr/bin/env bash
# Creates (first time) and starts a private PostgreSQL cluster, then prints its DATABASE_URL.
# Works as root (PostgreSQL then runs as the `postgres` user) and as a normal user.
# Settings: see pg-env.sh. Only the last line of output is the URL, for `$(deploy/pg-start.sh | tail -1)`.
set -euo pipefail
source "$(dirname "$0")/pg-env.sh"

mkdir -p "$BUDGET_PG_DATA" "$pg_socket"
if [ "$pg_user" = postgres ]; then
    chown postgres: "$BUDGET_PG_DATA" "$pg_socket"
    chmod 700 "$BUDGET_PG_DATA"
fi
cd "$BUDGET_PG_DATA"   # postgres must be able to read its working folder

if [ ! -s "$pg_cluster/PG_VERSION" ]; then
    echo "creating PostgreSQL cluster in $pg_cluster" >&2
    as_pg "$PG_BIN/initdb" -D "$pg_cluster" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >"$BUDGET_PG_DATA/initdb.log" 2>&1 \
        || { cat "$BUDGET_PG_DATA/initdb.log" >&2; exit 1; }
fi

if as_pg "$PG_BIN/pg_ctl" -D "$pg_cluster" status >/dev/null 2>&1; then
    echo "PostgreSQL already running in $pg_cluster" >&2
else
    as_pg "$PG_BIN/pg_ctl" -D "$pg_cluster" -l "$BUDGET_PG_DATA/postgres.log" -w -t 60 \
        -o "-p $BUDGET_PG_PORT -k $pg_socket -c listen_addresses=127.0.0.1 -c max_connections=300" start >&2 \
        || { tail -n 20 "$BUDGET_PG_DATA/postgres.log" >&2; exit 1; }
fi

psql_admin() { psql -X -q -h "$pg_socket" -p "$BUDGET_PG_PORT" -U postgres "$@"; }
if [ -z "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$BUDGET_PG_DB'")" ]; then
    psql_admin -d postgres -c "CREATE DATABASE \"$BUDGET_PG_DB\" ENCODING 'UTF8' TEMPLATE template0" >&2
fi
echo "PostgreSQL listening on 127.0.0.1:$BUDGET_PG_PORT and $pg_socket" >&2
echo "$DATABASE_URL"
