#!/usr/bin/env bash
# Property-based API tests of budget-server against openapi.yaml with schemathesis.
#
#   scripts/schemathesis.sh            # about 4-5 minutes on 2 cores
#
# Builds budgetctl and budget-server, starts a throwaway PostgreSQL cluster in a fresh /tmp folder on
# a free port, migrates it, creates organizations (department 201 with units 201002 and 201003,
# department 202 with unit 202001) and users (admin, finance, auditor, officer-201002,
# reviewer-201) with budgetctl (falling back to psql when `budgetctl org add`/`user add` fail),
# loads the reference sample of unit 201002 through the API and publishes it, starts budget-server
# on a free port and runs schemathesis three times over every operation: as the officer of 201002,
# as the reviewer of department 201 and as the finance reviewer (about 4 minutes in all).
# Everything is stopped and removed on exit.
# Exits non-zero when schemathesis reports a failure.
#
# Environment:
#   SCHEMATHESIS_MAX_EXAMPLES  examples per operation and phase for the officer run (default 40)
#   SCHEMATHESIS_OFFICER_SECONDS / SCHEMATHESIS_OTHER_SECONDS  time budget of each run (120 / 60)
#   SCHEMATHESIS_SEED          hypothesis seed (default 20200101), for reproducible runs
#   SCHEMATHESIS_CHECKS        checks (default: see `checks` below)
#   SCHEMATHESIS_ARGS          extra arguments for `schemathesis run`
#   KEEP_SCHEMATHESIS_DIR=1    keep the work folder (server log, reports, PostgreSQL log)
#   SCHEMATHESIS_BOOTSTRAP=psql  create organizations, users and tokens with psql, not budgetctl
# Works as root (PostgreSQL then runs as the `postgres` user).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

log() { printf '== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
if ! command -v schemathesis >/dev/null 2>&1; then
    log "installing schemathesis from PyPI"
    python3 -m pip install --quiet schemathesis >&2
fi
log "$(schemathesis --version)"

log "building budgetctl and budget-server"
swift build --product budgetctl >&2
swift build --product budget-server >&2
bin=$(swift build --show-bin-path)

# --- work folder, cleanup ---------------------------------------------------------------------
work=$(mktemp -d /tmp/budget-schemathesis.XXXXXX)
chmod 755 "$work"   # the postgres user must traverse it when we are root
server_pid=
cleanup() {
    local rc=$?
    set +e
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    if [ -d "$work/pg/cluster" ]; then
        BUDGET_PG_DATA="$work/pg" BUDGET_PG_PORT="$pg_port" bash deploy/pg-stop.sh >/dev/null 2>&1
    fi
    if [ "${KEEP_SCHEMATHESIS_DIR:-0}" = 1 ]; then
        log "work folder kept: $work"
    else
        rm -rf "$work"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# --- PostgreSQL ----------------------------------------------------------------------------------
pg_port=$(free_port)
export BUDGET_PG_DATA="$work/pg" BUDGET_PG_PORT="$pg_port"
log "starting PostgreSQL in $BUDGET_PG_DATA on port $pg_port"
DATABASE_URL=$(bash deploy/pg-start.sh | tail -n 1)
export DATABASE_URL
unset BUDGETCTL_USER
psql_db() { psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }

# Migrations as the schema owner; the server and budgetctl as budget_server (deploy/roles.sql).
DATABASE_URL=$(bash deploy/pg-start.sh owner 2>/dev/null | tail -n 1) "$bin/budgetctl" migrate >&2

# --- organizations and users --------------------------------------------------------------------
declare -A tokens=()
new_token() { python3 -c 'import secrets; print("bt_" + secrets.token_urlsafe(32))'; }

# ctl_token NAME ARGS…: `budgetctl user add`, the token is the last line of its output.
ctl_token() {
    local out
    out=$("$bin/budgetctl" user add "$@" 2>>"$work/budgetctl.err") || return 1
    tail -n 1 <<<"$out"
}

bootstrap_with_budgetctl() {
    local t
    t=$(ctl_token --name admin --role admin) || return 1
    tokens[admin]=$t
    "$bin/budgetctl" org add --as admin --code 201 --name 中共保定市徐水区委办公室 --kind department \
        --nature 行政 --level 正科 --funding 财政拨款 >/dev/null 2>>"$work/budgetctl.err" || return 1
    "$bin/budgetctl" org add --as admin --code 201002 --name 区委办（行政） --kind unit --parent 201 \
        --nature 行政 --level 正科 --funding 财政拨款 >/dev/null 2>>"$work/budgetctl.err" || return 1
    "$bin/budgetctl" org add --as admin --code 201003 --name 档案馆 --kind unit --parent 201 \
        >/dev/null 2>>"$work/budgetctl.err" || return 1
    "$bin/budgetctl" org add --as admin --code 202 --name 区政府办公室 --kind department \
        >/dev/null 2>>"$work/budgetctl.err" || return 1
    "$bin/budgetctl" org add --as admin --code 202001 --name 区政府办（行政） --kind unit --parent 202 \
        >/dev/null 2>>"$work/budgetctl.err" || return 1
    t=$(ctl_token --as admin --name finance --role finance_reviewer) || return 1; tokens[finance]=$t
    t=$(ctl_token --as admin --name auditor --role auditor) || return 1; tokens[auditor]=$t
    t=$(ctl_token --as admin --name officer-201002 --role officer --org 201002) || return 1; tokens[officer]=$t
    t=$(ctl_token --as admin --name reviewer-201 --role department_reviewer --org 201) || return 1; tokens[reviewer]=$t
}

# The same with SQL: api_tokens stores SHA-256(token text).
bootstrap_with_psql() {
    psql_db <<'SQL'
INSERT INTO organizations (code, name, kind, parent_code, nature, level, funding) VALUES
    ('201', '中共保定市徐水区委办公室', 'department', NULL, '行政', '正科', '财政拨款'),
    ('202', '区政府办公室', 'department', NULL, NULL, NULL, NULL)
ON CONFLICT (code) DO NOTHING;
INSERT INTO organizations (code, name, kind, parent_code, nature, level, funding) VALUES
    ('201002', '区委办（行政）', 'unit', '201', '行政', '正科', '财政拨款'),
    ('201003', '档案馆', 'unit', '201', NULL, NULL, NULL),
    ('202001', '区政府办（行政）', 'unit', '202', NULL, NULL, NULL)
ON CONFLICT (code) DO NOTHING;
INSERT INTO users (name, role, org_code) VALUES
    ('admin', 'admin', NULL), ('finance', 'finance_reviewer', NULL), ('auditor', 'auditor', NULL),
    ('officer-201002', 'officer', '201002'), ('reviewer-201', 'department_reviewer', '201')
ON CONFLICT (name) DO NOTHING;
SQL
    local user key
    for pair in admin:admin finance:finance auditor:auditor officer:officer-201002 reviewer:reviewer-201; do
        key=${pair%%:*}
        user=${pair#*:}
        [ -n "${tokens[$key]:-}" ] && continue
        tokens[$key]=$(new_token)
        psql_db -c "INSERT INTO api_tokens (user_id, token_hash)
                    SELECT id, sha256(convert_to('${tokens[$key]}', 'UTF8')) FROM users WHERE name = '$user'"
    done
}

if [ "${SCHEMATHESIS_BOOTSTRAP:-budgetctl}" = budgetctl ] && bootstrap_with_budgetctl; then
    log "organizations and users created with budgetctl"
else
    if [ "${SCHEMATHESIS_BOOTSTRAP:-budgetctl}" = budgetctl ]; then
        log "budgetctl org/user add did not work ($(tail -n 1 "$work/budgetctl.err" 2>/dev/null)); using psql"
    else
        log "creating organizations, users and tokens with psql"
    fi
    bootstrap_with_psql
fi

# --- budget-server -------------------------------------------------------------------------------
server_port=$(free_port)
base="http://127.0.0.1:$server_port"
log "starting budget-server on $base"
PORT=$server_port HOST=127.0.0.1 LOG_FORMAT=text LOG_LEVEL=${SERVER_LOG_LEVEL:-notice} DB_POOL_SIZE=4 \
    "$bin/budget-server" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    curl -fsS "$base/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$base/readyz" >/dev/null

# --- the reference sample, through the API: officer → department → finance → published ---------
api() {  # api TOKEN METHOD PATH [curl args…]: prints the body, fails on an HTTP error
    local token=$1 method=$2 path=$3
    shift 3
    curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer $token" "$@" "$base$path"
}
if [ -f sql/sample/201002-2020.blp ]; then
    log "loading sql/sample/201002-2020.blp and publishing 201/2020 through the API"
    if api "${tokens[officer]}" POST /v1/units/201002/years/2020/entries \
            -H 'Content-Type: text/plain; charset=utf-8' --data-binary @sql/sample/201002-2020.blp >/dev/null \
        && api "${tokens[officer]}" POST /v1/units/201002/years/2020/actions/submit >/dev/null; then
        ids=$(api "${tokens[finance]}" GET '/v1/entries?unit=201002&year=2020&limit=1000' | jq -r '.items[].id')
        for id in $ids; do api "${tokens[reviewer]}" POST "/v1/entries/$id/actions/approve" >/dev/null; done
        for id in $ids; do api "${tokens[finance]}" POST "/v1/entries/$id/actions/approve" >/dev/null; done
        api "${tokens[finance]}" POST /v1/departments/201/years/2020/actions/publish >/dev/null
        log "published $(wc -w <<<"$ids") entries of 201002/2020"
    else
        log "WARNING: the sample did not load; testing against an empty database"
    fi
fi
# A draft of another year, so that list, get, PUT and actions have something to find.
api "${tokens[officer]}" POST /v1/units/201002/years/2021/entries -H 'Content-Type: application/json' \
    --data '{"entries":[{"code":"ST-2021-0001","name":"schemathesis seed","kind":"operation","function_code":"2013101","general":"1000.00"}]}' \
    >/dev/null || log "WARNING: could not create the seed draft"

# --- schemathesis --------------------------------------------------------------------------------
# positive_data_acceptance is left out: the JSON schema cannot express the domain rules (amount > 0,
# unique codes, the state machine, scope), so schema-valid requests are rightly refused with 4xx.
checks=${SCHEMATHESIS_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,missing_required_header,ignored_auth,use_after_free,ensure_resource_availability}
seed=${SCHEMATHESIS_SEED:-20200101}
examples=${SCHEMATHESIS_MAX_EXAMPLES:-40}
cat >"$work/schemathesis.toml" <<'TOML'
[checks.missing_required_header]
# RFC 6585: a missing If-Match on PUT is 428 Precondition Required.
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]

[checks.negative_data_rejection]
# The defaults plus 412: a stale If-Match is refused before the body is validated (RFC 9110 §13.2.2
# evaluates preconditions first), which rejects the invalid request just as well.
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "428", "429", "5xx"]
TOML

failed=0
run_schemathesis() {  # run_schemathesis LABEL TOKEN MAX_EXAMPLES [args…]
    local label=$1 token=$2 max=$3
    shift 3
    log "schemathesis as $label (seed $seed, $max examples per operation)"
    # shellcheck disable=SC2086
    # Run from the work folder: schemathesis keeps a crash cache in ./.schemathesis.
    if ! (cd "$work" && schemathesis --config-file "$work/schemathesis.toml" --no-color run "$root/openapi.yaml" \
        --url "$base" \
        --header "Authorization: Bearer $token" \
        --checks "$checks" \
        --seed "$seed" \
        --max-examples "$max" \
        --workers 1 \
        --request-timeout 20 \
        --suppress-health-check all \
        --generation-database none \
        --report junit,ndjson --report-dir "$work/report-$label" \
        "$@" ${SCHEMATHESIS_ARGS:-}); then
        failed=1
    fi
}
# One worker: with several, hypothesis on Python 3.11 intermittently fails inside ast.parse
# ("AST constructor recursion depth mismatch"), reported as schemathesis runtime errors.
# --max-time bounds each run: fuzzing and stateful phases repeat until it is spent.
run_schemathesis officer "${tokens[officer]}" "$examples" --max-time "${SCHEMATHESIS_OFFICER_SECONDS:-120}"
run_schemathesis reviewer "${tokens[reviewer]}" $(( (examples + 1) / 2 )) --max-time "${SCHEMATHESIS_OTHER_SECONDS:-60}"
run_schemathesis finance "${tokens[finance]}" $(( (examples + 1) / 2 )) --max-time "${SCHEMATHESIS_OTHER_SECONDS:-60}"

# The server must have survived everything.
if ! kill -0 "$server_pid" 2>/dev/null; then
    log "budget-server died during the run"
    failed=1
fi
if grep -qE '"status": ?"5[0-9][0-9]"|status=5[0-9][0-9]|request failed' "$work/server.log"; then
    log "server errors logged (first 20):"
    grep -E 'request failed|status=5[0-9][0-9]' "$work/server.log" | head -n 20 >&2 || true
fi
if [ "$failed" != 0 ]; then
    cp "$work/server.log" "${SCHEMATHESIS_SERVER_LOG:-/tmp/budget-schemathesis-server.log}" 2>/dev/null || true
    log "schemathesis found failures (server log copied to ${SCHEMATHESIS_SERVER_LOG:-/tmp/budget-schemathesis-server.log})"
    exit 1
fi
log "schemathesis: no failures"
