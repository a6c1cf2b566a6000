#!/usr/bin/env bash
# Bulk import (BENCHMARKS item 2): N entries (default 100,000), each with 2 items and 3 indicators,
# POSTed as BLP in batches of 10,000 to one unit-year, against `psql \copy` of the same rows into
# copies of the same tables (same columns, indexes, constraints and foreign keys) in the same
# database; the server also writes a `create` audit event and chain head per entry. Prints both times, the ratio and the server's
# peak RSS. Usage: bash bench/import.sh [N]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${1:-${BENCH_IMPORT_ENTRIES:-100000}}
BATCH=10000
trap bench_cleanup EXIT

bench_build
bench_pg_start
bench_migrate
bench_seed_people 1
port=$(bench_free_port)
bench_server_start main "$port" DB_POOL_SIZE=4 MAX_BODY_BYTES=67108864 MAX_BATCH_RECORDS=60000  # 10,000 entries × 6 records
pid_var=BENCH_PID_main

log "generating $N entries"
python3 - "$BENCH_WORK" "$N" "$BATCH" <<'PY'
import sys, uuid
work, n, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
blp = None
ent = open(f"{work}/entries.tsv", "w"); items = open(f"{work}/items.tsv", "w"); ind = open(f"{work}/indicators.tsv", "w")
for i in range(n):
    if i % batch == 0:
        if blp: blp.close()
        blp = open(f"{work}/import-{i // batch:03d}.blp", "w")
    code = f"IMP-{i:07d}"; amount = f"{1000 + i % 5000}.00"; half = f"{(1000 + i % 5000) / 2:.2f}"
    blp.write(f'entry code={code} name="导入项目{i}" kind=project func=2013102 general={amount} plan=25,50,75,100 goals="完成任务"\n')
    blp.write(f"item econ=30201 amount={half}\nitem econ=30211 amount={half}\n")
    blp.write('indicator l1=产出指标 l2=数量指标 l3=完成数 desc="完成数量" value="≥3篇" basis=依据部门职责\n')
    blp.write('indicator l1=效果指标 l2=社会效益指标 l3=效果 desc="效果" value="≥95百分比" basis=依据部门职责\n')
    blp.write('indicator l1=满意度指标 l2=服务对象满意度指标 l3=满意度 desc="满意度" value="≥90百分比" basis=依据部门职责\n')
    eid = str(uuid.uuid4())
    ent.write(f"{eid}\t2020\tB01\tB\t{code}\t1\t导入项目{i}\tproject\t2013102\t{amount}\t{{25,50,75,100}}\t\t完成任务\tdraft\n")
    items.write(f"{eid}\t0\t30201\t{half}\n{eid}\t1\t30211\t{half}\n")
    for p, (l1, l2, l3, d, v) in enumerate([("产出指标", "数量指标", "完成数", "完成数量", "≥3篇"), ("效果指标", "社会效益指标", "效果", "效果", "≥95百分比"), ("满意度指标", "服务对象满意度指标", "满意度", "满意度", "≥90百分比")]):
        ind.write(f"{eid}\t{p}\t{l1}\t{l2}\t{l3}\t{d}\t{v}\t依据部门职责\n")
PY

log "baseline: psql \\copy of the same rows into copies of the tables with their indexes, constraints and foreign keys (schema imp)"
"${PSQL[@]}" <<'SQL'
CREATE SCHEMA imp;
CREATE TABLE imp.entries (LIKE public.entries INCLUDING ALL);
CREATE TABLE imp.entry_items (LIKE public.entry_items INCLUDING ALL);
CREATE TABLE imp.entry_indicators (LIKE public.entry_indicators INCLUDING ALL);
-- LIKE copies columns, defaults, CHECKs and indexes but not foreign keys: add the real tables'
-- (sql/migrations 0002, 0008), so PostgreSQL checks each row as it does for the server's COPY.
ALTER TABLE imp.entries ADD FOREIGN KEY (unit_code, department_code) REFERENCES organizations (code, parent_code) MATCH FULL;
ALTER TABLE imp.entries ADD FOREIGN KEY (supersedes) REFERENCES imp.entries (id);
ALTER TABLE imp.entry_items ADD FOREIGN KEY (entry_id) REFERENCES imp.entries (id) ON DELETE CASCADE;
ALTER TABLE imp.entry_indicators ADD FOREIGN KEY (entry_id) REFERENCES imp.entries (id) ON DELETE CASCADE;
SQL
load_before=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s.%N)
"${PSQL[@]}" <<SQL
BEGIN;
\copy imp.entries (id, year, unit_code, department_code, code, revision, name, kind, func_code, general, plan, purpose, goals, state) FROM '$BENCH_WORK/entries.tsv'
\copy imp.entry_items (entry_id, position, econ, amount) FROM '$BENCH_WORK/items.tsv'
\copy imp.entry_indicators (entry_id, position, l1, l2, l3, descr, value, basis) FROM '$BENCH_WORK/indicators.tsv'
COMMIT;
SQL
baseline=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")

log "server: $((N / BATCH)) POSTs of $BATCH entries"
start=$(date +%s.%N)
for file in "$BENCH_WORK"/import-*.blp; do
    timing=$(curl -s -o "$BENCH_WORK/import-response.txt" -w '%{http_code} %{time_pretransfer} %{time_starttransfer} %{time_total}' \
        -H "Authorization: Bearer $(bench_token officer-B01)" \
        -H "Content-Type: text/plain" --data-binary "@$file" "http://127.0.0.1:$port/v1/units/B01/years/2020/entries")
    status=${timing%% *}
    [ -n "${BENCH_VERBOSE:-}" ] && log "POST $(basename "$file"): status, connected, first byte, done (s): $timing"
    [ "$status" = 201 ] || { head -5 "$BENCH_WORK/import-response.txt" >&2; die "import of $file answered $status"; }
done
server=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
load_after=$(cut -d' ' -f1 /proc/loadavg)  # others' work on the machine stretches both times unevenly
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/${!pid_var}/status")
stored=$("${PSQL[@]}" -tAc "SELECT count(*) FROM entries WHERE code LIKE 'IMP-%'")
events=$("${PSQL[@]}" -tAc "SELECT count(*) FROM audit_events WHERE action = 'create' AND chain LIKE 'entry:2020:IMP-%'")
[ "$stored" = "$N" ] && [ "$events" = "$N" ] || die "stored $stored entries and $events events, expected $N"
bench_audit_verify
ratio=$(python3 -c "print(f'{$server / $baseline:.2f}')")
echo "bulk import of $N entries (2 items, 3 indicators each): server ${server}s in $((N / BATCH)) POSTs (with $N audit events), psql \\copy ${baseline}s; ratio ${ratio}× (target ≤ 3×); server peak RSS ${rss} MiB; load average ${load_before} → ${load_after} on $(nproc) cores"
