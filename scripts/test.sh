#!/usr/bin/env bash
# The whole test suite: starts a throwaway PostgreSQL cluster, builds, runs every test, removes the
# cluster. Works as root. Extra arguments go to `swift test` (e.g. --filter PoolTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

data=$(mktemp -d /tmp/budget-test-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export BUDGET_PG_DATA="$data" BUDGET_PG_PORT="$port" BUDGET_PG_DB=budget
cleanup() {
    bash "$root/deploy/pg-stop.sh" >/dev/null 2>&1 || true
    rm -rf "$data"
}
trap cleanup EXIT

bash deploy/pg-start.sh >/dev/null
export BUDGET_TEST_PGHOST=127.0.0.1 BUDGET_TEST_PGPORT="$port"

swift build --build-tests
export BUDGETCTL="$(swift build --show-bin-path)/budgetctl"
# The run's audit signing key: test pools, in-process servers and budgetctl sign every event with it.
export BUDGET_AUDIT_KEY_FILE="$data/audit-key"
"$BUDGETCTL" audit key --generate "$BUDGET_AUDIT_KEY_FILE" >/dev/null
swift test --skip-build "$@"
