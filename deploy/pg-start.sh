#!/usr/bin/env bash
# Creates (first time) and starts a private PostgreSQL cluster with the roles of deploy/roles.sql,
# then prints a DATABASE_URL. Works as root (PostgreSQL then runs as the `postgres` user) and as a
# normal user. Settings: see pg-env.sh.
#
#   deploy/pg-start.sh [server|owner|superuser]
#
# The last line of output is the URL of the role asked for, for `$(deploy/pg-start.sh | tail -1)`:
# server (default) is budget_server, the least-privilege login of the server and budgetctl; owner
# is budget_owner, which owns the schema and runs `budgetctl migrate`; superuser is `postgres`.
# Local connections need no password (trust): this cluster is for one machine's development.
set -euo pipefail
source "$(dirname "$0")/pg-env.sh"
case ${1:-server} in
    server) url=$BUDGET_SERVER_URL ;;
    owner) url=$BUDGET_OWNER_URL ;;
    superuser) url=$BUDGET_SUPERUSER_URL ;;
    *) echo "usage: deploy/pg-start.sh [server|owner|superuser]" >&2; exit 2 ;;
esac

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

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_socket" -p "$BUDGET_PG_PORT" -U postgres "$@"; }
# The roles of deploy/roles.sql, created once per cluster.
psql_admin -d postgres >&2 <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_owner') THEN CREATE ROLE budget_owner LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN CREATE ROLE budget_app NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_server') THEN
        CREATE ROLE budget_server LOGIN IN ROLE budget_app;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- a concurrent start created them
END
$$;
SQL
if [ -z "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$BUDGET_PG_DB'")" ]; then
    psql_admin -d postgres -c "CREATE DATABASE \"$BUDGET_PG_DB\" OWNER budget_owner ENCODING 'UTF8' TEMPLATE template0" >&2
fi
# The owner owns the database and everything in it; a database made by an older version of this
# script (owned by postgres) is handed over once, so the server's role never holds more than
# budget_app. Only then: taking a table's ownership waits for every lock on it, which a running
# server holds (a restart under load must not deadlock with it).
db_owner=$(psql_admin -d postgres -tAc "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$BUDGET_PG_DB'")
[ "$db_owner" = budget_owner ] || psql_admin -d "$BUDGET_PG_DB" >&2 <<SQL
ALTER DATABASE "$BUDGET_PG_DB" OWNER TO budget_owner;
ALTER SCHEMA public OWNER TO budget_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO budget_app;
DO \$\$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
               AND c.relowner <> 'budget_owner'::regrole
               -- a sequence owned by a column follows its table
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                               AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO budget_owner',
                       CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                       r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.proowner <> 'budget_owner'::regrole
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO budget_owner', r.name);
    END LOOP;
END
\$\$;
SQL
echo "PostgreSQL listening on 127.0.0.1:$BUDGET_PG_PORT and $pg_socket" >&2
echo "migrations connect as the owner: DATABASE_URL=$BUDGET_OWNER_URL" >&2
echo "$url"
