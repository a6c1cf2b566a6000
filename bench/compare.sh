#!/usr/bin/env bash
# Two commits, one run: builds OLD and NEW (release) in their own worktrees, then runs each side's
# own bench/run.sh (transitions and reads, each against its pgbench baseline running that side's
# SQL) and bench/import.sh, alternating OLD/NEW and swapping the order every round so that drift on
# a shared machine hits both alike. Prints the medians and NEW/OLD, and writes them into
# BENCHMARKS.md between compare:begin and compare:end.
#
#   bash bench/compare.sh OLD NEW          e.g. bash bench/compare.sh 09098b3 HEAD
#
# Knobs: BENCH_ROUNDS=3 (per side), BENCH_DURATION=20 (seconds per load), BENCH_IMPORT_ENTRIES=20000
# (0 skips the import), BENCH_COMPARE_DIR (worktrees and logs; default /tmp/budget-compare),
# BENCH_OUTPUT=BENCHMARKS.md ("-" prints only). Every run.sh knob passes through (BENCH_ENTRIES…).
# Exits non-zero when a side's correctness checks fail (its run.sh does); the targets of issue 13
# (transitions ≥ 1.5×, p99 not higher, reads and import not slower, NEW's ratio to pgbench ≥ 0.75×)
# are reported, and fail the run only with BENCH_STRICT=1.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: bash bench/compare.sh OLD NEW (commits)" >&2; exit 64; }
root=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${BENCH_ROUNDS:-3}
IMPORT_N=${BENCH_IMPORT_ENTRIES:-20000}
OUT=${BENCH_OUTPUT:-$root/BENCHMARKS.md}
work=${BENCH_COMPARE_DIR:-/tmp/budget-compare}
export BENCH_SOAK_SECONDS=0 BENCH_DURATION=${BENCH_DURATION:-20}
mkdir -p "$work"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

old=$(git -C "$root" rev-parse --short "$1^{commit}")
new=$(git -C "$root" rev-parse --short "$2^{commit}")
# Fixed folders, so a later comparison rebuilds incrementally.
declare -A tree=([old]="$work/old" [new]="$work/new")

for side in old new; do
    commit=${!side}
    dir=${tree[$side]}
    if [ ! -d "$dir" ]; then
        git -C "$root" worktree add -q --detach "$dir" "$commit"
    fi
    [ "$(git -C "$dir" rev-parse --short HEAD)" = "$commit" ] || git -C "$dir" checkout -q --detach "$commit"
    log "building $side ($commit) in $dir (release)"
    (cd "$dir" && swift build -c release --product budget-server >&2 && swift build -c release --product budgetctl >&2)
done

# One run of one side; appends "side tx_rps tx_p99 tx_base rd_rps rd_p99 rd_base import_s copy_s" to results.
results="$work/results.txt"
: >"$results"
run_side() {
    local side=$1 round=$2 dir=${tree[$1]} out tx base rd rdbase imp=0 copy=0
    log "round $round: $side (${!side}) bench/run.sh"
    out=$(cd "$dir" && BENCH_SKIP_BUILD=1 BENCH_OUTPUT=- bash bench/run.sh 2>"$work/run-$side-$round.log") \
        || { log "FAIL: $side's bench/run.sh failed, see $work/run-$side-$round.log"; tail -n 20 "$work/run-$side-$round.log" >&2; exit 1; }
    tx=$(grep -m1 '^| budget-server over HTTP' <<<"$out")
    base=$(grep -m1 '^| pgbench, same SQL' <<<"$out")
    rd=$(grep '^| budget-server over HTTP' <<<"$out" | sed -n 2p)
    rdbase=$(grep -m1 '^| pgbench, the same statement' <<<"$out")
    field() { awk -F'|' -v n="$2" '{ split($n, a, " "); print a[1] }' <<<"$1"; }
    if [ "$IMPORT_N" -gt 0 ]; then
        log "round $round: $side (${!side}) bench/import.sh $IMPORT_N"
        local line
        line=$(cd "$dir" && BENCH_SKIP_BUILD=1 bash bench/import.sh "$IMPORT_N" 2>"$work/import-$side-$round.log" | grep '^bulk import') \
            || { log "FAIL: $side's bench/import.sh failed, see $work/import-$side-$round.log"; exit 1; }
        imp=$(sed -E 's/.*server ([0-9.]+)s.*/\1/' <<<"$line")
        copy=$(sed -E 's/.*psql \\copy ([0-9.]+)s.*/\1/' <<<"$line")
    fi
    echo "$side $(field "$tx" 3) $(field "$tx" 5) $(field "$base" 3) $(field "$rd" 3) $(field "$rd" 5) $(field "$rdbase" 3) $imp $copy" >>"$results"
    log "   $(tail -n 1 "$results")"
}

for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then run_side old "$round"; run_side new "$round"
    else run_side new "$round"; run_side old "$round"; fi
done

# Medians per side and column.
median() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$results" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }
declare -A m
for side in old new; do for c in 2 3 4 5 6 7 8 9; do m[$side$c]=$(median "$side" "$c"); done; done
tx_gain=$(ratio "${m[new2]}" "${m[old2]}")
rd_gain=$(ratio "${m[new5]}" "${m[old5]}")
new_tx_base=$(ratio "${m[new2]}" "${m[new4]}")
old_tx_base=$(ratio "${m[old2]}" "${m[old4]}")
# verdict VAR CONDITION WHAT: VAR=met, or "NOT met" and WHAT joins the missed targets.
verdict() { if [ "$(echo "$2" | bc)" = 1 ]; then printf -v "$1" met; else printf -v "$1" 'NOT met'; missed+=("$3"); fi; }
missed=()
verdict v_tx "$tx_gain >= 1.5" "transitions ${tx_gain}× < 1.5×"
verdict v_p99 "${m[new3]} <= ${m[old3]}" "transition p99 ${m[new3]} ms > ${m[old3]} ms"
verdict v_rd "$rd_gain >= 1.0" "reads ${rd_gain}× < 1.0×"
verdict v_base "$new_tx_base >= 0.75" "NEW transitions ${new_tx_base}× its pgbench < 0.75×"
import_row="| import ($IMPORT_N entries, s; lower is better) | not run | not run | | |"
if [ "$IMPORT_N" -gt 0 ]; then
    imp_gain=$(ratio "${m[old8]}" "${m[new8]}")
    verdict v_imp "${m[new8]} <= ${m[old8]} * 1.05" "import ${m[new8]} s > ${m[old8]} s (+5% noise)"
    import_row="| import, $IMPORT_N entries through the API (s; psql \\copy: ${m[old9]} / ${m[new9]} s) | ${m[old8]} | ${m[new8]} | ${imp_gain}× faster | not slower (5% noise): $v_imp |"
fi
model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
section=$(cat <<EOF
<!-- compare:begin (written by bench/compare.sh; everything up to compare:end is replaced on each run) -->
## Comparison: $old → $new

$(date -u +"%Y-%m-%d %H:%M UTC"), $(nproc) × $model; each side's own bench/run.sh and bench/import.sh
(release builds, fresh private cluster per run, default durability), $ROUNDS rounds per side alternating
OLD/NEW with the order swapped every round, ${BENCH_DURATION}s per load, ${BENCH_TX_CONNECTIONS:-32}
transition and ${BENCH_READ_CONNECTIONS:-64} read connections. Medians.

| | $old (OLD) | $new (NEW) | NEW / OLD | target |
|---|---|---|---|---|
| transitions, req/s | ${m[old2]} | ${m[new2]} | ${tx_gain}× | ≥ 1.5×: $v_tx |
| transitions, p99 ms | ${m[old3]} | ${m[new3]} | | not higher: $v_p99 |
| transitions ÷ pgbench of that side's SQL | ${old_tx_base}× (${m[old4]} TPS) | ${new_tx_base}× (${m[new4]} TPS) | | NEW ≥ 0.75×: $v_base |
| reads (GET /v1/entries?limit=100), req/s | ${m[old5]} | ${m[new5]} | ${rd_gain}× | not slower: $v_rd |
| reads, p99 ms | ${m[old6]} | ${m[new6]} | | |
$import_row

Every run, in order (side, transitions req/s, p99 ms, pgbench TPS, reads req/s, p99 ms, pgbench TPS, import s, \\copy s):

\`\`\`
$(cat "$results")
\`\`\`
<!-- compare:end -->
EOF
)
echo "$section"
if [ "$OUT" != - ]; then
    python3 - "$OUT" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- compare:begin.*?<!-- compare:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
    log "comparison written to $OUT"
fi
if [ ${#missed[@]} -gt 0 ]; then
    printf 'target missed: %s\n' "${missed[@]}" >&2
    [ "${BENCH_STRICT:-0}" = 1 ] && exit 2
fi
exit 0
