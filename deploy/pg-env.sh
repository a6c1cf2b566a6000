# Shared settings of the private PostgreSQL cluster; sourced by pg-start.sh and pg-stop.sh.
#
#   BUDGET_PG_DATA  folder holding the cluster (default: .pgdata in the checkout, or a folder under
#                   /tmp when the `postgres` user cannot reach the checkout, e.g. under /root)
#   BUDGET_PG_PORT  TCP port on 127.0.0.1 (default 54329; 5432 may belong to a stopped system cluster)
#   BUDGET_PG_DB    database to create (default budget)

budget_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUDGET_PG_PORT=${BUDGET_PG_PORT:-54329}
BUDGET_PG_DB=${BUDGET_PG_DB:-budget}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/pg_ctl" ] || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; return 1; }

if [ "$(id -u)" = 0 ]; then
    pg_user=postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    pg_user=$(id -un)
    as_pg() { "$@"; }
fi

if [ -z "${BUDGET_PG_DATA:-}" ]; then
    BUDGET_PG_DATA="$budget_root/.pgdata"
    # PostgreSQL runs as `postgres` when we are root: every parent folder must be traversable by it.
    if [ "$pg_user" = postgres ] && ! runuser -u postgres -- test -x "$budget_root"; then
        BUDGET_PG_DATA="/tmp/budget-pg-$(printf '%s' "$budget_root" | sha1sum | cut -c1-10)"
    fi
fi
pg_cluster="$BUDGET_PG_DATA/cluster"
# Unix socket paths are limited to ~100 bytes.
pg_socket="$BUDGET_PG_DATA/sock"
if [ ${#pg_socket} -gt 80 ]; then
    pg_socket="/tmp/budget-pg-sock-$(printf '%s' "$BUDGET_PG_DATA" | sha1sum | cut -c1-10)"
fi
# The roles of deploy/roles.sql, which pg-start.sh creates: migrations run as the owner, the server and
# budgetctl as budget_server (member of budget_app only, so it cannot switch the audit triggers off).
# The superuser is for the DBA's own work (and the tests, which create databases).
BUDGET_OWNER_URL="postgresql://budget_owner@127.0.0.1:$BUDGET_PG_PORT/$BUDGET_PG_DB"
BUDGET_SERVER_URL="postgresql://budget_server@127.0.0.1:$BUDGET_PG_PORT/$BUDGET_PG_DB"
BUDGET_SUPERUSER_URL="postgresql://postgres@127.0.0.1:$BUDGET_PG_PORT/$BUDGET_PG_DB"
DATABASE_URL=$BUDGET_SERVER_URL
