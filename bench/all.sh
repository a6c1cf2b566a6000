#!/usr/bin/env bash
# Every benchmark in one command, one release build first:
#   run.sh         transitions, reads and memory against pgbench (rewrites BENCHMARKS.md's Results)
#   import.sh      100,000 entries in BLP batches against psql \copy
#   disclosure.sh  the disclosure of 10,000 published entries against its data in psql
#   scale.sh       list, queue and history at 10,000 against 1,000,000 entries; EXPLAIN
# Each prints its figures with the baseline beside them and the target, and exits non-zero when a
# correctness check fails (lost audit events, a failed request, audit verify); this script runs
# them all and exits non-zero if any did. BENCH_STRICT=1 also fails run.sh on a missed target.
# About 20 minutes on 2 cores. BENCH_SKIP_BUILD=1 uses the binaries already built.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    swift build -c release --product budget-server >&2 && swift build -c release --product budgetctl >&2 \
        || { echo "FAIL: release build" >&2; exit 1; }
fi
export BENCH_SKIP_BUILD=1
results=()
rc=0
for bench in run import disclosure scale; do
    start=$(date +%s)
    if bash "$here/$bench.sh"; then
        results+=("PASS bench/$bench.sh ($(( $(date +%s) - start ))s)")
    else
        results+=("FAIL bench/$bench.sh ($(( $(date +%s) - start ))s)")
        rc=1
    fi
done
printf '%s\n' "${results[@]}" >&2
exit $rc
