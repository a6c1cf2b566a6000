#!/usr/bin/env bash
# Scale (BENCHMARKS item 5): latency of the read paths with 10,000 and then 1,000,000 entries in
# the same database (500 units in 10 departments, years 2022–2026; bench/scale-seed.sql), in one
# run: the database is seeded with the small size, measured, grown to the large size, measured
# again, so both sizes share the cluster, the binaries and the machine's load. Target: each path's
# p50 at the large size within 1.5× of its p50 at the small size.
#
#   list   GET /v1/entries?limit=100, first page and a deep page (a cursor from the middle of the
#          scope), as a unit's officer, a department reviewer and the finance bureau
#   history  GET /v1/entries/{id}/history of 200 entries with 4–11 events each, cycled
#   queue  budgetctl queue (a process per run: connect, look up the user, the queue query with its
#          children, the publication clock), as the finance bureau (finance_review, up to 1,000)
#          and as a department reviewer (department_review, --limit 100)
#
# Each HTTP path: SCALE_REQUESTS (300) sequential requests over one connection, p50/p99; then a
# short concurrent run (wrk, 8 connections, SCALE_CONCURRENT_SECONDS = 5 s; 0 skips it). The queue:
# SCALE_QUEUE_RUNS (40) runs. At the large size, EXPLAIN (ANALYZE, BUFFERS) of the hot queries is
# written to SCALE_EXPLAIN_OUT (bench/scale-explain.txt).
#
#   bash bench/scale.sh                      # ≈ 10–15 min on 2 cores, most of it seeding 1M entries
#   SCALE_LARGE=100000 bash bench/scale.sh   # a quicker look
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SMALL=${SCALE_SMALL:-10000}
LARGE=${SCALE_LARGE:-1000000}
REQUESTS=${SCALE_REQUESTS:-300}
QUEUE_RUNS=${SCALE_QUEUE_RUNS:-40}
CONCURRENT=${SCALE_CONCURRENT_SECONDS:-5}
EXPLAIN_OUT=${SCALE_EXPLAIN_OUT:-$bench_root/bench/scale-explain.txt}
trap bench_cleanup EXIT

bench_build
bench_pg_start
bench_migrate
bench_seed_people 1   # bench-finance, bench-auditor, …
"${PSQL[@]}" <<'SQL'
INSERT INTO organizations (code, name, kind, nature, level, funding)
SELECT 'S' || lpad(d::text, 2, '0'), '规模测试部门' || d, 'department', '行政', '正科', '财政拨款' FROM generate_series(1, 10) AS d;
INSERT INTO organizations (code, name, kind, parent_code, nature, level, funding)
SELECT 'S' || lpad((1 + (u - 1) / 50)::text, 2, '0') || 'U' || lpad(u::text, 3, '0'), '规模测试单位' || u, 'unit',
       'S' || lpad((1 + (u - 1) / 50)::text, 2, '0'), '行政', '正科', '财政拨款'
FROM generate_series(1, 500) AS u;
INSERT INTO users (name, role, org_code) VALUES ('scale-officer', 'officer', 'S01U001'), ('scale-reviewer', 'department_reviewer', 'S01');
INSERT INTO api_tokens (user_id, token_hash)
SELECT id, sha256(convert_to(replace(name, 'scale-', 'scale-token-'), 'UTF8')) FROM users WHERE name LIKE 'scale-%';
SQL
officer_token=scale-token-officer reviewer_token=scale-token-reviewer finance_token=$(bench_token finance)

seed() {   # seed FIRST LAST: entries FIRST..LAST (bench/scale-seed.sql), then VACUUM ANALYZE
    local t0=$SECONDS
    "${PSQL[@]}" -v lo="$1" -v hi="$2" -f "$bench_dir/scale-seed.sql"
    "${PSQL[@]}" -c "VACUUM (ANALYZE) entries, entry_items, entry_indicators, entry_procurement, audit_events, audit_chain_heads, organizations"
    log "seeded entries $1..$2 in $((SECONDS - t0))s: $("${PSQL[@]}" -tAc "SELECT count(*) || ' entry rows, ' ||
        (SELECT count(*) FROM audit_events) || ' audit events; database ' || pg_size_pretty(pg_database_size(current_database())) FROM entries")"
}

# base64url("year:revision:code") of the entry in the middle of a scope: a cursor deep in it.
middle_cursor() {
    local key
    key=$("${PSQL[@]}" -tAc "SELECT e.year || ':' || e.revision || ':' || e.code FROM entries e JOIN organizations o ON o.code = e.unit_code
                             WHERE $1 ORDER BY e.year, e.code, e.revision
                             OFFSET (SELECT count(*) / 2 FROM entries e JOIN organizations o ON o.code = e.unit_code WHERE $1) LIMIT 1")
    python3 -c "import base64, sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).decode().rstrip('='))" "$key"
}

results="$BENCH_WORK/results.txt"
: >"$results"
measure() {   # measure LABEL: every path at the database's current size
    local label=$1 port=$2
    log "measuring at $label (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    local off_cursor rev_cursor fin_cursor
    off_cursor=$(middle_cursor "e.unit_code = 'S01U001'")
    rev_cursor=$(middle_cursor "o.parent_code = 'S01'")
    fin_cursor=$(middle_cursor "TRUE")
    "${PSQL[@]}" -tAc "SELECT '/v1/entries/' || id || '/history' FROM entries
                       WHERE state IN ('approved', 'published', 'superseded') ORDER BY md5(id::text) LIMIT 200" >"$BENCH_WORK/history-paths"
    local cases=(
        "list-officer-first|$officer_token|/v1/entries?limit=100"
        "list-officer-deep|$officer_token|/v1/entries?limit=100&cursor=$off_cursor"
        "list-reviewer-first|$reviewer_token|/v1/entries?limit=100"
        "list-reviewer-deep|$reviewer_token|/v1/entries?limit=100&cursor=$rev_cursor"
        "list-finance-first|$finance_token|/v1/entries?limit=100"
        "list-finance-deep|$finance_token|/v1/entries?limit=100&cursor=$fin_cursor"
        "history|$finance_token|@$BENCH_WORK/history-paths"
    )
    local c name token path out conc
    for c in "${cases[@]}"; do
        IFS='|' read -r name token path <<<"$c"
        if [[ $path == @* ]]; then cp "${path#@}" "$BENCH_WORK/paths"; else echo "$path" >"$BENCH_WORK/paths"; fi
        out=$(python3 "$bench_dir/tools/latency.py" http --port "$port" --token "$token" --n "$REQUESTS" $(cat "$BENCH_WORK/paths"))
        conc="- -"
        if [ "$CONCURRENT" != 0 ]; then
            local r
            r=$(SCALE_TOKEN=$token SCALE_PATHS="$BENCH_WORK/paths" bench_wrk "$name-$label" -t2 -c8 -d"${CONCURRENT}s" \
                -s "$bench_dir/scale.lua" "http://127.0.0.1:$port")
            [ "$(kv sother "$r")" = 0 ] && [ "$(kv errors "$r")" = 0 ] || die "$name: wrk saw errors: $r"
            conc="$(kv p50_ms "$r") $(kv p99_ms "$r") $(kv rps "$r")"
        fi
        echo "$name $label $out $conc" >>"$results"
        log "  $name: $out (concurrent: $conc)"
    done
    for c in "queue-finance|bench-finance|" "queue-reviewer|scale-reviewer|--state department_review --limit 100"; do
        IFS='|' read -r name token path <<<"$c"
        # shellcheck disable=SC2086
        out=$(python3 "$bench_dir/tools/latency.py" cmd --n "$QUEUE_RUNS" -- \
            "$BENCH_BIN/budgetctl" queue --as "$token" --format json $path)
        echo "$name $label $out - - -" >>"$results"
        log "  $name: $out"
    done
}

port=$(bench_free_port)
seed 1 "$SMALL"
bench_server_start main "$port" DB_POOL_SIZE=8
small_label=$(numfmt --to=si "$SMALL")
large_label=$(numfmt --to=si "$LARGE")
measure "$small_label" "$port"
seed $((SMALL + 1)) "$LARGE"
measure "$large_label" "$port"

# EXPLAIN of the hot queries at the large size, with the server's SQL (EntryService+Queries,
# EntryService+CLI, EntryRows.load, AuditLog.append, DisclosureService.pendingPublications).
mkdir -p "$(dirname "$EXPLAIN_OUT")"
cols="e.id, e.year, e.unit_code, e.department_code, e.code, e.revision, e.supersedes, e.name,
       e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special, e.other,
       array_to_string(e.plan, ',') AS plan, e.purpose, e.goals, e.state, e.version"
from="entries e JOIN organizations o ON o.code = e.unit_code"
cursor_of() { python3 -c "import base64, sys; t = sys.argv[1]; k = base64.urlsafe_b64decode(t + '=' * (-len(t) % 4)).decode().split(':', 2); print(f\"({k[0]}, '{k[2]}', {k[1]})\")" "$1"; }
dept_cond="e.department_code = 'S01'"   # scopeCondition(.department) and ?department=
history_id=$(head -n 1 "$BENCH_WORK/history-paths" | cut -d/ -f4)
history_chain=$("${PSQL[@]}" -tAc "SELECT 'entry:' || year || ':' || code FROM entries WHERE id = '$history_id'")
fr_id=$("${PSQL[@]}" -tAc "SELECT id FROM entries WHERE state = 'finance_review' ORDER BY md5(id::text) LIMIT 1")
ids=$("${PSQL[@]}" -tAc "SELECT '{' || string_agg(id::text, ',') || '}' FROM (SELECT e.id FROM $from WHERE e.unit_code = 'S01U001' ORDER BY e.year, e.code, e.revision LIMIT 100) x")
# The JSON list statement (bench/list.sql, held equal to EntryService.listJSONStatement by a test)
# with another scope condition in place of the officer's.
list_stmt() {   # list_stmt CONDITION
    grep -v '^--' "$bench_dir/list.sql" | tr -d ';' \
        | python3 -c "import sys; print(sys.stdin.read().replace('TRUE AND e.unit_code = :unit', 'TRUE AND ' + sys.argv[1]).replace(':limit', '101'))" "$1"
}
explain() {   # explain TITLE SQL
    printf '\n== %s\n%s\n\n' "$1" "$2"
    "${PSQL[@]}" -c "BEGIN" -c "EXPLAIN (ANALYZE, BUFFERS) $2" -c "ROLLBACK" | grep -v '^BEGIN$\|^ROLLBACK$'
}
{
    echo "EXPLAIN (ANALYZE, BUFFERS) of the hot queries at $(numfmt --to=si "$LARGE") entries ($("${PSQL[@]}" -tAc "SELECT count(*) FROM entries") entry rows,"
    echo "$("${PSQL[@]}" -tAc "SELECT count(*) FROM audit_events") audit events), bench/scale.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$bench_root" rev-parse --short HEAD)."
    echo "Each query as the server sends it (its binds shown as literals: PQexecParams plans them as such);"
    echo "scope S01U001 (officer, $("${PSQL[@]}" -tAc "SELECT count(*) FROM entries WHERE unit_code = 'S01U001'") entries), department S01"
    echo "($("${PSQL[@]}" -tAc "SELECT count(*) FROM $from WHERE o.parent_code = 'S01'") entries), everything (finance)."
    explain "list, officer (unit scope), first page" \
        "$(list_stmt "e.unit_code = 'S01U001'")"
    explain "list, officer, deep page (cursor)" \
        "$(list_stmt "e.unit_code = 'S01U001' AND (e.year, e.code, e.revision) > $(cursor_of "$(middle_cursor "e.unit_code = 'S01U001'")")")"
    explain "list, department reviewer (department scope), first page" \
        "$(list_stmt "$dept_cond")"
    explain "list, department reviewer, deep page (cursor)" \
        "$(list_stmt "$dept_cond AND (e.year, e.code, e.revision) > $(cursor_of "$(middle_cursor "o.parent_code = 'S01'")")")"
    explain "list, finance bureau (everything), first page" \
        "$(list_stmt "TRUE")"
    explain "list, finance bureau, deep page (cursor)" \
        "$(list_stmt "TRUE AND (e.year, e.code, e.revision) > $(cursor_of "$(middle_cursor "TRUE")")")"
    explain "list, finance bureau, ?department=S01&year=2026&state=finance_review" \
        "$(list_stmt "TRUE AND e.year = 2026 AND ${dept_cond} AND e.state = 'finance_review'")"
    explain "a page's children for the BLP list and single-entry reads (EntryRows.attachChildren; items shown, indicators and procurement alike)" \
        "SELECT entry_id, econ, amount FROM entry_items WHERE entry_id = ANY('$ids'::uuid[]) ORDER BY entry_id, position"
    explain "queue, finance bureau (budgetctl queue: finance_review, longest waiting first)" \
        "SELECT $cols, o.name AS unit_name, e.updated_at, (extract(epoch FROM now() - e.updated_at))::bigint AS age_seconds FROM $from WHERE TRUE AND e.state = 'finance_review' ORDER BY e.updated_at, e.code LIMIT 1000"
    explain "queue, department reviewer (department_review, --limit 100)" \
        "SELECT $cols, o.name AS unit_name, e.updated_at, (extract(epoch FROM now() - e.updated_at))::bigint AS age_seconds FROM $from WHERE ${dept_cond} AND e.state = 'department_review' ORDER BY e.updated_at, e.code LIMIT 100"
    explain "queue: department-years awaiting publication (DisclosureService.pendingPublications)" \
        "SELECT o.parent_code AS department, e.year, count(*)::int AS n, min(e.approved_at) AS since FROM $from WHERE e.state = 'approved' GROUP BY o.parent_code, e.year ORDER BY since"
    explain "queue --as a department reviewer: its department-years awaiting publication" \
        "SELECT o.parent_code AS department, e.year, count(*)::int AS n, min(e.approved_at) AS since FROM $from WHERE e.state = 'approved' AND o.parent_code = 'S01' GROUP BY o.parent_code, e.year ORDER BY since"
    explain "history: the entry (EntryRows.load)" "SELECT $cols FROM $from WHERE e.id = '$history_id'"
    explain "history: its events" \
        "SELECT id, chain, seq, at, actor, role, channel, action, entry_id, revision, from_state, to_state, reason, changes, prev_hash, hash FROM audit_events WHERE chain = '$history_chain' ORDER BY seq"
    explain "transition: the entry locked (EntryRows.load, lock: true)" "SELECT $cols FROM $from WHERE e.id = '$fr_id' FOR UPDATE OF e"
    explain "transition: the audit chain head locked (AuditLog.append)" \
        "SELECT seq, hash, clock_timestamp() AS now FROM audit_chain_heads WHERE chain = (SELECT 'entry:' || year || ':' || code FROM entries WHERE id = '$fr_id') FOR UPDATE"
} >"$EXPLAIN_OUT" 2>&1
log "EXPLAIN of the hot queries written to $EXPLAIN_OUT"

echo
echo "Scale: $small_label vs $large_label entries ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
python3 - "$results" "$small_label" "$large_label" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], {})[f[1]] = f[2:]
small, large = sys.argv[2], sys.argv[3]
print(f"| path | p50 {small} | p50 {large} | ratio | p99 {small} | p99 {large} | items | 8 conn. p50 {small} / {large} | target ≤ 1.5× |")
print("|---|---|---|---|---|---|---|---|---|")
missed = 0
for name, by in rows.items():
    s, l = by[small], by[large]
    ratio = float(l[0]) / float(s[0])
    ok = ratio <= 1.5
    missed += not ok
    conc = f"{s[5]} / {l[5]} ms" if s[5] != "-" else "—"
    print(f"| {name} | {s[0]} ms | {l[0]} ms | {ratio:.2f}× | {s[1]} ms | {l[1]} ms | {s[4]} / {l[4]} | {conc} | {'met' if ok else 'NOT met'} |")
print(f"\n{'all targets met' if missed == 0 else f'{missed} target(s) missed'}")
PY
