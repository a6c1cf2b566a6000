#!/usr/bin/env bash
# Disclosure (BENCHMARKS item 4): the public JSON disclosure of a department-year with N published
# entries (default 10,000) against the same aggregates as plain SQL in psql, on the same database.
# Both are timed over R sequential repetitions (default 20). Usage: bash bench/disclosure.sh [N] [R]
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
  JOIN organizations o ON o.code = e.unit_code WHERE o.parent_code = 'B' AND e.year = 2021 AND e.state = 'published';
SELECT e.kind, sum(e.amount) FROM entries e JOIN organizations o ON o.code = e.unit_code
  WHERE o.parent_code = 'B' AND e.year = 2021 AND e.state = 'published' GROUP BY e.kind;
SELECT i.econ, sum(i.amount) FROM entry_items i JOIN entries e ON e.id = i.entry_id JOIN organizations o ON o.code = e.unit_code
  WHERE o.parent_code = 'B' AND e.year = 2021 AND e.state = 'published' AND e.kind = 'operation' GROUP BY i.econ;
SELECT sum(i.amount) FILTER (WHERE econ = '30212'), sum(i.amount) FILTER (WHERE econ = '31013'),
       sum(i.amount) FILTER (WHERE econ = '30231'), sum(i.amount) FILTER (WHERE econ = '30217')
  FROM entry_items i JOIN entries e ON e.id = i.entry_id JOIN organizations o ON o.code = e.unit_code
  WHERE o.parent_code = 'B' AND e.year = 2021 AND e.state = 'published';
SELECT e.code, e.name, e.amount, e.general + e.fund + e.state_capital, e.plan, e.purpose, e.goals,
       (SELECT json_agg(x ORDER BY position) FROM entry_indicators x WHERE x.entry_id = e.id)
  FROM entries e JOIN organizations o ON o.code = e.unit_code
  WHERE o.parent_code = 'B' AND e.year = 2021 AND e.state = 'published' AND e.kind = 'project' ORDER BY e.created_seq;
SELECT p.*, e.code FROM entry_procurement p JOIN entries e ON e.id = p.entry_id JOIN organizations o ON o.code = e.unit_code
  WHERE o.parent_code = 'B' AND e.year = 2021 AND e.state = 'published' ORDER BY e.code, p.position;
SQL

log "baseline: the aggregates in psql, $R times"
start=$(date +%s.%N)
for _ in $(seq 1 "$R"); do "${PSQL[@]}" -o /dev/null -f "$BENCH_WORK/aggregates.sql"; done
baseline=$(python3 -c "import time; print(f'{(time.time() - $start) / $R * 1000:.1f}')")

log "server: GET /public/v1/disclosures/2021/B?format=json, $R times"
curl -fsS -o "$BENCH_WORK/disclosure.json" "http://127.0.0.1:$port/public/v1/disclosures/2021/B?format=json"
start=$(date +%s.%N)
for _ in $(seq 1 "$R"); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/public/v1/disclosures/2021/B?format=json"
done
server=$(python3 -c "import time; print(f'{(time.time() - $start) / $R * 1000:.1f}')")
python3 - "$BENCH_WORK/disclosure.json" "$N" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[2])
assert d["expenditure"]["total"] == d["income"]["total"], "income ≠ expenditure"
assert len(d["projects"]) == n // 3, f'{len(d["projects"])} projects'
PY
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/${!pid_var}/status")
ratio=$(python3 -c "print(f'{$server / $baseline:.2f}')")
echo "disclosure of $N published entries: server ${server} ms per JSON disclosure, the aggregates in psql ${baseline} ms; ratio ${ratio}× (target ≤ 2×); server peak RSS ${rss} MiB"
