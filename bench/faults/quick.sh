#!/usr/bin/env bash
# The quick fault scripts with short durations (pool exhaustion, PostgreSQL restart, kill -9), one
# build first (release unless BENCH_CONFIG=debug); under ~3 minutes on a 2-core machine. Exits non-zero if any fails.
# FAULT_ALL=1 adds two-instances.sh. BENCH_SKIP_BUILD=1 uses the binaries already built;
# BENCH_CONFIG=debug uses the debug build (CI: the one the test suite just made).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
start=$(date +%s)
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    config=${BENCH_CONFIG:-release}
    (cd "$here/../.." && swift build -c "$config" --product budget-server >&2 && swift build -c "$config" --product budgetctl >&2) \
        || { echo "FAIL: $config build" >&2; exit 1; }
fi
export BENCH_SKIP_BUILD=1
scripts=("pool-exhaustion.sh" "pg-restart.sh" "kill9.sh")
[ "${FAULT_ALL:-0}" = 1 ] && scripts+=("two-instances.sh")
results=()
rc=0
for s in "${scripts[@]}"; do
    t0=$(date +%s)
    if FAULT_HOLD=3 FAULT_OUTAGE=2 FAULT_DURATION=8 FAULT_KILL_AT=3 bash "$here/$s"; then
        results+=("PASS $s ($(( $(date +%s) - t0 ))s)")
    else
        results+=("FAIL $s ($(( $(date +%s) - t0 ))s)")
        rc=1
    fi
done
printf '%s\n' "${results[@]}" >&2
echo "quick fault scripts: $([ $rc -eq 0 ] && echo all passed || echo FAILED) in $(( $(date +%s) - start ))s" >&2
exit $rc
