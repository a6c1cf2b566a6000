#!/usr/bin/env bash
# One command from a fresh clone: start the private PostgreSQL (creating it the first time), apply
# migrations as the schema owner, load the sample data once, and run budget-server on port 8080
# (or $PORT) as the least-privilege role budget_server (deploy/roles.sql). Works as root.
#
# Settings (environment):
#   PORT                 the server's port (default 8080)
#   BUILD_CONFIGURATION  debug (default) or release
#   BUDGET_BIN           a folder holding budget-server and budgetctl already built: no build
#   DATABASE_URL         use this database instead of the private cluster (the server connects with
#                        it; migrations with MIGRATE_DATABASE_URL, default the same URL)
#   BUDGET_SESSION_DIR   where the tokens and the session file go (default .pgdata in the checkout)
#
# It writes $BUDGET_SESSION_DIR/session.env: source it in a second terminal for DATABASE_URL, $API,
# the users' tokens and budgetctl on PATH. Stop the server with Ctrl-C; PostgreSQL keeps running
# until deploy/pg-stop.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { echo "serve: $*" >&2; }

session_dir=${BUDGET_SESSION_DIR:-$root/.pgdata}
mkdir -p "$session_dir"
session_dir=$(cd "$session_dir" && pwd)
port=${PORT:-8080}
config=${BUILD_CONFIGURATION:-debug}

# --- binaries: build only when a source is newer than the built server ------------------------
if [ -n "${BUDGET_BIN:-}" ]; then
    bin=$(cd "$BUDGET_BIN" && pwd)
    say "using the binaries in $bin (BUDGET_BIN; not rebuilt)"
else
    bin=$root/.build/$config
    if [ ! -x "$bin/budget-server" ] || [ ! -x "$bin/budgetctl" ]; then
        say "building the $config binaries for the first time: about 3–8 minutes on 2 cores (swift build -c $config)"
        swift build -c "$config" --product budget-server >&2
        swift build -c "$config" --product budgetctl >&2
    elif [ -n "$(find Sources Package.swift -newer "$bin/budget-server" -print -quit)" ] \
        || [ -n "$(find Sources Package.swift -newer "$bin/budgetctl" -print -quit)" ]; then
        say "sources changed since the last build: rebuilding ($config; usually under a minute)"
        swift build -c "$config" --product budget-server >&2
        swift build -c "$config" --product budgetctl >&2
    else
        say "binaries in $bin are up to date; not rebuilding"
    fi
fi

# --- the audit key: signs every audit event and checkpoint; `budgetctl audit key` prints its public key --
export BUDGET_AUDIT_KEY_FILE=${BUDGET_AUDIT_KEY_FILE:-$session_dir/audit-key}
if [ ! -f "$BUDGET_AUDIT_KEY_FILE" ]; then
    say "creating the audit signing key $BUDGET_AUDIT_KEY_FILE (keep it outside the database; mode 600)"
    "$bin/budgetctl" audit key --generate "$BUDGET_AUDIT_KEY_FILE" >&2
fi

# --- PostgreSQL: the private cluster, migrated by the owner, served to budget_server ------------
if [ -z "${DATABASE_URL:-}" ]; then
    say "starting the private PostgreSQL (deploy/pg-start.sh; the first time creates it, ≈ 5 s)"
    DATABASE_URL=$(bash deploy/pg-start.sh server | tail -n 1)
    migrate_url=$(bash deploy/pg-start.sh owner 2>/dev/null | tail -n 1)
    private_cluster=yes
else
    migrate_url=${MIGRATE_DATABASE_URL:-$DATABASE_URL}
    private_cluster=no
fi
export DATABASE_URL

DATABASE_URL=$migrate_url "$bin/budgetctl" migrate
if [ -f scripts/load-sample.sh ]; then
    BUDGET_TOKENS_FILE=$session_dir/sample-tokens.env bash scripts/load-sample.sh "$bin/budgetctl"
fi

# --- the second terminal's environment ----------------------------------------------------------
session=$session_dir/session.env
( umask 077; cat >"$session" <<EOF
# Written by scripts/serve.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). In another terminal: . $session
export DATABASE_URL='$DATABASE_URL'
export API='http://127.0.0.1:$port'
export BUDGET_BIN='$bin'
export BUDGET_AUDIT_KEY_FILE='$BUDGET_AUDIT_KEY_FILE'
export PATH='$root/scripts':"\$PATH"
[ -f '$session_dir/sample-tokens.env' ] && . '$session_dir/sample-tokens.env'
EOF
)

cat >&2 <<EOF

serve: budget-server on http://127.0.0.1:$port as $(sed -E 's#^postgresql://([^@]*)@.*#\1#' <<<"$DATABASE_URL")
serve: in a second terminal, from this folder:
serve:     . ${session#"$root"/}        # DATABASE_URL, \$API, the users' tokens, budgetctl on PATH
serve:     budgetctl queue --as finance
serve: the users' API tokens: $session_dir/sample-tokens.env (written when the sample was first loaded)
serve: stop the server with Ctrl-C.
EOF
if [ "$private_cluster" = yes ]; then
    echo "serve: PostgreSQL keeps running after that; stop it with:" \
        "${BUDGET_PG_DATA:+BUDGET_PG_DATA=$BUDGET_PG_DATA }${BUDGET_PG_PORT:+BUDGET_PG_PORT=$BUDGET_PG_PORT }bash deploy/pg-stop.sh" >&2
fi
echo >&2

export PORT=$port LOG_FORMAT=${LOG_FORMAT:-text}
exec "$bin/budget-server"
