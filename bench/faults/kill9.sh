#!/usr/bin/env bash
# SIGKILL the server in the middle of a transition load, restart it, keep going; then check that
# every acknowledged transition is in the database and in the audit chain, that nothing is
# half-applied (per entry: version − 1 = its change events, state = its last event), and that the
# audit log verifies.
#
#   bash bench/faults/kill9.sh        FAULT_DURATION=12 (seconds of load) FAULT_KILL_AT=4 FAULT_THREADS=8
set -euo pipefail
source "$(dirname "$0")/common.sh"
DURATION=${FAULT_DURATION:-12}
KILL_AT=${FAULT_KILL_AT:-4}
THREADS=${FAULT_THREADS:-8}
failures=()

fault_setup 512 4 DB_POOL_SIZE=8
load_log="$BENCH_WORK/load.log"
log "load: $THREADS threads for ${DURATION}s; SIGKILL at ${KILL_AT}s, restart right after"
python3 "$faults_dir/loadclient.py" load --url "$url" --entries "$BENCH_WORK/entries.txt" --threads "$THREADS" \
    --duration "$DURATION" --timeout 5 --log "$load_log" >"$BENCH_WORK/load.out" 2>&1 &
load_pid=$!
sleep "$KILL_AT"
acked_before=$(grep -c ' ack ' "$load_log" || true)
kill -KILL "$spid"
wait "$spid" 2>/dev/null || true
log "killed budget-server (pid $spid) after $acked_before acknowledged transitions"
t_kill=$(date +%s.%N)
bench_server_start main "$port" DB_POOL_SIZE=8
log "restarted in $(echo "$(date +%s.%N) - $t_kill" | bc | cut -c1-5)s (pid $BENCH_PID_main)"
wait "$load_pid" || failures+=("the load client failed: $(tail -n 3 "$BENCH_WORK/load.out")")
log "load client: $(tail -n 1 "$BENCH_WORK/load.out")"
acked_after=$(awk -v t="$KILL_AT" '$2 == "ack" && $1 > t + 1 { n++ } END { print n + 0 }' "$load_log")
[ "$acked_after" -gt 0 ] || failures+=("no transition was acknowledged after the restart")
grep -q ' refused ' "$load_log" && failures+=("the server refused $(grep -c ' refused ' "$load_log") requests that should have succeeded: $(grep -m 3 ' refused ' "$load_log" | tr '\n' ';')")
sleep 1
python3 "$faults_dir/loadclient.py" check --log "$load_log" --db "$DATABASE_URL" >"$BENCH_WORK/check.out" 2>&1 \
    || failures+=("acknowledged transitions check: $(head -n 5 "$BENCH_WORK/check.out" | tr '\n' ';')")
log "$(tail -n 1 "$BENCH_WORK/check.out")"
log "unknown outcomes around the kill: $(grep -c ' unknown ' "$load_log" || true)"
stale=$("${PSQL[@]}" -tAc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'budget-server' AND state LIKE 'idle in transaction%'")
[ "$stale" -eq 0 ] || failures+=("$stale budget-server backends left idle in transaction")
bench_invariants || failures+=("SQL invariants violated")
bench_audit_verify || failures+=("audit verify failed")
fault_finish kill9 "${failures[@]}"
