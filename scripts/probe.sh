#!/usr/bin/env bash
# The probe suite: attacks a running budget-server from outside, as an intruder or a careless
# client would, and checks that every hole found so far stays shut (README "Security model").
# Starts its own PostgreSQL cluster and server (loaded with the reference sample plus a second
# department 202 / unit 202001 for cross-scope probes), prints one line per probe and
# "N passed, M failed" last; exits non-zero when any probe failed.
#
#   bash scripts/probe.sh                 # the fast probes (≈ 1 min; run by .ci/run)
#   PROBE_ALL=1 bash scripts/probe.sh     # also the slow ones (200 stalled uploads, PostgreSQL
#                                         # stopped under load)
#   PROBE_ONLY=P07 bash scripts/probe.sh  # probes whose id starts with P07
#
# Binaries: debug by default (BENCH_CONFIG=release for release); BENCH_SKIP_BUILD=1 uses them as built.
set -euo pipefail
export BENCH_CONFIG=${BENCH_CONFIG:-debug}
source "$(dirname "$0")/../bench/lib.sh"
trap bench_cleanup EXIT

bench_build   # also makes the audit key: the server and budgetctl sign every event (BUDGET_AUDIT_KEY_FILE)
export PROBE_AUDIT_PUBLIC_KEY=$("$BENCH_BIN/budgetctl" audit key)  # the auditor's copy, for verify
bench_pg_start   # DATABASE_URL: the superuser, for the probes that attack the database itself
admin_url=$DATABASE_URL
# As scripts/serve.sh does: migrations as the schema's owner, everything else as budget_server.
owner_url=$(bash "$bench_root/deploy/pg-start.sh" owner 2>/dev/null | tail -n 1)
DATABASE_URL=$(bash "$bench_root/deploy/pg-start.sh" server 2>/dev/null | tail -n 1)
export DATABASE_URL
DATABASE_URL=$owner_url bench_migrate
tokens="$BENCH_WORK/tokens.env"
BUDGET_TOKENS_FILE="$tokens" bash "$bench_root/scripts/load-sample.sh" "$BENCH_BIN/budgetctl" 2>"$BENCH_WORK/load.log" \
    || { cat "$BENCH_WORK/load.log" >&2; die "sample did not load"; }

# A second department and unit, for probes across scope.
ctl() { "$BENCH_BIN/budgetctl" "$@"; }
ctl org add --as admin --code 202 --name 探针部门 --kind department >/dev/null
ctl org add --as admin --code 202001 --name 探针单位 --kind unit --parent 202 >/dev/null
echo "OFFICER_202001_TOKEN=$(ctl user add --as admin --name officer-202001 --role officer --org 202001 | tail -n 1)" >>"$tokens"
echo "REVIEWER_202_TOKEN=$(ctl user add --as admin --name reviewer-202 --role department_reviewer --org 202 | tail -n 1)" >>"$tokens"

port=$(bench_free_port)
bench_server_start probe "$port" LOG_LEVEL=info ${PROBE_SERVER_ENV:-}

python3 "$bench_root/scripts/probe/probes.py" \
    --url "http://127.0.0.1:$port" --tokens "$tokens" --budgetctl "$BENCH_BIN/budgetctl" \
    --database "$DATABASE_URL" --admin-database "$admin_url" --server-log "$BENCH_WORK/server-probe.log" --server-pid "$BENCH_PID_probe" \
    --pg-data "$BUDGET_PG_DATA" --root "$bench_root" ${PROBE_ALL:+--all} ${PROBE_ONLY:+--only "$PROBE_ONLY"}
