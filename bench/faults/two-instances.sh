#!/usr/bin/env bash
# Two budget-server instances on one database, racing on the SAME entries: random submit/withdraw
# from 16 threads spread over both instances, then 20 simultaneous submits of one draft (10 per
# instance) for several drafts. Afterwards: only 200 and 409 were answered; each draft got exactly
# one successful submit; no two acknowledgements share an entry version; every acknowledgement is
# in the audit log at its version; audit events added = acknowledgements; per entry version − 1 =
# its change events; chains contiguous; audit verify passes.
#
#   bash bench/faults/two-instances.sh    FAULT_DURATION=10 FAULT_THREADS=16 FAULT_HOT=16 (entries raced on)
set -euo pipefail
source "$(dirname "$0")/common.sh"
DURATION=${FAULT_DURATION:-10}
THREADS=${FAULT_THREADS:-16}
HOT=${FAULT_HOT:-16}
DRAFTS=5
failures=()

fault_setup 256 2 DB_POOL_SIZE=8
port_b=$(bench_free_port)
bench_server_start second "$port_b" DB_POOL_SIZE=8
url_b="http://127.0.0.1:$port_b"
entries="$BENCH_WORK/entries.txt"
sql1() { "${PSQL[@]}" -tAc "$1"; }
ev0=$(sql1 "SELECT count(*) FROM audit_events")

log "race: $THREADS threads, both instances, random submit/withdraw on the same $HOT entries for ${DURATION}s"
python3 "$faults_dir/loadclient.py" load --url "$url" --url "$url_b" --entries "$entries" --race "$HOT" \
    --threads "$THREADS" --duration "$DURATION" --timeout 10 --log "$BENCH_WORK/race.log" >"$BENCH_WORK/race.out" 2>&1 \
    || failures+=("the race client failed: $(tail -n 3 "$BENCH_WORK/race.out")")
log "   $(tail -n 1 "$BENCH_WORK/race.out")"
other=$(awk '$2 != "start" && !($2 == "ack" && $5 == 200) && !($2 == "refused" && $5 == 409) { print $2 ":" $5 }' "$BENCH_WORK/race.log" | sort | uniq -c | tr -s ' ' | paste -sd,)
[ -z "$other" ] || failures+=("race: answers other than 200 and 409: $other")
acks=$(grep -c ' ack ' "$BENCH_WORK/race.log" || true)

log "simultaneous submits: 20 per draft (10 per instance), $DRAFTS drafts"
burst_ok=0
for k in $(seq 1 $DRAFTS); do
    sed -n "$((HOT + k))p" "$entries" >"$BENCH_WORK/draft-$k.txt"
    python3 "$faults_dir/loadclient.py" burst --url "$url" --url "$url_b" --entries "$BENCH_WORK/draft-$k.txt" \
        --count 20 --same >"$BENCH_WORK/burst-$k.jsonl"
    statuses=$(python3 -c 'import json,sys,collections; print(dict(collections.Counter(str(json.loads(l)["status"]) for l in open(sys.argv[1]))))' "$BENCH_WORK/burst-$k.jsonl")
    log "   draft $k: $statuses"
    [ "$statuses" = "{'200': 1, '409': 19}" ] || [ "$statuses" = "{'409': 19, '200': 1}" ] \
        || failures+=("20 simultaneous submits of one draft gave $statuses (expected one 200 and 19 409)")
    burst_ok=$((burst_ok + $(grep -c '"status": 200' "$BENCH_WORK/burst-$k.jsonl" || true)))
    # The burst's acknowledgement joins the race log for the version checks.
    python3 - "$BENCH_WORK/burst-$k.jsonl" >>"$BENCH_WORK/race.log" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["status"] == 200:
        print(f"0 ack {r['id']} submit 200 {r['version']} department_review -")
PY
done
sleep 1
ev1=$(sql1 "SELECT count(*) FROM audit_events")
log "audit events added $((ev1 - ev0)); acknowledged transitions $acks (race) + $burst_ok (simultaneous submits)"
[ $((ev1 - ev0)) -eq $((acks + burst_ok)) ] || failures+=("$((ev1 - ev0)) audit events added for $((acks + burst_ok)) acknowledged transitions")
python3 "$faults_dir/loadclient.py" check --race --log "$BENCH_WORK/race.log" --db "$DATABASE_URL" >"$BENCH_WORK/check.out" 2>&1 \
    || failures+=("acknowledgement check: $(head -n 5 "$BENCH_WORK/check.out" | tr '\n' ';')")
log "$(tail -n 1 "$BENCH_WORK/check.out")"
kill -0 "$spid" 2>/dev/null || failures+=("instance A died")
kill -0 "$BENCH_PID_second" 2>/dev/null || failures+=("instance B died")
bench_invariants || failures+=("SQL invariants violated")
bench_audit_verify || failures+=("audit verify failed")
fault_finish two-instances "${failures[@]}"
