#!/usr/bin/env bash
# Stops the private PostgreSQL cluster started by pg-start.sh (same settings).
set -euo pipefail
source "$(dirname "$0")/pg-env.sh"
if [ ! -d "$pg_cluster" ]; then
    echo "no cluster in $pg_cluster" >&2
    exit 0
fi
cd "$BUDGET_PG_DATA"
if as_pg "$PG_BIN/pg_ctl" -D "$pg_cluster" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$pg_cluster" -m "${BUDGET_PG_STOP_MODE:-fast}" -w stop >&2
else
    echo "PostgreSQL is not running in $pg_cluster" >&2
fi
