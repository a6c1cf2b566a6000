#!/usr/bin/env bash
# Loads the reference sample (sql/sample/README.md) through budgetctl and takes 2020 through the whole
# budget year (README "The budget year"): an admin and one user per role, department 201 and unit
# 201002; the finance bureau opens 一上, the officer imports the 2020 entries of 201002 and submits,
# department and finance approve; 一下 (freezes the 一上 figures) with department 201's control
# figures equal to the reference, allocated to 201002 by its reviewer; 二上 (carries the entries as
# drafts), submitted and approved again; 二下, the finance 批复, the units' 批复, publication of 201/2020.
# Windows are judged on today's date (Asia/Shanghai), so each round opens today and stays open until
# $SAMPLE_UNTIL (default: today + 30 days) unless the next one closes it.
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

until=${SAMPLE_UNTIL:-$(TZ=Asia/Shanghai date -d '+30 days' +%F)}

# 一上: the unit's proposals, reviewed by the department and the finance bureau.
step year open 2020 --as finance --round 一上 --until "$until"
step import --as officer-201002 sql/sample/201002-2020.blp --unit 201002 --year 2020
step import --as reviewer-201 sql/sample/201-2020-disclosure.blp --department 201 --year 2020
step submit --as officer-201002 --unit 201002 --year 2020
step approve --as reviewer-201 --department 201 --year 2020 --all
step approve --as finance --department 201 --year 2020 --all

# 一下: the 一上 figures are frozen; the department's control figures (the reference's, in yuan:
# basic 835.07 万元 = personnel 723.13 + operation 111.94, project 177.42, income 1012.49 all 一般公共预算,
# 基金/财政专户/其他 0; 三公 54.50 = 出国 0 + 购车 0 + 车辆运行 34.00 + 接待 20.50), allocated to 201002.
step year open 2020 --as finance --round 一下 --until "$until"
cells=(--cell kind:personnel=7231300.00 --cell kind:operation=1119400.00 --cell kind:project=1774200.00
    --cell funding:general=10124900.00 --cell funding:fund=0.00 --cell funding:special=0.00 --cell funding:other=0.00
    --cell sangong:abroad=0.00 --cell sangong:vehicle_purchase=0.00
    --cell sangong:vehicle_operation=340000.00 --cell sangong:reception=205000.00 --cell total=10124900.00)
step control set-department --as finance --department 201 --year 2020 "${cells[@]}" --reason "2020年部门预算一下控制数"
step control allocate --as reviewer-201 --unit 201002 --year 2020 "${cells[@]}" --reason "按一下控制数分配"

# 二上: the entries come back as 二上 drafts; submitted within the figures and approved again.
step year open 2020 --as finance --round 二上 --until "$until"
step submit --as officer-201002 --unit 201002 --year 2020
step approve --as reviewer-201 --department 201 --year 2020 --all
step approve --as finance --department 201 --year 2020 --all

# 二下: the 批复 after the people's congress, the units' 批复, publication.
step year open 2020 --as finance --round 二下 --until "$until"
step approve-budget --as finance --department 201 --year 2020 --congress-date 2020-01-08 --number "徐财预〔2020〕1号"
step approve-units --as reviewer-201 --department 201 --year 2020 --number "徐委办〔2020〕1号"
step publish --as finance --department 201 --year 2020

echo "sample loaded: department 201 / 2020 taken through 一上, 一下, 二上, 二下 and published; API tokens in $tokens" >&2
