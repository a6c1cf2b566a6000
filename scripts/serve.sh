#!/usr/bin/env bash
# One command from a fresh clone: start the private PostgreSQL (creating it the first time),
# apply migrations, load the sample data once, and run budget-server on port 8080 (or $PORT).
# Works as root. Stop with Ctrl-C; stop PostgreSQL with deploy/pg-stop.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

export DATABASE_URL=${DATABASE_URL:-$(bash deploy/pg-start.sh | tail -n 1)}
swift build -c "${BUILD_CONFIGURATION:-debug}"
bin=$(swift build -c "${BUILD_CONFIGURATION:-debug}" --show-bin-path)

# The key that signs every audit event and checkpoint, made once, before anything is written
# (the sample too); `budgetctl audit key` prints its public key.
export BUDGET_AUDIT_KEY_FILE=${BUDGET_AUDIT_KEY_FILE:-${BUDGET_PG_DATA:-$root/.pgdata}/audit-key}
mkdir -p "$(dirname "$BUDGET_AUDIT_KEY_FILE")"
[ -f "$BUDGET_AUDIT_KEY_FILE" ] || "$bin/budgetctl" audit key --generate "$BUDGET_AUDIT_KEY_FILE" >&2
echo "audit events and checkpoints signed with $BUDGET_AUDIT_KEY_FILE" >&2

"$bin/budgetctl" migrate
if [ -x scripts/load-sample.sh ]; then
    bash scripts/load-sample.sh "$bin/budgetctl"
fi

echo "budget-server on http://127.0.0.1:${PORT:-8080} (DATABASE_URL=$DATABASE_URL)" >&2
export PORT=${PORT:-8080} LOG_FORMAT=${LOG_FORMAT:-text}
exec "$bin/budget-server"
