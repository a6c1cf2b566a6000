#!/usr/bin/env bash
# Loads the reference sample (sql/sample/README.md) through budgetctl and walks it to `published`:
# an admin and one user per role, department 201 and unit 201002, the 2020 entries of 201002,
# submit → department approval → finance approval → publish 201/2020.
#
#   DATABASE_URL=postgresql://… scripts/load-sample.sh BUDGETCTL_PATH
#
# Idempotent: does nothing when organization 201 already exists. The database must be migrated.
# The API tokens it issues are written, shell-sourceable, to $BUDGET_TOKENS_FILE (default
# .pgdata/sample-tokens.env in the checkout, mode 600) for a curl session:
#   source .pgdata/sample-tokens.env
#   curl -H "Authorization: Bearer $FINANCE_TOKEN" 'http://127.0.0.1:8080/v1/entries?year=2020&state=published'
# Works as root.
set -euo pipefail
ctl=${1:?usage: scripts/load-sample.sh BUDGETCTL_PATH}
ctl=$(cd "$(dirname "$ctl")" && pwd)/$(basename "$ctl")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${DATABASE_URL:?set DATABASE_URL to the database to load}"
export DATABASE_URL
unset BUDGETCTL_USER

admin=admin
tokens=${BUDGET_TOKENS_FILE:-${BUDGET_PG_DATA:-$root/.pgdata}/sample-tokens.env}

# Already loaded? `org list` exits 3 while the admin does not exist yet (a fresh database).
set +e
orgs=$("$ctl" org list --as "$admin" 2>/tmp/load-sample.$$.err)
rc=$?
set -e
case $rc in
    0)
        if awk '$1 == "201" { found = 1 } END { exit !found }' <<<"$orgs"; then
            echo "sample already loaded (organization 201 exists); nothing to do" >&2
            rm -f /tmp/load-sample.$$.err
            exit 0
        fi
        bootstrap=no ;;
    1|3) bootstrap=yes ;;   # 3: no user "admin" yet (older versions: 1)
    *) cat /tmp/load-sample.$$.err >&2; rm -f /tmp/load-sample.$$.err; exit $rc ;;
esac
rm -f /tmp/load-sample.$$.err

mkdir -p "$(dirname "$tokens")"
( umask 077; : >"$tokens" )
echo "# API tokens issued by scripts/load-sample.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); source this file." >>"$tokens"

# add_user VARIABLE NAME ROLE [ORG]: adds a user (--as the admin, or the first admin itself) and
# records its token; a user that already exists keeps its token, which is never shown again.
add_user() {
    local var=$1 name=$2 role=$3 org=${4:-}
    local args=(user add --name "$name" --role "$role")
    [ -n "$org" ] && args+=(--org "$org")
    [ "$name" != "$admin" ] && args+=(--as "$admin")
    local out rc
    set +e
    out=$("$ctl" "${args[@]}")
    rc=$?
    set -e
    if [ $rc -eq 4 ]; then
        echo "user $name already exists; its token is not shown again" >&2
        return 0
    fi
    [ $rc -eq 0 ] || exit $rc
    echo "$var=$(tail -n 1 <<<"$out")" >>"$tokens"
    echo "added user $name ($role${org:+, $org})" >&2
}

# step ARGS…: runs budgetctl and shows the first line of its report (the summary).
step() {
    local out
    out=$("$ctl" "$@")
    printf '%s\n' "${out%%$'\n'*}" >&2
}

if [ "$bootstrap" = yes ]; then
    add_user ADMIN_TOKEN "$admin" admin
fi

step org add --as "$admin" --code 201 --name 中共保定市徐水区委办公室 --kind department \
    --nature 行政 --level 正科 --funding 财政拨款
step org add --as "$admin" --code 201002 --name 区委办（行政） --kind unit --parent 201 \
    --nature 行政 --level 正科 --funding 财政拨款

add_user FINANCE_TOKEN finance finance_reviewer
add_user AUDITOR_TOKEN auditor auditor
add_user OFFICER_201002_TOKEN officer-201002 officer 201002
add_user REVIEWER_201_TOKEN reviewer-201 department_reviewer 201

step import --as officer-201002 sql/sample/201002-2020.blp --unit 201002 --year 2020
step import --as reviewer-201 sql/sample/201-2020-disclosure.blp --department 201 --year 2020
step submit --as officer-201002 --unit 201002 --year 2020
step approve --as reviewer-201 --department 201 --year 2020 --all
step approve --as finance --department 201 --year 2020 --all
step publish --as finance --department 201 --year 2020

echo "sample loaded: department 201 / 2020 published; API tokens in $tokens" >&2
