#!/usr/bin/env python3
"""Load clients and checks of the fault scripts (bench/faults/*.sh).

  loadclient.py load  --url URL [--url URL2] --entries FILE --threads T --duration S --log LOG [--race N]
  loadclient.py burst --url URL --entries FILE --count N [--action submit] [--timeout S]
  loadclient.py check --log LOG --db DATABASE_URL [--race]

`load` drives submit/withdraw through the HTTP API and logs, one line per request, what it saw:

  <seconds since start> ack     <id> <action> <status> <version> <state>   2xx: the server acknowledged it
  <seconds since start> unknown <id> <action> <status|error>               outcome unknown (connection error,
                                                                            timeout, 5xx): may or may not be applied
  <seconds since start> seen    <id> -        200      <version> <state>   a GET after an unknown outcome
  <seconds since start> refused <id> <action> <status>                     4xx: not applied

Without --race each thread owns a disjoint slice of the entries and always knows (or re-reads with
GET) an entry's state, so every 2xx is expected and a 409 is a bug. With --race N every thread
works on the same first N entries with random actions, so 409s are expected; each request goes to
the next URL in turn (several server instances).

`check` compares the log with the database: every acknowledged transition is in the database and
in the audit chain at the version it was acknowledged with; each entry's version is its last
acknowledged or seen version plus at most the number of later unknown outcomes (exactly equal when
there were none, and then its state matches too); no two acknowledgements share an entry version.
"""
import argparse
import collections
import http.client
import json
import random
import subprocess
import sys
import threading
import time
import urllib.parse


def read_entries(path):
    entries = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                entries.append({"id": parts[0].lower(), "token": parts[1], "state": parts[2]})
    return entries


class Client:
    """One persistent HTTP/1.1 connection; reconnects after any error."""

    def __init__(self, url, timeout):
        self.url = urllib.parse.urlparse(url)
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, token, body=None):
        """Returns (status, headers, body bytes); raises on connection errors and timeouts."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=self.timeout)
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None or method == "POST":
            headers["Content-Length"] = str(len(body or b""))
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
            return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), data
        except Exception:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None


def run_load(args):
    entries = read_entries(args.entries)
    if args.race:
        entries = entries[: args.race]
    if not entries:
        sys.exit("no entries")
    start = time.monotonic()
    deadline = start + args.duration
    log = open(args.log, "a", buffering=1)
    lock = threading.Lock()
    counts = collections.Counter()

    log.write(f"0.000 start {time.time():.3f} - - - - -\n")

    def write(kind, entry_id, action, status, version="-", state="-", began=None):
        now = time.monotonic()
        took = f"{(now - began) * 1000:.1f}" if began is not None else "-"
        with lock:
            log.write(f"{now - start:.3f} {kind} {entry_id} {action} {status} {version} {state} {took}\n")
            counts[f"{kind} {status}"] += 1

    def worker(k):
        clients = [Client(u, args.timeout) for u in args.url]
        turn = k
        mine = entries if args.race else entries[k :: args.threads]
        uncertain = set()
        rng = random.Random(k)
        i = 0
        while time.monotonic() < deadline:
            entry = rng.choice(mine) if args.race else mine[i % len(mine)]
            i += 1
            client = clients[turn % len(clients)]
            turn += 1
            eid = entry["id"]
            began = time.monotonic()
            if not args.race and eid in uncertain:
                try:
                    status, _, body = client.request("GET", f"/v1/entries/{eid}", entry["token"])
                except Exception as error:
                    write("unknown", eid, "get", type(error).__name__, began=began)
                    time.sleep(0.05)
                    continue
                if status == 200:
                    doc = json.loads(body)
                    entry["state"] = doc["state"]
                    uncertain.discard(eid)
                    write("seen", eid, "-", status, doc["version"], doc["state"], began=began)
                else:
                    write("unknown", eid, "get", status, began=began)
                    time.sleep(0.05)
                continue
            if args.race:
                action = rng.choice(["submit", "withdraw"])
            else:
                action = "submit" if entry["state"] == "draft" else "withdraw"
            try:
                status, headers, body = client.request("POST", f"/v1/entries/{eid}/actions/{action}", entry["token"], b"")
            except Exception as error:
                write("unknown", eid, action, type(error).__name__, began=began)
                uncertain.add(eid)
                time.sleep(0.02)
                continue
            if 200 <= status < 300:
                doc = json.loads(body)["entry"]
                entry["state"] = doc["state"]
                write("ack", eid, action, status, doc["version"], doc["state"], began=began)
            elif status >= 500 or status == 429:
                write("unknown", eid, action, status, headers.get("retry-after", "-"), began=began)
                uncertain.add(eid)
                time.sleep(0.02)
            else:
                write("refused", eid, action, status, began=began)
                uncertain.add(eid)
        for c in clients:
            c.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    print(" ".join(f"{k.replace(' ', ':')}={v}" for k, v in sorted(counts.items())))


def run_burst(args):
    """N concurrent requests at once; prints one JSON object per request, then a summary line."""
    entries = read_entries(args.entries)[: args.count] if not args.same else read_entries(args.entries)[:1] * args.count
    barrier = threading.Barrier(len(entries))
    results = [None] * len(entries)

    def one(k, entry):
        client = Client(args.url[k % len(args.url)], args.timeout)
        barrier.wait()
        t0 = time.monotonic()
        try:
            status, headers, body = client.request("POST", f"/v1/entries/{entry['id']}/actions/{args.action}", entry["token"], b"")
            version = json.loads(body)["entry"]["version"] if 200 <= status < 300 else None
            results[k] = {"id": entry["id"], "status": status, "seconds": round(time.monotonic() - t0, 3),
                          "retry_after": headers.get("retry-after"), "version": version}
        except Exception as error:
            results[k] = {"id": entry["id"], "status": type(error).__name__, "seconds": round(time.monotonic() - t0, 3)}
        client.close()

    threads = [threading.Thread(target=one, args=(k, e)) for k, e in enumerate(entries)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        print(json.dumps(r))


def psql(db, sql):
    out = subprocess.run(["psql", "-X", "-q", "-tA", "-F", " ", "-d", db, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split(" ") for line in out.splitlines() if line]


def run_check(args):
    problems = []
    acks = collections.defaultdict(list)      # id -> [(version, state)]
    history = collections.defaultdict(list)   # id -> [(kind, version, state)] in log order
    with open(args.log) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 5:
                continue
            _, kind, eid, action, status = parts[:5]
            version = parts[5] if len(parts) > 5 else "-"
            state = parts[6] if len(parts) > 6 else "-"
            if kind == "ack":
                acks[eid].append((int(version), state))
                history[eid].append(("known", int(version), state))
            elif kind == "seen":
                history[eid].append(("known", int(version), state))
            elif kind == "unknown" and action != "get":
                history[eid].append(("unknown", None, None))
    db = {row[0]: (int(row[1]), row[2]) for row in psql(args.db, "SELECT id, version, state FROM entries")}
    # The k-th change event of an entry (create excluded) took it to version k + 1.
    events = {}
    for eid, k, to_state in psql(args.db, """
            SELECT entry_id, row_number() OVER (PARTITION BY entry_id ORDER BY seq), to_state
            FROM audit_events WHERE entry_id IS NOT NULL AND action <> 'create'"""):
        events[(eid, int(k) + 1)] = to_state
    acknowledged = 0
    for eid, items in acks.items():
        seen_versions = collections.Counter(v for v, _ in items)
        for v, n in seen_versions.items():
            if n > 1:
                problems.append(f"entry {eid}: version {v} acknowledged {n} times (two transitions from one version)")
        for v, state in items:
            acknowledged += 1
            if events.get((eid, v)) != state:
                problems.append(f"entry {eid}: acknowledged version {v} ({state}) but the audit log's event for that version says {events.get((eid, v))}")
            if eid in db and db[eid][0] < v:
                problems.append(f"entry {eid}: acknowledged version {v} but the database has version {db[eid][0]} (lost write)")
    if not args.race:
        for eid, items in history.items():
            known = [i for i, (kind, _, _) in enumerate(items) if kind == "known"]
            if not known:
                continue
            last = known[-1]
            _, version, state = items[last]
            unknown_after = sum(1 for kind, _, _ in items[last + 1:] if kind == "unknown")
            actual_version, actual_state = db.get(eid, (None, None))
            if actual_version is None:
                problems.append(f"entry {eid}: not in the database")
            elif unknown_after == 0 and (actual_version, actual_state) != (version, state):
                problems.append(f"entry {eid}: last acknowledged/seen version {version} {state}, database has {actual_version} {actual_state}")
            elif not (version <= actual_version <= version + unknown_after):
                problems.append(f"entry {eid}: last known version {version} + {unknown_after} unknown outcome(s), database has {actual_version}")
    # Unknown outcomes later resolved by a GET: did the transition commit or not?
    applied = not_applied = unresolved = 0
    if not args.race:
        for eid, items in history.items():
            last_known = None
            pending = 0
            for kind, version, _ in items:
                if kind == "unknown":
                    pending += 1
                else:
                    if pending and last_known is not None:
                        applied += version - last_known
                        not_applied += pending - (version - last_known)
                    pending = 0
                    last_known = version
            unresolved += pending
    for p in problems[:30]:
        print("PROBLEM", p)
    print(f"checked {acknowledged} acknowledged transitions on {len(acks)} entries: {len(problems)} problem(s); "
          f"unknown outcomes: {applied} had committed, {not_applied} had not, {unresolved} unresolved at the end")
    sys.exit(1 if problems else 0)


def run_timeline(args):
    """What the load saw while the database was down (epoch --down … --up) and how soon it recovered."""
    rows = []
    epoch0 = None
    with open(args.log) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 8:
                continue
            if parts[1] == "start":
                epoch0 = float(parts[2])
                continue
            took = 0.0 if parts[7] == "-" else float(parts[7]) / 1000
            end = float(parts[0])
            rows.append((end - took, end, parts[1], parts[4], took))
    down, up = args.down - epoch0, args.up - epoch0
    during = collections.Counter()
    slowest = 0.0
    for began, end, kind, status, took in rows:
        if down <= began and end <= up:
            during[f"{kind}:{status}"] += 1
            slowest = max(slowest, took)
        elif began < up and end > up and began >= down:
            slowest = max(slowest, took)   # started while down, finished after: how long it hung
    first_ack = min((end for began, end, kind, _, _ in rows if kind in ("ack", "seen") and began >= up), default=None)
    after = collections.Counter(f"{kind}:{status}" for began, end, kind, status, _ in rows
                                if began >= up and (first_ack is None or end <= first_ack))
    print(json.dumps({
        "outage_seconds": round(up - down, 3),
        "during_outage": dict(during),
        "slowest_request_started_during_outage_seconds": round(slowest, 3),
        "first_success_after_up_seconds": None if first_ack is None else round(first_ack - up, 3),
        "between_up_and_first_success": dict(after),
    }))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load")
    load.add_argument("--url", action="append", required=True)
    load.add_argument("--entries", required=True)
    load.add_argument("--threads", type=int, default=8)
    load.add_argument("--duration", type=float, default=10)
    load.add_argument("--timeout", type=float, default=10)
    load.add_argument("--log", required=True)
    load.add_argument("--race", type=int, default=0)
    burst = sub.add_parser("burst")
    burst.add_argument("--url", action="append", required=True)
    burst.add_argument("--entries", required=True)
    burst.add_argument("--count", type=int, required=True)
    burst.add_argument("--action", default="submit")
    burst.add_argument("--same", action="store_true", help="all requests on the first entry")
    burst.add_argument("--timeout", type=float, default=30)
    check = sub.add_parser("check")
    check.add_argument("--log", required=True)
    check.add_argument("--db", required=True)
    check.add_argument("--race", action="store_true")
    timeline = sub.add_parser("timeline")
    timeline.add_argument("--log", required=True)
    timeline.add_argument("--down", type=float, required=True)
    timeline.add_argument("--up", type=float, required=True)
    args = ap.parse_args()
    {"load": run_load, "burst": run_burst, "check": run_check, "timeline": run_timeline}[args.command](args)


if __name__ == "__main__":
    main()
