#!/usr/bin/env bash
# PostgreSQL goes away under a transition load: first `pg_ctl restart -m fast`, then a stop, a few
# seconds down, and a start. While the database is down the server must answer 503 with
# Retry-After (not hang, not crash; /healthz stays 200, /readyz 503); once it is back the server
# must recover by itself within 5 s; no acknowledged write may be lost.
#
#   bash bench/faults/pg-restart.sh     FAULT_OUTAGE=3 (seconds down in the second phase) FAULT_THREADS=8
set -euo pipefail
source "$(dirname "$0")/common.sh"
OUTAGE=${FAULT_OUTAGE:-3}
THREADS=${FAULT_THREADS:-8}
DURATION=$((OUTAGE + 16))
failures=()

fault_setup 512 4 DB_POOL_SIZE=8
load_log="$BENCH_WORK/load.log"
log "load: $THREADS threads for ${DURATION}s"
python3 "$faults_dir/loadclient.py" load --url "$url" --entries "$BENCH_WORK/entries.txt" --threads "$THREADS" \
    --duration "$DURATION" --timeout 15 --log "$load_log" >"$BENCH_WORK/load.out" 2>&1 &
load_pid=$!
now() { date +%s.%N; }
probe() {  # METHOD PATH → "status seconds retry-after"
    curl -s -o /dev/null -m 10 -X "$1" -H "Authorization: Bearer $(bench_token officer-B01)" \
        -w '%{http_code} %{time_total} %header{retry-after}\n' "$url$2" || echo "000 10 -"
}
judge_window() {  # NAME DOWN UP
    local name=$1 t
    t=$(python3 "$faults_dir/loadclient.py" timeline --log "$load_log" --down "$2" --up "$3")
    log "$name: $t"
    python3 - "$name" "$t" <<'PY' || failures+=("$name: $(python3 -c 'import sys; print(sys.argv[1])' "$t")")
import json, sys
name, t = sys.argv[1], json.loads(sys.argv[2])
bad = {k: v for k, v in t["during_outage"].items() if k not in ("unknown:503", "ack:200", "seen:200")}
problems = []
if bad:
    problems.append(f"answers other than 503 while the database was down: {bad}")
if t["slowest_request_started_during_outage_seconds"] > 5:
    problems.append(f"a request hung {t['slowest_request_started_during_outage_seconds']}s")
if t["first_success_after_up_seconds"] is None or t["first_success_after_up_seconds"] > 5:
    problems.append(f"no recovery within 5 s of the database being back ({t['first_success_after_up_seconds']})")
for p in problems:
    print(f"{name}: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

sleep 4
log "phase 1: pg_ctl restart -m fast"
down1=$(now)
bench_pg_ctl restart -m fast -w -t 60 >"$BENCH_WORK/restart.log" 2>&1 || { cat "$BENCH_WORK/restart.log" >&2; die "pg_ctl restart failed"; }
up1=$(now)
log "   database back after $(echo "$up1 - $down1" | bc | cut -c1-5)s"

sleep 4
log "phase 2: pg_ctl stop -m fast, ${OUTAGE}s down, start"
down2=$(now)
bench_pg_ctl stop -m fast -w >"$BENCH_WORK/stop.log" 2>&1 || { cat "$BENCH_WORK/stop.log" >&2; die "pg_ctl stop failed"; }
sleep 0.5
read -r p_status p_time p_retry < <(probe POST "/v1/entries/$(head -n 1 "$BENCH_WORK/entries.txt" | cut -d' ' -f1)/actions/withdraw")
read -r r_status r_time _ < <(probe GET /readyz)
read -r h_status h_time _ < <(probe GET /healthz)
read -r l_status l_time l_retry < <(probe GET "/v1/entries?limit=10")
log "   while down: transition $p_status in ${p_time}s (Retry-After ${p_retry:-none}), list $l_status in ${l_time}s, /readyz $r_status, /healthz $h_status"
[ "$p_status" = 503 ] && [ -n "$p_retry" ] || failures+=("a transition while the database is down answered $p_status (Retry-After '${p_retry:-}') instead of 503 with Retry-After")
[ "$l_status" = 503 ] || failures+=("a list while the database is down answered $l_status instead of 503")
[ "$(echo "$p_time < 2" | bc)" = 1 ] || failures+=("the 503 took ${p_time}s")
[ "$r_status" = 503 ] || failures+=("/readyz answered $r_status while the database was down")
[ "$h_status" = 200 ] || failures+=("/healthz answered $h_status while the database was down")
sleep "$OUTAGE"
up2_start=$(now)
bash "$bench_root/deploy/pg-start.sh" >/dev/null 2>"$BENCH_WORK/pg-start-2.log" || { cat "$BENCH_WORK/pg-start-2.log" >&2; die "PostgreSQL did not start again"; }
up2=$(now)
log "   database back (start took $(echo "$up2 - $up2_start" | bc | cut -c1-5)s)"
t_ready=""
for i in $(seq 1 100); do
    if [ "$(probe GET /readyz | cut -d' ' -f1)" = 200 ]; then t_ready=$(echo "$(now) - $up2" | bc | cut -c1-5); break; fi
    sleep 0.05
done
log "   /readyz 200 again after ${t_ready:-never}s"
[ -n "$t_ready" ] || failures+=("/readyz did not answer 200 within 5 s of the database being back")

wait "$load_pid" || failures+=("the load client failed: $(tail -n 3 "$BENCH_WORK/load.out")")
log "load client: $(tail -n 1 "$BENCH_WORK/load.out")"
kill -0 "$spid" 2>/dev/null || failures+=("budget-server died")
judge_window "restart -m fast" "$down1" "$up1"
judge_window "stop/start" "$down2" "$up2"
grep -q ' refused ' "$load_log" && failures+=("the server refused $(grep -c ' refused ' "$load_log") requests that should have succeeded: $(grep -m 3 ' refused ' "$load_log" | tr '\n' ';')")
python3 "$faults_dir/loadclient.py" check --log "$load_log" --db "$DATABASE_URL" >"$BENCH_WORK/check.out" 2>&1 \
    || failures+=("acknowledged transitions check: $(head -n 5 "$BENCH_WORK/check.out" | tr '\n' ';')")
log "$(tail -n 1 "$BENCH_WORK/check.out")"
bench_invariants || failures+=("SQL invariants violated")
bench_audit_verify || failures+=("audit verify failed")
fault_finish pg-restart "${failures[@]}"
