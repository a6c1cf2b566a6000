#!/usr/bin/env bash
# Disclosure (BENCHMARKS item 4): the public JSON disclosure of a department-year with N published
# entries (default 10,000) against the same data as plain SQL in psql, on the same database.
#
# Timed over R sequential repetitions each (default 20), every repetition wall-clock around one
# client process (psql or curl):
#   baseline  what the disclosure shows, as plain SQL in psql: the organization table and inputs,
#             income, expenditure by kind (this year and the previous one, for the change figures),
#             operating costs by economic code, 三公, projects with indicators, procurement, and the
#             budget lines the JSON carries (every item, plus the part of an entry its items leave
#             uncovered). The aggregates alone (without the budget lines, the previous year and the
#             inputs) are timed too, for comparison.
#   cold      the server computes the disclosure: before each request the department's narrative
#             is changed through the API (untimed), which invalidates any cached disclosure, so
#             every timed request reads and computes it afresh (checked: the narrative shows up).
#   warm      the same request repeated with nothing changed: served from the server's cache.
# The headline ratio is cold against the baseline. Usage: bash bench/disclosure.sh [N] [R]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${1:-10000}
R=${2:-20}
trap bench_cleanup EXIT

bench_build
bench_pg_start
bench_migrate
bench_seed_people 1
log "seeding $N published entries of department B, 2021 (SQL), with items, indicators and procurement"
"${PSQL[@]}" -v n="$N" <<'SQL'
INSERT INTO entries (id, year, unit_code, code, name, kind, func_code, general, plan, goals, state, approved_at, published_at)
SELECT gen_random_uuid(), 2021, 'B01', 'D-' || lpad(i::text, 6, '0'), '基准项目' || i,
       (ARRAY['personnel', 'operation', 'project'])[1 + i % 3], '2013102', 1000 + i % 997,
       CASE WHEN i % 3 = 2 THEN '{30,60,90,100}'::numeric[] ELSE '{}' END,
       CASE WHEN i % 3 = 2 THEN '完成任务' ELSE '' END, 'published', now(), now()
FROM generate_series(1, :n) AS i;
INSERT INTO entry_items (entry_id, position, econ, amount)
SELECT id, p, (ARRAY['30201', '30207', '30228', '30231', '30217', '30299'])[1 + (hashtext(code) & 1023 + p) % 6], general / 2
FROM entries, generate_series(0, 1) AS p WHERE year = 2021;
INSERT INTO entry_indicators (entry_id, position, l1, l2, l3, descr, value, basis)
SELECT id, p, (ARRAY['产出指标', '效果指标'])[1 + p], '数量指标', '完成数', '完成数量', '≥95百分比', '依据部门职责'
FROM entries, generate_series(0, 1) AS p WHERE year = 2021 AND kind = 'project';
INSERT INTO entry_procurement (entry_id, position, item, catalog, unit, quantity, price, amount)
SELECT id, 0, '台式计算机', 'A02010104', '台', 1, 100.00, 100.00 FROM entries WHERE year = 2021 AND kind = 'project' AND general > 1500;
ANALYZE;
SQL
port=$(bench_free_port)
bench_server_start main "$port" DB_POOL_SIZE=4
pid_var=BENCH_PID_main

cat >"$BENCH_WORK/aggregates.sql" <<'SQL'
-- The disclosure's figures as plain SQL: income by source, expenditure by kind, operating costs
-- by economic category, 三公 over all items, projects with their indicators, procurement.
SELECT sum(general), sum(fund), sum(state_capital), sum(special), sum(other), sum(amount) FROM entries e
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published';
SELECT e.kind, sum(e.amount) FROM entries e
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published' GROUP BY e.kind;
SELECT i.econ, sum(i.amount) FROM entry_items i JOIN entries e ON e.id = i.entry_id
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published' AND e.kind = 'operation' GROUP BY i.econ;
SELECT sum(i.amount) FILTER (WHERE econ = '30212'), sum(i.amount) FILTER (WHERE econ = '31013'),
       sum(i.amount) FILTER (WHERE econ = '30231'), sum(i.amount) FILTER (WHERE econ = '30217')
  FROM entry_items i JOIN entries e ON e.id = i.entry_id
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published';
SELECT e.code, e.name, e.amount, e.general + e.fund + e.state_capital, e.plan, e.purpose, e.goals,
       (SELECT json_agg(x ORDER BY position) FROM entry_indicators x WHERE x.entry_id = e.id)
  FROM entries e
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published' AND e.kind = 'project' ORDER BY e.created_seq;
SELECT p.*, e.code FROM entry_procurement p JOIN entries e ON e.id = p.entry_id
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published' ORDER BY e.code, p.position;
SQL
{
    cat "$BENCH_WORK/aggregates.sql"
    cat <<'SQL'
-- The rest of what the JSON disclosure shows: the organization table and the disclosure inputs,
-- the previous year's expenditure by kind and 三公 (the change columns), and the budget lines:
-- every item of every entry with its unit, entry and classifications, and the part of an entry
-- its items leave uncovered (all of an entry without items).
SELECT code, name, kind, parent_code, nature, level, funding FROM organizations WHERE code = 'B' OR parent_code = 'B' ORDER BY kind, code;
SELECT metric, amount FROM disclosure_baselines WHERE department_code = 'B' AND year = 2021;
SELECT section, text FROM disclosure_narratives WHERE department_code = 'B' AND year = 2021;
SELECT e.kind, sum(e.amount) FROM entries e
  WHERE e.department_code = 'B' AND e.year = 2020 AND e.state = 'published' GROUP BY e.kind;
SELECT i.econ, sum(i.amount) FROM entry_items i JOIN entries e ON e.id = i.entry_id
  WHERE e.department_code = 'B' AND e.year = 2020 AND e.state = 'published' GROUP BY i.econ;
SELECT e.unit_code, o.name, e.code, e.name, e.kind, e.func_code, i.econ, i.amount
  FROM entries e JOIN organizations o ON o.code = e.unit_code JOIN entry_items i ON i.entry_id = e.id
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published' ORDER BY e.unit_code, e.created_seq, i.position;
SELECT e.unit_code, o.name, e.code, e.name, e.kind, e.func_code, e.amount - coalesce(sum(i.amount), 0)
  FROM entries e JOIN organizations o ON o.code = e.unit_code LEFT JOIN entry_items i ON i.entry_id = e.id
  WHERE e.department_code = 'B' AND e.year = 2021 AND e.state = 'published'
  GROUP BY e.id, o.name HAVING count(i.entry_id) = 0 OR e.amount <> sum(i.amount);
SQL
} >"$BENCH_WORK/disclosure.sql"

# Milliseconds per repetition of a command, wall clock around each run (bash's clock: no process).
time_runs() {
    local total=0 start end
    for _ in $(seq 1 "$R"); do
        start=$EPOCHREALTIME
        "$@"
        end=$EPOCHREALTIME
        total=$(python3 -c "print($total + $end - $start)")
    done
    python3 -c "print(f'{$total / $R * 1000:.1f}')"
}

log "baseline: the disclosure's data in psql, $R times (and the aggregates alone)"
baseline=$(time_runs "${PSQL[@]}" -o /dev/null -f "$BENCH_WORK/disclosure.sql")
aggregates=$(time_runs "${PSQL[@]}" -o /dev/null -f "$BENCH_WORK/aggregates.sql")

url="http://127.0.0.1:$port/public/v1/disclosures/2021/B?format=json"
inputs="http://127.0.0.1:$port/v1/departments/B/years/2021/disclosure-inputs"
change_narrative() {
    curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $(bench_token finance)" -H 'Content-Type: text/plain' \
        --data-binary "narrative section=other text=\"第$1次修改\"" "$inputs"
}

log "server, cold: the narrative changed before each GET, $R times"
curl -fsS -o /dev/null "$url"   # connections, code paths and allocator warmed once
cold_total=0
for i in $(seq 1 "$R"); do
    change_narrative "$i"
    start=$EPOCHREALTIME
    curl -fsS -o "$BENCH_WORK/cold.json" "$url"
    end=$EPOCHREALTIME
    cold_total=$(python3 -c "print($cold_total + $end - $start)")
done
cold=$(python3 -c "print(f'{$cold_total / $R * 1000:.1f}')")
log "server, warm: the same GET, nothing changed, $R times"
warm=$(time_runs curl -fsS -o "$BENCH_WORK/warm.json" "$url")

python3 - "$BENCH_WORK/cold.json" "$BENCH_WORK/warm.json" "$N" "$R" <<'PY'
import json, sys
cold = json.load(open(sys.argv[1])); warm = open(sys.argv[2]).read(); n = int(sys.argv[3]); r = sys.argv[4]
assert cold["expenditure"]["total"] == cold["income"]["total"], "income ≠ expenditure"
assert len(cold["projects"]) == n // 3, f'{len(cold["projects"])} projects'
assert len(cold["budget_lines"]) == 2 * n, f'{len(cold["budget_lines"])} budget lines'
assert cold["narrative"]["other"] == f"第{r}次修改", "the last cold disclosure does not show the last change"
assert json.loads(warm) == cold, "warm ≠ cold"
PY
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/${!pid_var}/status")
ratio=$(python3 -c "print(f'{$cold / $baseline:.2f}')")
ratio_aggregates=$(python3 -c "print(f'{$cold / $aggregates:.2f}')")
echo "disclosure of $N published entries: server cold ${cold} ms per JSON disclosure, the disclosure's data in psql ${baseline} ms;" \
     "ratio ${ratio}× (target ≤ 2×); against the aggregates alone (${aggregates} ms) ${ratio_aggregates}×;" \
     "server warm (cached) ${warm} ms; server peak RSS ${rss} MiB"
