# Shared helpers of bench/run.sh and bench/faults/*.sh (sourced, not run).
#
# Every script gets its own throwaway PostgreSQL cluster (default durability: fsync and
# synchronous_commit on) in a fresh /tmp folder on a free port, its own budget-server processes,
# and an EXIT trap that stops and removes all of them.
#
#   bench_build                  release build of budget-server and budgetctl (BENCH_SKIP_BUILD=1 skips);
#                                BENCH_CONFIG=debug uses the debug binaries instead (fault scripts only:
#                                CI reuses the test build; benchmark figures always come from release)
#                                then bench_audit_key
#   bench_audit_key              a fresh audit signing key in $BENCH_WORK, exported as BUDGET_AUDIT_KEY_FILE,
#                                so the servers and budgetctl sign every audit event as deployed ones do
#   bench_pg_start               fresh cluster + database; sets DATABASE_URL, BENCH_PG_* and PSQL
#   bench_migrate                budgetctl migrate
#   bench_seed_people UNITS      department B, units B01..B<UNITS>, one officer each, auditor, finance, admin,
#                                (users bench-officer-B01…, bench-auditor…) with fixed bearer tokens bench-token-officer-B01, bench-token-auditor, …
#   bench_seed_entries PORT N UNITS FILE   N complete project drafts through the API (BLP batches of 1,000);
#                                writes "id token unit code" lines to FILE
#   bench_server_start NAME PORT [VAR=VALUE…]   starts budget-server, waits for /readyz; pid in BENCH_PID_<NAME>
#   bench_server_stop NAME       SIGTERM, then waits
#   bench_free_port              prints a free TCP port on 127.0.0.1
#   bench_audit_verify           budgetctl audit verify --as bench-auditor, or a SQL-level check
#   bench_invariants             SQL invariants: per entry version − 1 = non-create events; contiguous chains; heads match
set -euo pipefail

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_dir="$bench_root/bench"
export BUDGET_SQL_DIR="$bench_root/sql"
BENCH_WORK=${BENCH_WORK:-$(mktemp -d /tmp/budget-bench.XXXXXX)}
chmod 755 "$BENCH_WORK"
BENCH_SERVERS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

bench_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

bench_build() {
    cd "$bench_root"
    local config=${BENCH_CONFIG:-release}
    if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
        log "building $config binaries (may wait for another build's lock)"
        swift build -c "$config" --product budget-server >&2
        swift build -c "$config" --product budgetctl >&2
    fi
    BENCH_BIN=$(swift build -c "$config" --show-bin-path)
    [ -x "$BENCH_BIN/budget-server" ] && [ -x "$BENCH_BIN/budgetctl" ] || die "$config binaries missing in $BENCH_BIN"
    export BENCH_BIN
    bench_audit_key
}

bench_audit_key() {
    export BUDGET_AUDIT_KEY_FILE="$BENCH_WORK/audit-key"
    [ -f "$BUDGET_AUDIT_KEY_FILE" ] || "$BENCH_BIN/budgetctl" audit key --generate "$BUDGET_AUDIT_KEY_FILE" >/dev/null
}

bench_pg_start() {
    export BUDGET_PG_DATA="$BENCH_WORK/pg" BUDGET_PG_PORT=${BENCH_PG_PORT:-$(bench_free_port)} BUDGET_PG_DB=budget
    mkdir -p "$BUDGET_PG_DATA"
    DATABASE_URL=$(bash "$bench_root/deploy/pg-start.sh" superuser 2>"$BENCH_WORK/pg-start.log" | tail -n 1) \
        || { cat "$BENCH_WORK/pg-start.log" >&2; die "PostgreSQL did not start"; }
    export DATABASE_URL
    PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL")
    log "PostgreSQL $(${PSQL[@]} -tAc 'SHOW server_version') on port $BUDGET_PG_PORT (fsync=$(${PSQL[@]} -tAc 'SHOW fsync'), synchronous_commit=$(${PSQL[@]} -tAc 'SHOW synchronous_commit'))"
}

# pg_ctl as the cluster's owner (root runs PostgreSQL as `postgres`).
bench_pg_ctl() {
    local cluster="$BUDGET_PG_DATA/cluster"
    if [ "$(id -u)" = 0 ]; then
        (cd "$BUDGET_PG_DATA" && runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" -D "$cluster" "$@")
    else
        (cd "$BUDGET_PG_DATA" && "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" -D "$cluster" "$@")
    fi
}

bench_migrate() {
    "$BENCH_BIN/budgetctl" migrate >"$BENCH_WORK/migrate.log" 2>&1 || { cat "$BENCH_WORK/migrate.log" >&2; die "migrate failed"; }
}

bench_seed_people() {
    local units=${1:-8}
    "${PSQL[@]}" -v units="$units" <<'SQL'
INSERT INTO organizations (code, name, kind, nature, level, funding)
VALUES ('B', '基准测试部门', 'department', '行政', '正科', '财政拨款');
INSERT INTO organizations (code, name, kind, parent_code, nature, level, funding)
SELECT 'B' || lpad(u::text, 2, '0'), '基准测试单位' || u, 'unit', 'B', '行政', '正科', '财政拨款'
FROM generate_series(1, :units) AS u;
INSERT INTO users (name, role, org_code)
SELECT 'bench-officer-B' || lpad(u::text, 2, '0'), 'officer', 'B' || lpad(u::text, 2, '0') FROM generate_series(1, :units) AS u
UNION ALL VALUES ('bench-auditor', 'auditor', NULL), ('bench-finance', 'finance_reviewer', NULL),
                 ('bench-admin', 'admin', NULL), ('bench-reviewer', 'department_reviewer', 'B');
-- Token text = "bench-" || role-ish name; only its SHA-256 is stored, as budgetctl does.
INSERT INTO api_tokens (user_id, token_hash)
SELECT id, sha256(convert_to(replace(name, 'bench-', 'bench-token-'), 'UTF8')) FROM users WHERE name LIKE 'bench-%';
SQL
}

bench_token() { echo "bench-token-$1"; }   # bench_token officer-B01 | auditor | finance | reviewer

bench_seed_entries() {
    local port=$1 n=$2 units=$3 out=$4
    python3 "$bench_dir/tools/seed.py" --url "http://127.0.0.1:$port" --entries "$n" --units "$units" --out "$out"
}

bench_server_start() {
    local name=$1 port=$2
    shift 2
    local logf="$BENCH_WORK/server-$name.log"
    env "$@" DATABASE_URL="$DATABASE_URL" PORT="$port" LOG_FORMAT=${BENCH_LOG_FORMAT:-json} \
        LOG_LEVEL=${BENCH_LOG_LEVEL:-warning} "$BENCH_BIN/budget-server" >>"$logf" 2>&1 &
    local pid=$!
    printf -v "BENCH_PID_$name" '%s' "$pid"
    BENCH_SERVERS+=("$pid")
    local i
    for i in $(seq 1 200); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then
            log "budget-server $name (pid $pid) ready on port $port"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$logf" >&2; die "budget-server $name exited at start"; }
        sleep 0.05
    done
    tail -n 20 "$logf" >&2
    die "budget-server $name not ready after 10 s"
}

bench_server_stop() {
    local var="BENCH_PID_$1"
    local pid=${!var:-}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local rc=$?
    local pid
    for pid in $(jobs -p); do   # load generators still running after a failure
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${BENCH_SERVERS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    sleep 0.3
    for pid in "${BENCH_SERVERS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [ -n "${BUDGET_PG_DATA:-}" ] && [ -d "$BUDGET_PG_DATA" ]; then
        bash "$bench_root/deploy/pg-stop.sh" >/dev/null 2>&1 || true
    fi
    if [ "${BENCH_KEEP:-0}" = 1 ] || [ $rc -ne 0 -a "${BENCH_KEEP_ON_FAILURE:-0}" = 1 ]; then
        log "kept $BENCH_WORK"
    else
        rm -rf "$BENCH_WORK"
    fi
    exit $rc
}

# Peak and current RSS of a process, in MiB: "peak current".
bench_rss() {
    awk '/^VmHWM/ { hwm = $2 } /^VmRSS/ { rss = $2 } END { printf "%.1f %.1f\n", hwm / 1024, rss / 1024 }' "/proc/$1/status"
}

# The audit log recomputed by budgetctl; falls back to SQL checks when the command is not available.
bench_audit_verify() {
    local out rc
    set +e
    out=$("$BENCH_BIN/budgetctl" audit verify --as bench-auditor 2>&1)
    rc=$?
    set -e
    if [ $rc -eq 0 ]; then
        log "audit verify: $(echo "$out" | tail -n 1)"
        return 0
    fi
    if echo "$out" | grep -qiE "unexpected argument|unknown|not a valid|Error: .*'audit'|Usage:"; then
        log "budgetctl audit verify unavailable ($(echo "$out" | head -n 1)); SQL-level chain check instead"
        bench_invariants
        return
    fi
    echo "$out" >&2
    return 1
}

# SQL-level invariants of the audit log and the entries. Prints one line per violated invariant
# and returns non-zero when any is violated.
bench_invariants() {
    local out
    out=$("${PSQL[@]}" -tA <<'SQL'
-- 1. Every chain's seq is 1..n without gaps, and prev_hash links to the previous event's hash.
SELECT 'chain ' || chain || ' not contiguous or unlinked at seq ' || seq
FROM (SELECT chain, seq, prev_hash, lag(hash) OVER w AS before, row_number() OVER w AS n
      FROM audit_events WINDOW w AS (PARTITION BY chain ORDER BY seq)) t
WHERE seq <> n OR (n > 1 AND prev_hash <> before) OR (n = 1 AND prev_hash <> '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
UNION ALL
-- 2. Each chain head names the chain's last event.
SELECT 'chain head ' || h.chain || ' at ' || h.seq || ' but events end at ' || coalesce(max(e.seq), 0)
FROM audit_chain_heads h LEFT JOIN audit_events e ON e.chain = h.chain
GROUP BY h.chain, h.seq, h.hash
HAVING h.seq <> coalesce(max(e.seq), 0)
    OR h.hash <> coalesce((SELECT hash FROM audit_events x WHERE x.chain = h.chain ORDER BY seq DESC LIMIT 1), '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
UNION ALL
-- 3. Per entry: version − 1 = its events other than create (one event per change, none half-applied).
SELECT 'entry ' || e.code || ' version ' || e.version || ' but ' || count(a.id) || ' change events'
FROM entries e LEFT JOIN audit_events a ON a.entry_id = e.id AND a.action <> 'create'
GROUP BY e.id, e.code, e.version HAVING e.version - 1 <> count(a.id)
UNION ALL
-- 4. Per entry: its last event's to_state is its state, and exactly one create event.
SELECT 'entry ' || e.code || ' state ' || e.state || ' but last event says ' || coalesce(l.to_state, 'nothing')
FROM entries e LEFT JOIN LATERAL (SELECT to_state FROM audit_events a WHERE a.entry_id = e.id ORDER BY seq DESC LIMIT 1) l ON TRUE
WHERE l.to_state IS DISTINCT FROM e.state
UNION ALL
SELECT 'entry ' || e.code || ' has ' || count(a.id) || ' create events'
FROM entries e LEFT JOIN audit_events a ON a.entry_id = e.id AND a.action = 'create'
GROUP BY e.id, e.code HAVING count(a.id) <> 1
LIMIT 20;
SQL
)
    if [ -n "$out" ]; then
        echo "$out" >&2
        return 1
    fi
    log "SQL invariants hold: chains contiguous and linked, heads match, version−1 = change events, state = last event"
}

# CPU time (user + system) of a process, in clock ticks; of the cluster's postmaster and backends.
bench_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
bench_pg_cpu_ticks() {
    local pm total=0 p
    pm=$(head -n 1 "$BUDGET_PG_DATA/cluster/postmaster.pid")
    for p in "$pm" $(ps --ppid "$pm" -o pid=); do
        total=$((total + $(bench_cpu_ticks "$p")))
    done
    echo "$total"
}

# Sum of the server's request counter for ROUTE with a status matching REGEX (Prometheus text).
bench_metric_count() {
    local port=$1 route=$2 status=$3
    curl -fsS "http://127.0.0.1:$port/metrics" | awk -v route="$route" -v status="$status" '
        index($0, "http_server_request_duration_count{") == 1 && index($0, "http_route=\"" route "\"") {
            if (match($0, /http_response_status_code="[0-9]+"/)) {
                code = substr($0, RSTART + 27, 3)
                if (code ~ status) n += $NF
            }
        }
        END { printf "%d\n", n }'
}

# p50 and p99 of pgbench's per-transaction log (-l), in ms: "p50 p99".
bench_pgbench_percentiles() {
    cat "$@" | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "0 0"; exit }
        i50 = int(NR * 0.50); if (i50 < 1) i50 = 1
        i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
        printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }'
}

# Runs pgbench with the given arguments; prints "tps failed p50 p99" (latencies from its log).
bench_pgbench() {
    local name=$1
    shift
    local dir="$BENCH_WORK/pgbench-$name"
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && pgbench -n -M extended -l --log-prefix=tx "$@" "$DATABASE_URL" >"$dir/out.txt" 2>&1) \
        || { cat "$dir/out.txt" >&2; die "pgbench $name failed"; }
    local tps failed
    tps=$(awk '/^tps = / { print $3 }' "$dir/out.txt")
    failed=$(awk '/number of failed transactions:/ { print $5 }' "$dir/out.txt")
    echo "$tps ${failed:-0} $(bench_pgbench_percentiles "$dir"/tx.*)"
}

# Runs wrk; prints its RESULT line's key=value pairs (see bench/transition.lua).
bench_wrk() {
    local name=$1
    shift
    wrk "$@" >"$BENCH_WORK/wrk-$name.txt" 2>&1 || { cat "$BENCH_WORK/wrk-$name.txt" >&2; die "wrk $name failed"; }
    grep '^RESULT ' "$BENCH_WORK/wrk-$name.txt" | sed 's/^RESULT //' || die "wrk $name printed no RESULT line"
}

# The current entries as the transition script wants them: "id token state".
bench_entries_file() {
    "${PSQL[@]}" -tA -F' ' -c "SELECT id, 'bench-token-officer-' || unit_code, state FROM entries
                               WHERE state IN ('draft', 'department_review') ORDER BY id" >"$1"
}

# kv KEY "k=v k=v …": the value of KEY.
kv() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
