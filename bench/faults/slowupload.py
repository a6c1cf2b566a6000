#!/usr/bin/env python3
"""Slow-upload client of bench/faults/slow-uploads.sh.

  slowupload.py --port P --token T --path PATH --sockets N --declared BYTES --send BYTES --ready FILE --release FILE

Opens N connections at once; each sends the head of a POST declaring BYTES of body, then up to
--send bytes of it, and holds the connection open. A connection the server answers early (503,
413…) stops sending. Once every connection has sent what it could, FILE --ready is written; the
client then holds until FILE --release exists, closes every socket and prints one JSON line:
{"sockets": N, "held": connections still open and unanswered, "answered": {status: count},
 "errors": connection errors before an answer, "sent_mb": total MB sent}.
"""
import argparse
import collections
import json
import os
import select
import socket
import threading
import time


def upload(args, results, index, stop):
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=30)
    results[index] = {"sock": sock, "sent": 0, "status": None, "error": None}
    head = (f"POST {args.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {args.token}\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {args.declared}\r\n\r\n").encode()
    chunk = b"# " + b"x" * (64 * 1024 - 3) + b"\n"
    try:
        sock.sendall(head)
        sock.setblocking(False)
        # Send while the server reads; stop at its first answer (a refusal before the whole body).
        answered = False
        while results[index]["sent"] < args.send and not stop.is_set():
            readable, writable, _ = select.select([sock], [sock], [], 1)
            if readable:
                answered = True
                break
            if writable:
                piece = chunk[: min(len(chunk), args.send - results[index]["sent"])]
                try:
                    results[index]["sent"] += sock.send(piece)
                except BlockingIOError:
                    pass
        if not answered:
            readable, _, _ = select.select([sock], [], [], 0.5)
            answered = bool(readable)
        if answered:
            sock.setblocking(True)
            data = sock.recv(4096)
            if data.startswith(b"HTTP/1.1 "):
                results[index]["status"] = int(data[9:12])
            else:
                results[index]["error"] = "closed"
    except OSError as error:
        results[index]["error"] = type(error).__name__


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--declared", type=int, default=8_000_000)
    parser.add_argument("--send", type=int, default=7_900_000)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--release", required=True)
    args = parser.parse_args()
    results = [None] * args.sockets
    stop = threading.Event()
    threads = [threading.Thread(target=upload, args=(args, results, i, stop)) for i in range(args.sockets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    open(args.ready, "w").close()
    while not os.path.exists(args.release):
        time.sleep(0.1)
    stop.set()
    answered = collections.Counter()
    held = errors = sent = 0
    for r in results:
        if r is None:
            errors += 1
            continue
        sent += r["sent"]
        if r["status"] is not None:
            answered[str(r["status"])] += 1
        elif r["error"] is not None:
            errors += 1
        else:
            held += 1
        r["sock"].close()
    print(json.dumps({"sockets": args.sockets, "held": held, "answered": answered, "errors": errors,
                      "sent_mb": round(sent / 1e6, 1)}))


if __name__ == "__main__":
    main()
