#!/usr/bin/env bash
# Tries docs/deploy.md on this machine, end to end, in a scratch folder:
#
#   bash deploy/check.sh [BIN_DIR]        # BIN_DIR (or $BUDGET_BIN): default .build/release, else .build/debug
#
#  1. installs the binaries and the sql folder into a temporary prefix (usr/local/bin,
#     usr/share/budget/sql) and uses them from there, with BUDGET_SQL_DIR;
#  2. makes a PostgreSQL cluster with password (scram) login over TCP and WAL archiving, runs
#     deploy/roles.sql as the superuser, sets the passwords;
#  3. migrates as budget_owner, loads the sample and runs two servers as budget_server, and checks
#     that budget_server cannot switch the audit triggers off or touch the audit log;
#  4. puts Debian's nginx (nginx-light, installed when missing, as root) in front with
#     deploy/nginx.conf — TLS with a throwaway self-signed certificate on a loopback port — and
#     checks it with curl: the public disclosure, an authenticated read, /metrics refused;
#  5. backs up and restores twice: pg_dump → pg_restore into a new database, and a base backup
#     plus archived WAL → a second cluster (point-in-time recovery); `budgetctl audit verify` and
#     the disclosure on each copy;
#  6. applies a migration while the servers run (the upgrade path).
#
# Prints one line per step and "deploy check passed in N s"; about 30–40 s with debug binaries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$SECONDS
step() { echo "deploy-check: $*" >&2; }
fail() { echo "deploy-check: FAILED: $*" >&2; exit 1; }

src=${1:-${BUDGET_BIN:-}}
if [ -z "$src" ]; then
    if [ -x .build/release/budget-server ] && [ -x .build/release/budgetctl ]; then src=.build/release; else src=.build/debug; fi
fi
[ -x "$src/budget-server" ] && [ -x "$src/budgetctl" ] || fail "no budget-server/budgetctl in $src (swift build -c release first)"
if ! command -v nginx >/dev/null; then
    step "installing nginx-light (Debian's package, about 20 s)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi
command -v openssl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

work=$(mktemp -d /tmp/budget-deploy-check.XXXXXX)
chmod 755 "$work"
pids=()
pg_clusters=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null
    for cluster in "${pg_clusters[@]}"; do as_pg "$PG_BIN/pg_ctl" -D "$cluster" -m immediate -w stop >/dev/null 2>&1 || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$work"
    as_pg() { (cd "$work" && runuser -u postgres -- "$@"); }
else
    as_pg() { (cd "$work" && "$@"); }
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- 1. install into a prefix -------------------------------------------------------------------
prefix=$work/prefix
install -d "$prefix/usr/local/bin" "$prefix/usr/share/budget"
install -m 755 "$src/budget-server" "$src/budgetctl" "$prefix/usr/local/bin/"
cp -r sql "$prefix/usr/share/budget/sql"
export BUDGET_SQL_DIR=$prefix/usr/share/budget/sql
ctl=$prefix/usr/local/bin/budgetctl
# The audit signing key, outside the database: the servers and every writing budgetctl hold it;
# the auditor verifies with the public key alone.
install -d -m 700 "$prefix/etc/budget"
"$ctl" audit key --generate "$prefix/etc/budget/audit-key" >/dev/null
export BUDGET_AUDIT_KEY_FILE=$prefix/etc/budget/audit-key
public_key=$("$ctl" audit key)
step "1. installed into $prefix (binaries from $src); audit key in $BUDGET_AUDIT_KEY_FILE"

# --- 2. PostgreSQL with passwords, WAL archiving and deploy/roles.sql ---------------------------
pg_port=$(free_port)
cluster=$work/pg
install -d -m 700 "$work/wal" "$work/sock"
[ "$(id -u)" = 0 ] && chown postgres: "$work/wal" "$work/sock"
as_pg "$PG_BIN/initdb" -D "$cluster" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
cat >>"$cluster/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$work/sock'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $work/wal/%f && cp %p $work/wal/%f'
EOF
as_pg "$PG_BIN/pg_ctl" -D "$cluster" -l "$work/pg.log" -w start >/dev/null
pg_clusters+=("$cluster")
su_psql() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/sock" -p "$pg_port" -U postgres "$@"; }
su_psql -d postgres -f deploy/roles.sql >/dev/null
owner_pw=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
server_pw=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
su_psql -d postgres -c "ALTER ROLE budget_owner PASSWORD '$owner_pw'" -c "ALTER ROLE budget_server PASSWORD '$server_pw'"
owner_url="postgresql://budget_owner:$owner_pw@127.0.0.1:$pg_port/budget"
server_url="postgresql://budget_server:$server_pw@127.0.0.1:$pg_port/budget"
psql -X -q "postgresql://budget_server:wrong@127.0.0.1:$pg_port/budget" -c 'SELECT 1' >/dev/null 2>&1 \
    && fail "a wrong password was accepted"
step "2. PostgreSQL on $pg_port: deploy/roles.sql applied, scram passwords set, WAL archived to $work/wal"

# --- 3. migrate as the owner; servers as budget_server ------------------------------------------
(cd "$work" && DATABASE_URL=$owner_url "$ctl" migrate >/dev/null)
DATABASE_URL=$server_url BUDGET_TOKENS_FILE=$work/tokens.env bash scripts/load-sample.sh "$ctl" 2>"$work/load-sample.log" \
    || { cat "$work/load-sample.log" >&2; fail "loading the sample as budget_server failed"; }
# shellcheck disable=SC1091
. "$work/tokens.env"
for statement in "ALTER TABLE audit_events DISABLE TRIGGER USER" "ALTER TABLE audit_events DISABLE TRIGGER ALL" \
    "UPDATE audit_events SET reason = 'x'" "DELETE FROM audit_events" "TRUNCATE audit_events" \
    "DROP TABLE audit_events" "CREATE TABLE intruder (x int)"; do
    psql -X -q "$server_url" -c "$statement" >/dev/null 2>&1 && fail "budget_server could run: $statement"
done
ports=()
for i in 1 2; do
    port=$(free_port)
    (cd "$work" && DATABASE_URL=$server_url HOST=127.0.0.1 PORT=$port LOG_LEVEL=warning DB_POOL_SIZE=4 \
        exec "$prefix/usr/local/bin/budget-server" >>"$work/server-$i.log" 2>&1) &
    pids+=($!)
    ports+=("$port")
done
for port in "${ports[@]}"; do
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work"/server-*.log >&2; fail "server on $port not ready"; }
done
step "3. migrated as budget_owner; sample loaded and two servers (${ports[*]}) running as budget_server, which cannot disable or change the audit log"

# --- 4. nginx with deploy/nginx.conf, TLS on loopback -------------------------------------------
ngx=$work/nginx
install -d "$ngx/tmp" "$ngx/ssl"
chmod 777 "$ngx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=budget.example.gov.cn" \
    -keyout "$ngx/ssl/privkey.pem" -out "$ngx/ssl/fullchain.pem" >/dev/null 2>&1
https_port=$(free_port)
sed -e "s#server 127.0.0.1:8080 #server 127.0.0.1:${ports[0]} #" -e "s#server 127.0.0.1:8081 #server 127.0.0.1:${ports[1]} #" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
    -e "s#/etc/ssl/budget/#$ngx/ssl/#g" deploy/nginx.conf >"$ngx/budget.conf"
cat >"$ngx/nginx.conf" <<EOF
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 256; }
http {
    access_log $ngx/access.log;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    include $ngx/budget.conf;
}
EOF
nginx -t -p "$ngx" -c "$ngx/nginx.conf" >/dev/null 2>&1 || { nginx -t -p "$ngx" -c "$ngx/nginx.conf"; fail "nginx refused deploy/nginx.conf"; }
nginx -p "$ngx" -c "$ngx/nginx.conf"
for _ in $(seq 1 50); do [ -s "$ngx/nginx.pid" ] && break; sleep 0.1; done
https="https://budget.example.gov.cn:$https_port"
curl_tls() { curl -s --resolve "budget.example.gov.cn:$https_port:127.0.0.1" --cacert "$ngx/ssl/fullchain.pem" "$@"; }
disclosure=$(curl_tls "$https/public/v1/disclosures/2020/201?format=json")
grep -q '1012.49' <<<"$disclosure" || fail "the disclosure through nginx lacks 1012.49: ${disclosure:0:300}"
status=$(curl_tls -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $FINANCE_TOKEN" "$https/v1/entries?year=2020&state=published&limit=1")
[ "$status" = 200 ] || fail "an authenticated read through nginx answered $status"
status=$(curl_tls -o /dev/null -w '%{http_code}' "$https/v1/entries?year=2020")
[ "$status" = 401 ] || fail "a read without a token answered $status, not 401"
status=$(curl_tls -o /dev/null -w '%{http_code}' "$https/metrics")
[ "$status" = 403 ] || fail "/metrics through nginx answered $status, not 403"
proto=$(curl_tls -o /dev/null -w '%{http_version}' "$https/healthz")
step "4. nginx (deploy/nginx.conf) on https://127.0.0.1:$https_port, HTTP/$proto, verified certificate: disclosure 1012.49, token read 200, no token 401, /metrics 403"

# --- 5. backups and restores ----------------------------------------------------------------------
fingerprint() {  # the published disclosure, the audit log's size and the 2021 control figure, of one database
    local json
    json=$(DATABASE_URL=$1 "$ctl" disclosure --department 201 --year 2020 --format json) || fail "no disclosure from $1"
    grep -q '1012.49' <<<"$json" || fail "the disclosure from $1 lacks 1012.49"
    printf '%s' "$json" | sha256sum | cut -c1-16
    psql -X -tA "$1" -c "SELECT count(*) FROM audit_events" -c "SELECT count(*) FROM control_figures WHERE year = 2021"
}
before=$(fingerprint "$server_url")
# (a) logical: pg_dump as the owner, restore into a new database of the same owner.
PGPASSWORD=$owner_pw pg_dump -Fc -h 127.0.0.1 -p "$pg_port" -U budget_owner -d budget -f "$work/budget.dump"
su_psql -d postgres -c "CREATE DATABASE budget_restored OWNER budget_owner ENCODING 'UTF8' TEMPLATE template0"
PGPASSWORD=$owner_pw pg_restore --exit-on-error -h 127.0.0.1 -p "$pg_port" -U budget_owner -d budget_restored "$work/budget.dump"
restored_url="postgresql://budget_server:$server_pw@127.0.0.1:$pg_port/budget_restored"
DATABASE_URL=$restored_url BUDGET_AUDIT_KEY_FILE= "$ctl" audit verify --public-key "$public_key" --as auditor >/dev/null || fail "audit verify failed on the pg_dump restore"
[ "$(fingerprint "$restored_url")" = "$before" ] || fail "the pg_dump restore differs"
psql -X -q "$restored_url" -c "ALTER TABLE audit_events DISABLE TRIGGER ALL" >/dev/null 2>&1 && fail "the restore lost the ownership"
step "5a. pg_dump -Fc → pg_restore into budget_restored: audit verify ok, same disclosure and audit log, grants kept"
# (b) physical: a base backup, more work, then recovery from the archived WAL on a second cluster.
as_pg "$PG_BIN/pg_basebackup" -h "$work/sock" -p "$pg_port" -U postgres -D "$work/base" -X none -c fast 2>"$work/basebackup.log" \
    || { cat "$work/basebackup.log" >&2; fail "pg_basebackup failed"; }
DATABASE_URL=$server_url "$ctl" control set --unit 201002 --year 2021 --amount 12000000.00 --as finance >/dev/null
after=$(fingerprint "$server_url")
[ "$after" != "$before" ] || fail "the change after the base backup is not visible"
su_psql -d postgres -c "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 50); do
    [ "$(su_psql -d postgres -tAc "SELECT last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) FROM pg_stat_archiver")" = t ] && break
    sleep 0.1
done
pitr_port=$(free_port)
cat >>"$work/base/postgresql.conf" <<EOF
port = $pitr_port
archive_mode = off
restore_command = 'cp $work/wal/%f %p'
EOF
as_pg touch "$work/base/recovery.signal"
as_pg "$PG_BIN/pg_ctl" -D "$work/base" -l "$work/pitr.log" -w -t 60 start >/dev/null || { cat "$work/pitr.log" >&2; fail "recovery did not start"; }
pg_clusters+=("$work/base")
for _ in $(seq 1 100); do
    [ "$(psql -X -tA -h "$work/sock" -p "$pitr_port" -U postgres -d budget -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
    sleep 0.1
done
pitr_url="postgresql://budget_server:$server_pw@127.0.0.1:$pitr_port/budget"
DATABASE_URL=$pitr_url BUDGET_AUDIT_KEY_FILE= "$ctl" audit verify --public-key "$public_key" --as auditor >/dev/null || fail "audit verify failed on the recovered cluster"
[ "$(fingerprint "$pitr_url")" = "$after" ] || fail "the recovered cluster lacks the work done after the base backup"
step "5b. pg_basebackup + archived WAL → recovered cluster on $pitr_port: audit verify ok, includes the change made after the backup"

# --- 6. upgrade: a new migration applied while the servers run ------------------------------------
cp -r "$BUDGET_SQL_DIR" "$work/sql-next"
cat >"$work/sql-next/migrations/9999_deploy_check.sql" <<'SQL'
-- An upgrade's additive migration (deploy check only).
ALTER TABLE organizations ADD COLUMN IF NOT EXISTS deploy_check_note text;
SQL
(cd "$work" && BUDGET_SQL_DIR=$work/sql-next DATABASE_URL=$owner_url "$ctl" migrate >/dev/null)
for port in "${ports[@]}"; do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || fail "server on $port not ready after the migration"
done
status=$(curl_tls -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $FINANCE_TOKEN" "$https/v1/entries?year=2020&limit=1")
[ "$status" = 200 ] || fail "a read after the migration answered $status"
step "6. a migration applied as budget_owner while both servers ran; they kept answering"

echo "deploy check passed in $((SECONDS - start)) s" >&2
