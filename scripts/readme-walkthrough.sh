#!/usr/bin/env bash
# Runs README.md's walkthrough exactly as written, so the README and the product cannot drift:
#
#   bash scripts/readme-walkthrough.sh [BIN_DIR]
#
# Starts a fresh private PostgreSQL and the server through scripts/serve.sh (on free ports, with the
# binaries in BIN_DIR or $BUDGET_BIN, default .build/debug, not rebuilt), then concatenates the ```sh
# blocks between <!-- walkthrough:start --> and <!-- walkthrough:end --> into one bash script and
# runs it from a scratch folder holding the session's .pgdata (set -e: any command that fails
# unexpectedly stops it; an expected failure is written `… || echo "exit $?"` in the README).
# Every ```text block there lists lines that must appear in the output, in order (`…` stands for
# anything). Last, it checks that the server's role cannot switch the audit log's triggers off.
# About 20 s with debug binaries. Works as root. WALKTHROUGH_OUTPUT=FILE keeps what the commands printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-${BUDGET_BIN:-$root/.build/debug}}
bin=$(cd "$bin" && pwd)
[ -x "$bin/budget-server" ] && [ -x "$bin/budgetctl" ] || { echo "walkthrough: no budget-server/budgetctl in $bin (swift build first)" >&2; exit 2; }

work=$(mktemp -d /tmp/budget-walkthrough.XXXXXX)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export BUDGET_PG_DATA=$work/pg BUDGET_PG_PORT=$(free_port) BUDGET_PG_DB=budget
port=$(free_port)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    bash "$root/deploy/pg-stop.sh" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "walkthrough: FAILED: $*" >&2; exit 1; }

# --- the blocks --------------------------------------------------------------------------------
python3 - "$root/README.md" "$work/walkthrough.sh" "$work/expected.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!-- walkthrough:start -->(.*?)<!-- walkthrough:end -->", text, re.S)
if not m:
    sys.exit("README.md has no <!-- walkthrough:start --> … <!-- walkthrough:end --> section")
blocks = re.findall(r"^```(\w+)\n(.*?)^```$", m.group(1), re.S | re.M)
scripts = [body for lang, body in blocks if lang == "sh"]
expected = [body for lang, body in blocks if lang == "text"]
if len(scripts) < 3:
    sys.exit("the walkthrough has fewer than 3 sh blocks")
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("set -eo pipefail\n")
    for i, body in enumerate(scripts, 1):
        out.write(f"echo '### block {i}' >&2\n{body}\n")
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for body in expected:
        out.write(body)
print(f"walkthrough: {len(scripts)} sh blocks, {sum(len(b.splitlines()) for b in expected)} expected lines", file=sys.stderr)
PY

# --- a fresh cluster and server, through the README's own command --------------------------------
echo "walkthrough: starting PostgreSQL on $BUDGET_PG_PORT and the server on $port (scripts/serve.sh)" >&2
PORT=$port BUDGET_BIN=$bin BUDGET_SESSION_DIR=$work/.pgdata LOG_LEVEL=warning \
    bash scripts/serve.sh >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "serve.sh stopped"; }
    sleep 0.2
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log" >&2; fail "the server did not become ready"; }
grep -q "deploy/pg-stop.sh" "$work/server.log" || fail "serve.sh did not say how to stop PostgreSQL"
[ -f "$work/.pgdata/session.env" ] || fail "serve.sh wrote no session file"

# --- the README's commands, verbatim -------------------------------------------------------------
start=$SECONDS
set +e
(cd "$work" && env -u DATABASE_URL -u BUDGETCTL_USER -u BUDGET_BIN -u API bash "$work/walkthrough.sh") >"$work/out.txt" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
    tail -n 40 "$work/out.txt" >&2
    fail "a README command failed (exit $rc; the last lines above)"
fi
echo "walkthrough: the README's commands ran in $((SECONDS - start)) s" >&2
[ -n "${WALKTHROUGH_OUTPUT:-}" ] && cp "$work/out.txt" "$WALKTHROUGH_OUTPUT"   # to read what they printed

# Each expected line, in order; `…` matches anything.
python3 - "$work/out.txt" "$work/expected.txt" <<'PY' || { cat "$work/out.txt" >&2; fail "output differs from the README"; }
import re, sys
out = open(sys.argv[1], encoding="utf-8").read().splitlines()
expected = [l for l in open(sys.argv[2], encoding="utf-8").read().splitlines() if l.strip()]
pos = 0
for line in expected:
    pattern = re.compile("^" + ".*".join(re.escape(p) for p in line.strip().split("…")) + "$")
    for i in range(pos, len(out)):
        if pattern.match(out[i].strip()):
            pos = i + 1
            break
    else:
        sys.exit(f"walkthrough: the README shows a line the commands did not print (after output line {pos}):\n  {line}")
print(f"walkthrough: {len(expected)} expected lines found in order", file=sys.stderr)
PY

# --- the server's role cannot switch the audit log off (deploy/roles.sql) -----------------------
server_url=$(sed -n "s/^export DATABASE_URL='\(.*\)'$/\1/p" "$work/.pgdata/session.env")
case $server_url in postgresql://budget_server@*) ;; *) fail "the server does not connect as budget_server: $server_url" ;; esac
for statement in "ALTER TABLE audit_events DISABLE TRIGGER USER" "ALTER TABLE audit_events DISABLE TRIGGER ALL" \
    "UPDATE audit_events SET reason = 'x'" "TRUNCATE audit_events"; do
    if psql -X -q "$server_url" -c "$statement" >"$work/psql.txt" 2>&1; then
        fail "budget_server could run: $statement"
    fi
done
echo "walkthrough: passed (the server's role budget_server cannot disable or change the audit log)" >&2
