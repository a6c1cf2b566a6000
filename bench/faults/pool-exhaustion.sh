#!/usr/bin/env bash
# Pool exhaustion: a server with DB_POOL_SIZE=2 and a small DB_MAX_WAITERS gets many more concurrent
# slow requests than it has connections (transitions on rows another session holds locked). The
# excess must get fast 503s with Retry-After (the waiters after DB_ACQUIRE_TIMEOUT_MS, the rest at
# once), /healthz must stay 200, and once the load drops the server must serve normally again,
# with no connection or permit leaked (metrics: in_use 0, waiting 0).
#
#   bash bench/faults/pool-exhaustion.sh     FAULT_BURST=40 FAULT_HOLD=5 (seconds the rows stay locked)
set -euo pipefail
source "$(dirname "$0")/common.sh"
BURST=${FAULT_BURST:-40}
HOLD=${FAULT_HOLD:-5}
POOL=2
WAITERS=4
TIMEOUT_MS=500
failures=()

fault_setup 256 2 DB_POOL_SIZE=$POOL DB_MAX_WAITERS=$WAITERS DB_ACQUIRE_TIMEOUT_MS=$TIMEOUT_MS
entries="$BENCH_WORK/entries.txt"
head -n "$BURST" "$entries" >"$BENCH_WORK/locked.txt"
tail -n +$((BURST + 1)) "$entries" >"$BENCH_WORK/free.txt"
locked_ids=$(cut -d' ' -f1 "$BENCH_WORK/locked.txt" | sed "s/.*/'&'/" | paste -sd,)

log "another session locks $BURST entries for ${HOLD}s"
"${PSQL[@]}" -c "BEGIN; SELECT id FROM entries WHERE id IN ($locked_ids) FOR UPDATE; SELECT pg_sleep($HOLD); COMMIT;" \
    >"$BENCH_WORK/locker.log" 2>&1 &
locker=$!
for i in $(seq 1 50); do
    [ "$("${PSQL[@]}" -tAc "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'entries' AND l.mode = 'RowShareLock' AND l.granted")" -gt 0 ] && break
    sleep 0.05
done
t_lock=$(date +%s.%N)

log "burst: $BURST concurrent submits on the locked entries (pool $POOL, max waiters $WAITERS, acquire timeout ${TIMEOUT_MS}ms)"
python3 "$faults_dir/loadclient.py" burst --url "$url" --entries "$BENCH_WORK/locked.txt" --count "$BURST" --timeout 30 \
    >"$BENCH_WORK/burst.jsonl" 2>&1 &
burst=$!
# Probe once both connections are held by blocked submits (not after a fixed sleep: a loaded CI
# machine may start the burst's threads late).
for i in $(seq 1 100); do
    curl -s "$url/metrics" | grep -qE '^budget_db_pool_connections\{state="in_use"\} 2(\.0)?$' && break
    sleep 0.1
done
sleep 0.2
probe() { curl -s -o /dev/null -m 10 -H "Authorization: Bearer $2" -w '%{http_code} %{time_total}\n' "$url$1" || echo "000 10"; }
read -r free_id free_token _ < <(head -n 1 "$BENCH_WORK/free.txt")
read -r g_status g_time < <(probe "/v1/entries/$free_id" "$free_token")
read -r h_status _ < <(probe /healthz -)
read -r r_status r_time < <(probe /readyz -)
log "   while exhausted: GET an unlocked entry → $g_status in ${g_time}s; /healthz → $h_status; /readyz → $r_status in ${r_time}s (informational)"
[ "$g_status" = 503 ] || failures+=("GET while the pool was exhausted answered $g_status (expected a fast 503)")
[ "$(echo "$g_time < 1.5" | bc)" = 1 ] || failures+=("GET while the pool was exhausted took ${g_time}s")
[ "$h_status" = 200 ] || failures+=("/healthz answered $h_status while the pool was exhausted")

wait "$locker" || failures+=("the locking session failed: $(cat "$BENCH_WORK/locker.log")")
t_release=$(date +%s.%N)
wait "$burst" || failures+=("the burst client failed")
summary=$(python3 - "$BENCH_WORK/burst.jsonl" "$TIMEOUT_MS" "$HOLD" <<'PY'
import collections, json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
timeout, hold = int(sys.argv[2]) / 1000, float(sys.argv[3])
by = collections.Counter(str(r["status"]) for r in rows)
unavailable = [r for r in rows if r["status"] == 503]
ok = [r for r in rows if r["status"] == 200]
problems = []
if set(by) - {"200", "503"}:
    problems.append(f"statuses other than 200 and 503: {dict(by)}")
if len(unavailable) < len(rows) - 2 * 2:
    problems.append(f"only {len(unavailable)} of {len(rows)} got 503")
slow = [r for r in unavailable if r["seconds"] > timeout + 1.0]
if slow:
    problems.append(f"{len(slow)} 503s were slow (up to {max(r['seconds'] for r in slow)}s)")
if any(not r.get("retry_after") for r in unavailable):
    problems.append("a 503 without Retry-After")
print(json.dumps({"statuses": dict(by),
                  "503_seconds_max": max((r["seconds"] for r in unavailable), default=None),
                  "503_seconds_median": sorted(r["seconds"] for r in unavailable)[len(unavailable) // 2] if unavailable else None,
                  "200_seconds": sorted(r["seconds"] for r in ok),
                  "retry_after": sorted({r.get("retry_after") for r in unavailable}),
                  "problems": problems}))
sys.exit(1 if problems else 0)
PY
) || failures+=("burst: $summary")
log "   burst: $summary"

log "load drops: 20 transitions one after another"
statuses=$(for line in $(seq 1 20); do
    id=$(sed -n "$((line + 1))p" "$BENCH_WORK/free.txt" | cut -d' ' -f1)
    tok=$(sed -n "$((line + 1))p" "$BENCH_WORK/free.txt" | cut -d' ' -f2)
    curl -s -o /dev/null -m 10 -X POST -H "Authorization: Bearer $tok" -w '%{http_code}\n' "$url/v1/entries/$id/actions/submit"
done | sort | uniq -c | tr -s ' ' | paste -sd,)
log "   after: $statuses (all 20 done $(echo "$(date +%s.%N) - $t_release" | bc | cut -c1-4)s after the rows were released)"
[ "$statuses" = " 20 200" ] || failures+=("after the load dropped: $statuses (expected 20 × 200)")
metrics=$(curl -s "$url/metrics" | grep -E '^budget_db_pool_(connections|waiting)' | tr '\n' ' ')
log "   pool metrics: $metrics"
echo "$metrics" | grep -qE 'state="in_use"} 0(\.0)? ' || failures+=("pool still has connections in use: $metrics")
echo "$metrics" | grep -qE 'budget_db_pool_waiting 0(\.0)? ' || failures+=("pool still has waiters: $metrics")
kill -0 "$spid" 2>/dev/null || failures+=("budget-server died")
bench_invariants || failures+=("SQL invariants violated")
fault_finish pool-exhaustion "${failures[@]}"
