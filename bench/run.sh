#!/usr/bin/env bash
# Measured performance of budget-server against a pgbench baseline in the same run (BENCHMARKS.md).
#
#   bash bench/run.sh
#
# Builds the release binaries, starts a fresh private PostgreSQL (default durability: fsync and
# synchronous_commit on) in /tmp on a free port, migrates, seeds one department with BENCH_UNITS
# units (one officer each, fixed tokens) and BENCH_ENTRIES complete project drafts through the API,
# starts budget-server (release, DB_POOL_SIZE=BENCH_POOL) and measures:
#   a. transitions: wrk, BENCH_TX_CONNECTIONS connections alternating submit/withdraw on disjoint
#      entries, vs pgbench running the same SQL statements (bench/transition.sql); then checks
#      audit events added = server-side 2xx transitions = Δ versions, and audit verify;
#   b. reads: GET /v1/entries?limit=100 at BENCH_READ_CONNECTIONS vs pgbench running the statement
#      the server runs for it (bench/list.sql: the page with its children as JSON, built in PostgreSQL);
#   c. memory: VmHWM after a and b, and RSS sampled through a soak of BENCH_SOAK_SECONDS (both loads);
#   d. writes the results section of BENCHMARKS.md (BENCH_OUTPUT), machine, date, commit, versions.
# Exits non-zero when a correctness check fails (errors, lost or extra audit events, verify); missed
# performance targets are reported, and fail the run only with BENCH_STRICT=1.
#
# Knobs (environment): BENCH_ENTRIES=8192 BENCH_UNITS=8 BENCH_POOL=16 BENCH_DURATION=20 (seconds per
# measurement) BENCH_TX_CONNECTIONS=32 BENCH_READ_CONNECTIONS=64 BENCH_SOAK_SECONDS=10×duration (0 skips)
# BENCH_WRK_THREADS=2 BENCH_LOG_LEVEL=warning BENCH_SKIP_BUILD=1 BENCH_KEEP=1 (keep the work folder)
# BENCH_OUTPUT=BENCHMARKS.md (path; "-" prints the section only).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT

N=${BENCH_ENTRIES:-8192}
UNITS=${BENCH_UNITS:-8}
POOL=${BENCH_POOL:-16}
DUR=${BENCH_DURATION:-20}
TXC=${BENCH_TX_CONNECTIONS:-32}
RDC=${BENCH_READ_CONNECTIONS:-64}
SOAK=${BENCH_SOAK_SECONDS:-$((DUR * 10))}
THREADS=${BENCH_WRK_THREADS:-2}
OUT=${BENCH_OUTPUT:-$bench_root/BENCHMARKS.md}
export BENCH_WRK_THREADS=$THREADS
[ $((N / TXC)) -ge 8 ] || die "BENCH_ENTRIES must be at least 8 × BENCH_TX_CONNECTIONS"

if ! command -v wrk >/dev/null; then
    [ "$(id -u)" = 0 ] || die "wrk is missing: apt-get install wrk"
    log "installing wrk"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
command -v pgbench >/dev/null || die "pgbench is missing (postgresql-contrib / postgresql client)"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
bench_build
bench_pg_start
bench_migrate
bench_seed_people "$UNITS"
port=$(bench_free_port)
bench_server_start main "$port" DB_POOL_SIZE="$POOL"
spid=$BENCH_PID_main
url="http://127.0.0.1:$port"

t0=$(date +%s.%N)
bench_seed_entries "$port" "$N" "$UNITS" "$BENCH_WORK/seeded.txt"
seed_s=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
log "seeded $N entries through the API in ${seed_s}s"
"${PSQL[@]}" -f "$bench_dir/pgbench-setup.sql" >/dev/null
failures=()
missed=()
sql1() { "${PSQL[@]}" -tAc "$1"; }

# ---------------------------------------------------------------- a. transitions
log "a. transitions: pgbench baseline, $TXC clients, ${DUR}s"
sql1 "CHECKPOINT" >/dev/null
read -r tx_base_tps tx_base_failed tx_base_p50 tx_base_p99 < <(bench_pgbench tx -c "$TXC" -j "$THREADS" -T "$DUR" \
    -D per=$((N / TXC)) -f "$bench_dir/transition.sql")
log "   pgbench: $tx_base_tps TPS, p50 $tx_base_p50 ms, p99 $tx_base_p99 ms, failed $tx_base_failed"

log "a. transitions: budget-server, wrk $TXC connections, ${DUR}s"
bench_entries_file "$BENCH_WORK/entries.txt"
sql1 "CHECKPOINT" >/dev/null
route='/v1/entries/{id}/actions/{action}'
ev0=$(sql1 "SELECT count(*) FROM audit_events")
ver0=$(sql1 "SELECT sum(version) FROM entries")
ok0=$(bench_metric_count "$port" "$route" '^2')
all0=$(bench_metric_count "$port" "$route" '.')
cpu_s0=$(bench_cpu_ticks "$spid")
cpu_p0=$(bench_pg_cpu_ticks)
tx=$(BENCH_ENTRIES_FILE="$BENCH_WORK/entries.txt" bench_wrk tx -t "$THREADS" -c "$TXC" -d "${DUR}s" --timeout 10s \
    -s "$bench_dir/transition.lua" "$url")
cpu_s1=$(bench_cpu_ticks "$spid")
cpu_p1=$(bench_pg_cpu_ticks)
sleep 2   # requests in flight when wrk stopped finish on the server
ev1=$(sql1 "SELECT count(*) FROM audit_events")
ver1=$(sql1 "SELECT sum(version) FROM entries")
ok1=$(bench_metric_count "$port" "$route" '^2')
all1=$(bench_metric_count "$port" "$route" '.')
tx_rps=$(kv rps "$tx"); tx_p50=$(kv p50_ms "$tx"); tx_p99=$(kv p99_ms "$tx")
tx_2xx=$(kv s2xx "$tx"); tx_non2xx=$(( $(kv s409 "$tx") + $(kv sother "$tx") ))
tx_sockerr=$(( $(kv connect_errors "$tx") + $(kv read_errors "$tx") + $(kv write_errors "$tx") + $(kv timeouts "$tx") ))
tx_requests=$(kv requests "$tx")
events_added=$((ev1 - ev0))
versions_added=$((ver1 - ver0))
server_2xx=$((ok1 - ok0))
server_all=$((all1 - all0))
server_non2xx=$((server_all - server_2xx))
tx_srv_cpu_ms=$(printf '%.2f' "$(echo "scale=4; ($cpu_s1 - $cpu_s0) * 10 / $tx_requests" | bc)")
tx_pg_cpu_ms=$(printf '%.2f' "$(echo "scale=4; ($cpu_p1 - $cpu_p0) * 10 / $tx_requests" | bc)")
tx_base_tps=$(printf '%.1f' "$tx_base_tps")
tx_ratio=$(printf '%.2f' "$(echo "scale=4; $tx_rps / $tx_base_tps" | bc)")
log "   budget-server: $tx_rps req/s, p50 $tx_p50 ms, p99 $tx_p99 ms, 2xx $tx_2xx, non-2xx $tx_non2xx, socket errors $tx_sockerr; ratio ${tx_ratio}×"
log "   audit events added $events_added, Δ versions $versions_added, server-side 2xx $server_2xx (client saw $tx_2xx; in flight at stop $((server_2xx - tx_2xx)))"
[ "$events_added" -eq "$server_2xx" ] || failures+=("transitions: $events_added audit events added but the server answered $server_2xx transitions with 2xx")
[ "$events_added" -eq "$versions_added" ] || failures+=("transitions: $events_added audit events added but versions grew by $versions_added")
[ "$tx_non2xx" -eq 0 ] && [ "$server_non2xx" -eq 0 ] && [ "$tx_sockerr" -eq 0 ] \
    || failures+=("transitions: $tx_non2xx non-2xx seen by wrk, $server_non2xx by the server, $tx_sockerr socket errors")
[ "$(echo "$tx_base_failed == 0" | bc)" = 1 ] || failures+=("transitions: pgbench baseline had $tx_base_failed failed transactions")
verify_tx="passed"
bench_audit_verify || { verify_tx="FAILED"; failures+=("audit verify failed after the transitions"); }
bench_invariants || failures+=("SQL invariants violated after the transitions")
[ "$(echo "$tx_ratio >= 0.5" | bc)" = 1 ] && tx_ratio_ok=met || { tx_ratio_ok="NOT met"; missed+=("transitions ${tx_ratio}× baseline < 0.5×"); }
[ "$(echo "$tx_p99 <= 5 * $tx_p50" | bc)" = 1 ] && tx_tail_ok=met || { tx_tail_ok="NOT met"; missed+=("transitions p99 $tx_p99 ms > 5 × p50 $tx_p50 ms"); }
read -r hwm_a rss_a < <(bench_rss "$spid")

# ---------------------------------------------------------------- b. reads
log "b. reads: pgbench list statement, $RDC clients, ${DUR}s"
read -r rd_base_tps rd_base_failed rd_base_p50 rd_base_p99 < <(bench_pgbench list -c "$RDC" -j "$THREADS" -T "$DUR" \
    -D unit=B01 -D limit=101 -f "$bench_dir/list.sql")
log "   pgbench list statement: $rd_base_tps TPS, p50 $rd_base_p50 ms, p99 $rd_base_p99 ms"
log "b. reads: budget-server, wrk $RDC connections, ${DUR}s"
cpu_s0=$(bench_cpu_ticks "$spid")
cpu_p0=$(bench_pg_cpu_ticks)
rd=$(BENCH_TOKEN=$(bench_token officer-B01) bench_wrk list -t "$THREADS" -c "$RDC" -d "${DUR}s" --timeout 10s \
    -s "$bench_dir/list.lua" "$url")
cpu_s1=$(bench_cpu_ticks "$spid")
cpu_p1=$(bench_pg_cpu_ticks)
rd_rps=$(kv rps "$rd"); rd_p50=$(kv p50_ms "$rd"); rd_p99=$(kv p99_ms "$rd")
rd_non2xx=$(kv sother "$rd")
rd_sockerr=$(( $(kv connect_errors "$rd") + $(kv read_errors "$rd") + $(kv write_errors "$rd") + $(kv timeouts "$rd") ))
rd_requests=$(kv requests "$rd")
rd_srv_cpu_ms=$(printf '%.2f' "$(echo "scale=4; ($cpu_s1 - $cpu_s0) * 10 / $rd_requests" | bc)")
rd_pg_cpu_ms=$(printf '%.2f' "$(echo "scale=4; ($cpu_p1 - $cpu_p0) * 10 / $rd_requests" | bc)")
rd_base_tps=$(printf '%.1f' "$rd_base_tps")
rd_ratio=$(printf '%.2f' "$(echo "scale=4; $rd_rps / $rd_base_tps" | bc)")
log "   budget-server: $rd_rps req/s, p50 $rd_p50 ms, p99 $rd_p99 ms, non-2xx $rd_non2xx, socket errors $rd_sockerr; ratio ${rd_ratio}×"
[ "$rd_non2xx" -eq 0 ] && [ "$rd_sockerr" -eq 0 ] || failures+=("reads: $rd_non2xx non-2xx, $rd_sockerr socket errors")
[ "$(echo "$rd_ratio >= 0.5" | bc)" = 1 ] && rd_ratio_ok=met || { rd_ratio_ok="NOT met"; missed+=("reads ${rd_ratio}× baseline < 0.5×"); }
read -r hwm_b rss_b < <(bench_rss "$spid")

# ---------------------------------------------------------------- c. memory soak
soak_line="not run (BENCH_SOAK_SECONDS=0)"
soak_ok="not measured"
if [ "$SOAK" -gt 0 ]; then
    log "c. soak: transitions ($TXC connections) and reads (16 connections) together for ${SOAK}s, RSS sampled"
    bench_entries_file "$BENCH_WORK/entries.txt"
    ev0=$(sql1 "SELECT count(*) FROM audit_events")
    ok0=$(bench_metric_count "$port" "$route" '^2')
    (BENCH_ENTRIES_FILE="$BENCH_WORK/entries.txt" BENCH_WRK_THREADS=1 bench_wrk soak-tx -t 1 -c "$TXC" -d "${SOAK}s" --timeout 10s \
        -s "$bench_dir/transition.lua" "$url" >"$BENCH_WORK/soak-tx.result") &
    soak_tx=$!
    (BENCH_TOKEN=$(bench_token officer-B01) bench_wrk soak-rd -t 1 -c 16 -d "${SOAK}s" --timeout 10s \
        -s "$bench_dir/list.lua" "$url" >"$BENCH_WORK/soak-rd.result") &
    soak_rd=$!
    step=$(( SOAK / 20 > 5 ? SOAK / 20 : 5 ))
    samples=()
    elapsed=0
    while kill -0 "$soak_tx" 2>/dev/null || kill -0 "$soak_rd" 2>/dev/null; do
        sleep "$step"
        elapsed=$((elapsed + step))
        kill -0 "$spid" 2>/dev/null || { failures+=("the server died during the soak"); break; }
        samples+=("$(bench_rss "$spid" | cut -d' ' -f2)")
    done
    wait "$soak_tx" || failures+=("soak transitions wrk failed")
    wait "$soak_rd" || failures+=("soak reads wrk failed")
    sleep 2
    soak_tx_r=$(cat "$BENCH_WORK/soak-tx.result")
    soak_rd_r=$(cat "$BENCH_WORK/soak-rd.result")
    ev1=$(sql1 "SELECT count(*) FROM audit_events")
    ok1=$(bench_metric_count "$port" "$route" '^2')
    [ $((ev1 - ev0)) -eq $((ok1 - ok0)) ] || failures+=("soak: $((ev1 - ev0)) audit events added but $((ok1 - ok0)) 2xx transitions")
    soak_errors=$(( $(kv s409 "$soak_tx_r") + $(kv sother "$soak_tx_r") + $(kv sother "$soak_rd_r") + $(kv timeouts "$soak_tx_r") + $(kv timeouts "$soak_rd_r") ))
    [ "$soak_errors" -eq 0 ] || failures+=("soak: $soak_errors non-2xx or timeouts")
    bench_audit_verify || failures+=("audit verify failed after the soak")
    bench_invariants || failures+=("SQL invariants violated after the soak")
    read -r hwm_c rss_c < <(bench_rss "$spid")
    n=${#samples[@]}
    q=$(( n / 4 > 0 ? n / 4 : 1 ))
    early=$(printf '%s\n' "${samples[@]:0:$q}" | sort -n | tail -n 1)
    late=$(printf '%s\n' "${samples[@]:$((n - q))}" | sort -n | tail -n 1)
    growth=$(printf '%.1f' "$(echo "scale=3; ($late - $early) * 100 / $early" | bc)")
    soak_line="$(kv rps "$soak_tx_r") transitions/s and $(kv rps "$soak_rd_r") lists/s for ${SOAK}s ($((ok1 - ok0)) transitions, audit events match); RSS every ${step}s (MiB): ${samples[*]}; peak of the first quarter $early, of the last quarter $late (${growth}%); VmHWM after $hwm_c MiB"
    if [ "$(echo "$growth <= 10" | bc)" = 1 ]; then soak_ok="met (last-quarter peak within 10% of the first quarter's)"; else soak_ok="NOT met (RSS grew ${growth}% from the first to the last quarter)"; missed+=("memory grew ${growth}% during the soak"); fi
    log "   $soak_line"
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- d. BENCHMARKS.md
commit=$(git -C "$bench_root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$bench_root" status --porcelain 2>/dev/null | grep -v '^??' | grep -q . && echo " (working tree has uncommitted changes)" || true)
pgver=$(sql1 "SHOW server_version")
model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
status_line() { if [ ${#failures[@]} -eq 0 ]; then echo "all correctness checks passed"; else printf 'FAILED: %s; ' "${failures[@]}"; fi; }
section=$(cat <<EOF
<!-- results:begin (written by bench/run.sh; everything up to results:end is replaced on each run) -->
## Results

| | |
|---|---|
| date | $(date -u +"%Y-%m-%d %H:%M UTC") |
| machine | $(nproc) × $model, $mem RAM; load average $load_start at start, $load_end at end (shared machine) |
| commit | $commit$dirty |
| PostgreSQL | $pgver, private cluster, default durability (fsync on, synchronous_commit on) |
| server | budget-server release build, DB_POOL_SIZE=$POOL, LOG_LEVEL=${BENCH_LOG_LEVEL:-warning} |
| data | $UNITS units, $N complete project entries seeded through the API in ${seed_s}s (BLP batches of 1,000) |
| load generators | wrk -t$THREADS and pgbench -j$THREADS -M extended, on the same machine |

### a. Transitions (submit / withdraw on disjoint entries), $TXC connections, ${DUR}s

| | throughput | p50 | p99 | errors |
|---|---|---|---|---|
| pgbench, same SQL (bench/transition.sql) | $tx_base_tps TPS | $tx_base_p50 ms | $tx_base_p99 ms | $tx_base_failed failed |
| budget-server over HTTP | $tx_rps req/s | $tx_p50 ms | $tx_p99 ms | $tx_non2xx non-2xx, $tx_sockerr socket errors |
| **ratio** | **${tx_ratio}×** (target ≥ 0.5×: $tx_ratio_ok) | p99/p50 = $(printf '%.1f' "$(echo "scale=3; $tx_p99 / $tx_p50" | bc)") (target ≤ 5: $tx_tail_ok) | | |

CPU per transition request: server $tx_srv_cpu_ms ms, PostgreSQL $tx_pg_cpu_ms ms.
Audit: $events_added events added = $versions_added versions added = $server_2xx transitions answered 2xx by
the server (its /metrics; wrk saw $tx_2xx 2xx, the other $((server_2xx - tx_2xx)) were in flight when wrk stopped);
audit verify $verify_tx.

### b. Reads: GET /v1/entries?limit=100 (one unit's officer), $RDC connections, ${DUR}s

| | throughput | p50 | p99 | errors |
|---|---|---|---|---|
| pgbench, the same statement (bench/list.sql) | $rd_base_tps TPS | $rd_base_p50 ms | $rd_base_p99 ms | $rd_base_failed failed |
| budget-server over HTTP | $rd_rps req/s | $rd_p50 ms | $rd_p99 ms | $rd_non2xx non-2xx, $rd_sockerr socket errors |
| **ratio** | **${rd_ratio}×** (target ≥ 0.5×: $rd_ratio_ok) | | | |

CPU per list request: server $rd_srv_cpu_ms ms, PostgreSQL $rd_pg_cpu_ms ms.

### c. Memory

Server peak RSS (VmHWM): $hwm_a MiB after a, $hwm_b MiB after b (current RSS $rss_b MiB).
Soak: $soak_line. Flat: $soak_ok.

### Outcome

Correctness: $(status_line)
Performance targets missed: $(if [ ${#missed[@]} -eq 0 ]; then echo none; else printf '%s; ' "${missed[@]}"; fi)
<!-- results:end -->
EOF
)
if [ "$OUT" = - ]; then
    echo "$section"
else
    [ -f "$OUT" ] || printf '# Benchmarks\n\n' >"$OUT"
    python3 - "$OUT" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- results:begin.*?<!-- results:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
    log "results written to $OUT"
fi
echo "$section" | sed -n '/^### a/,/^### c/p' | grep -E '^\| (pgbench|budget|\*\*)' >&2 || true

if [ ${#failures[@]} -gt 0 ]; then
    printf 'FAIL: %s\n' "${failures[@]}" >&2
    exit 1
fi
if [ ${#missed[@]} -gt 0 ]; then
    printf 'target missed: %s\n' "${missed[@]}" >&2
    [ "${BENCH_STRICT:-0}" = 1 ] && exit 2
fi
log "done"
