#!/usr/bin/env bash
# Slow uploads: FAULT_SOCKETS (200) connections with a valid officer token each send 7.9 MB of an
# 8 MB POST …/entries and hold. The server must buffer no more than MAX_BUFFERED_BODY_BYTES of
# request bodies at once (the rest get 503 + Retry-After before their body is read), keep its RSS
# ≤ FAULT_RSS_LIMIT_MB (150) while they hold, give the memory back once they close (RSS within
# 20 % of its level before), and serve normally afterwards.
#
#   bash bench/faults/slow-uploads.sh     FAULT_SOCKETS=200 FAULT_HOLD=5 (seconds held) [BENCH_CONFIG=debug]
set -euo pipefail
source "$(dirname "$0")/common.sh"
SOCKETS=${FAULT_SOCKETS:-200}
HOLD=${FAULT_HOLD:-5}
RSS_LIMIT_MB=${FAULT_RSS_LIMIT_MB:-150}
failures=()

fault_setup 50 1 ${FAULT_SERVER_ENV:-}
token=$(bench_token officer-B01)
path=/v1/units/B01/years/2021/entries
rss() { awk '/^VmRSS/ { printf "%.1f\n", $2 / 1024 }' "/proc/$spid/status"; }
post_one() {
    printf 'entry code=SLOW-%s name=x kind=operation func=2013101 general=1.00\n' "$1" |
        curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: text/plain' \
            --data-binary @- "$url$path"
}

# Warm up the paths the uploads take, so "before" is a server that has served requests.
for i in $(seq 1 20); do post_one "W$i" >/dev/null; done
sleep 1
before=$(rss)
log "RSS before: $before MiB"

log "$SOCKETS connections each send 7.9 MB of an 8 MB POST and hold for ${HOLD}s"
python3 "$faults_dir/slowupload.py" --port "$port" --token "$token" --path "$path" --sockets "$SOCKETS" \
    --declared 8000000 --send 7900000 --ready "$BENCH_WORK/ready" --release "$BENCH_WORK/release" \
    >"$BENCH_WORK/slow.json" 2>"$BENCH_WORK/slow.err" &
client=$!
for i in $(seq 1 1200); do [ -e "$BENCH_WORK/ready" ] && break; kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
[ -e "$BENCH_WORK/ready" ] || failures+=("the upload client did not get its sockets going: $(cat "$BENCH_WORK/slow.err")")
during=0
for i in $(seq 1 $((HOLD * 4))); do
    now=$(rss)
    during=$(echo "$now $during" | awk '{ print ($1 > $2) ? $1 : $2 }')
    sleep 0.25
done
read -r peak _ < <(bench_rss "$spid")
status_during=$(post_one HOLD)
log "RSS while held: max $during MiB (process peak $peak MiB); a small POST meanwhile → $status_during"
touch "$BENCH_WORK/release"
wait "$client" || failures+=("the upload client failed: $(cat "$BENCH_WORK/slow.err")")
summary=$(tail -n 1 "$BENCH_WORK/slow.json")
log "client: $summary"

sleep 3
after=$(rss)
sockets_left=$(ls -l "/proc/$spid/fd" 2>/dev/null | grep -c socket || true)
log "RSS after the sockets closed: $after MiB (before: $before MiB); the server has $sockets_left sockets open"
[ "${FAULT_DEBUG:-0}" = 1 ] && { pmap -x "$spid" | sort -k3 -n | tail -n 12 >&2; grep -E "Rss|Anon" "/proc/$spid/smaps_rollup" >&2; }
status_after=$(post_one AFTER)
log "a small POST afterwards → $status_after"

read -r held refused <<<"$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["held"], d["answered"].get("503", 0))' "$summary")"
[ "$(echo "$peak <= $RSS_LIMIT_MB" | bc)" = 1 ] || failures+=("peak RSS $peak MiB > $RSS_LIMIT_MB MiB")
[ "$(echo "$after <= $before * 1.2" | bc)" = 1 ] || failures+=("RSS after $after MiB is more than 20 % above $before MiB")
[ "$refused" -gt 0 ] || failures+=("no upload got 503 (budget never exhausted?)")
[ "$held" -gt 0 ] || failures+=("no upload was accepted at all")
[ "$status_after" = 201 ] || failures+=("a small POST after the uploads answered $status_after")
grep -q '"status":"500"\|"status":500' "$BENCH_WORK/server-main.log" && failures+=("the server logged a 500")
printf 'slow-uploads: sockets=%s held=%s refused_503=%s rss_before=%s rss_during_max=%s rss_peak=%s rss_after=%s\n' \
    "$SOCKETS" "$held" "$refused" "$before" "$during" "$peak" "$after"
fault_finish slow-uploads "${failures[@]}"
