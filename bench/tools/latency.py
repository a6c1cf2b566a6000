#!/usr/bin/env python3
"""Sequential latency of HTTP GETs or of a command, for bench/scale.sh.

    latency.py http --port P --token T --n N PATH [PATH …]   GETs over one keep-alive connection,
                                                              cycling through the paths
    latency.py cmd --n N -- COMMAND ARG …                     runs the command N times

A few warm-up requests first (not counted). Every response must be 200 (every command must exit
0). Prints one line: "p50_ms p99_ms mean_ms n items", items being the number of entries in the
first response (a JSON list's "items", a JSON array, or history events), so that the caller can
check both sizes answered the same amount of work.
"""
import argparse
import http.client
import json
import subprocess
import sys
import time


def percentile(sorted_values, q):
    i = max(0, min(len(sorted_values) - 1, int(round(q * len(sorted_values))) - 1))
    return sorted_values[i]


def count_items(body):
    try:
        doc = json.loads(body)
    except ValueError:
        return -1
    if isinstance(doc, dict):
        for key in ("items", "events"):
            if isinstance(doc.get(key), list):
                return len(doc[key])
        return -1
    return len(doc) if isinstance(doc, list) else -1


def run_http(args):
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    headers = {"Authorization": f"Bearer {args.token}", "Accept": "application/json"}

    def get(path):
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            sys.exit(f"GET {path}: HTTP {resp.status}: {body[:300]!r}")
        return body

    items = count_items(get(args.paths[0]))
    for i in range(args.warmup):
        get(args.paths[i % len(args.paths)])
    samples = []
    for i in range(args.n):
        path = args.paths[i % len(args.paths)]
        t0 = time.perf_counter()
        get(path)
        samples.append(time.perf_counter() - t0)
    return samples, items


def run_cmd(args):
    def run():
        out = subprocess.run(args.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if out.returncode != 0:
            sys.exit(f"{' '.join(args.command)}: exit {out.returncode}: {out.stderr[:300]!r}")
        return out.stdout

    items = count_items(run())
    for _ in range(args.warmup):
        run()
    samples = []
    for _ in range(args.n):
        t0 = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t0)
    return samples, items


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    h = sub.add_parser("http")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("--token", required=True)
    h.add_argument("--n", type=int, default=300)
    h.add_argument("--warmup", type=int, default=20)
    h.add_argument("paths", nargs="+")
    c = sub.add_parser("cmd")
    c.add_argument("--n", type=int, default=50)
    c.add_argument("--warmup", type=int, default=3)
    c.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.mode == "cmd" and args.command and args.command[0] == "--":
        args.command = args.command[1:]
    samples, items = run_http(args) if args.mode == "http" else run_cmd(args)
    samples.sort()
    ms = [s * 1000 for s in samples]
    print(f"{percentile(ms, 0.50):.2f} {percentile(ms, 0.99):.2f} {sum(ms) / len(ms):.2f} {len(ms)} {items}")


if __name__ == "__main__":
    main()
