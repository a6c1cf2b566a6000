#!/usr/bin/env python3
"""Seeds N complete project drafts through the HTTP API, as an officer would: BLP batches of
1,000 entries POSTed to /v1/units/{unit}/years/{year}/entries, one thread per unit.

Each entry passes every submit rule (V1–V6): plan 30,60,90,100, goals, one 产出指标 and one
满意度指标 indicator, one item equal to the amount. Writes "id token unit code" lines to --out.
"""
import argparse
import http.client
import json
import sys
import threading
import urllib.parse

YEAR = 2025
BATCH = 1000


def blp_batch(unit, first, count):
    lines = []
    for n in range(first, first + count):
        amount = f"{10000 + n % 9000}.00"
        lines.append(
            f'entry code={unit}-{n:06d} name="基准项目{n}" kind=project func=2013102 general={amount} '
            f'plan=30,60,90,100 purpose="该项目用于基准测试的调研支出" goals="按期完成调研任务，形成调研报告"')
        lines.append(f"item econ=30211 amount={amount}")
        lines.append('indicator l1=产出指标 l2=数量指标 l3=调研报告 desc="形成调研报告" value="≥3篇" basis=依据部门职责')
        lines.append('indicator l1=满意度指标 l2=服务对象满意度指标 l3=满意度 desc="领导满意度" value="≥95百分比" basis=依据部门职责')
    return ("\n".join(lines) + "\n").encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--entries", type=int, required=True)
    ap.add_argument("--units", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    url = urllib.parse.urlparse(args.url)
    per_unit = [args.entries // args.units + (1 if u < args.entries % args.units else 0) for u in range(args.units)]
    results = {}
    errors = []

    def seed(u):
        try:
            seed_unit(u)
        except Exception as error:  # reported after join
            errors.append(f"B{u + 1:02d}: {error!r}")

    def seed_unit(u):
        unit = f"B{u + 1:02d}"
        token = f"bench-token-officer-{unit}"
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
        rows = []
        done = 0
        while done < per_unit[u]:
            count = min(BATCH, per_unit[u] - done)
            conn.request("POST", f"/v1/units/{unit}/years/{YEAR}/entries", body=blp_batch(unit, done + 1, count),
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8",
                                  "Accept": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 201:
                errors.append(f"{unit}: HTTP {resp.status}: {body[:500]!r}")
                return
            for item in json.loads(body)["items"]:
                rows.append(f"{item['id']} {token} {unit} {item['code']}")
            done += count
        results[u] = rows

    threads = [threading.Thread(target=seed, args=(u,)) for u in range(args.units)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    # Interleave units so that any contiguous slice of the file spans every unit.
    with open(args.out, "w") as f:
        longest = max(len(r) for r in results.values())
        for i in range(longest):
            for u in range(args.units):
                if i < len(results[u]):
                    f.write(results[u][i] + "\n")


if __name__ == "__main__":
    main()
