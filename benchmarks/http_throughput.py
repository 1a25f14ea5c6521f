"""HTTP throughput of `replycoach serve` (waitress) on loopback.

    .venv/bin/python benchmarks/http_throughput.py [--seconds 20] [--clients 4] [--out FILE]

Keep-alive clients post the same realistic 1,000-character English draft
(with a negative review) for a fixed time after a warm-up; reports requests/s
and latency. Client and server share the machine's cores (2 here), so this is
a lower bound for the server alone. Target (issue #6): >= 500 req/s.
Results: benchmarks/results/http.md."""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_test import Client, free_port, pct, start_server, stop_server  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
BASE = ("Hi Anna, thank you for taking the time to tell us about your stay. We are sorry that the room "
        "was not cleaned on the second day and that the air conditioning was noisy. We have spoken to the "
        "housekeeping team and the engineer replaced the fan unit this morning. ")
REVIEW = {"text": "The room was dirty and the air conditioning was so loud we could not sleep.",
          "rating": 2, "author": "Anna", "date": "2026-11-23T10:00:00Z"}


def draft(size: int) -> str:
    text = BASE
    while len(text) < size:
        text += BASE
    return text[:size].rsplit(" ", 1)[0] + "."


def run(port, clients, seconds, bodies):
    deadline = time.monotonic() + seconds
    threads = [Client(port, 10**9, deadline, i, bodies, lambda: None) for i in range(clients)]
    t = time.perf_counter()
    for c in threads:
        c.start()
    for c in threads:
        c.join()
    elapsed = time.perf_counter() - t
    lat = [x for c in threads for x in c.latencies]
    errors = sum(len(c.errors) for c in threads)
    return len(lat), errors, elapsed, lat


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--out", default=os.path.join(RESULTS, "http.md"))
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="replycoach-http-")
    port = free_port()
    proc, startup = start_server(home, port, extra_args=["--no-reload"])
    rows = []
    try:
        for size, review in ((args.size, REVIEW), (100, None)):
            body = {"text": draft(size), "language": "auto", "ui_language": "en"}
            if review:
                body["review"] = review
            bodies = [json.dumps(body).encode()]
            run(port, args.clients, 3, bodies)                      # warm-up
            n, errors, elapsed, lat = run(port, args.clients, args.seconds, bodies)
            rows.append((size, n, errors, elapsed, n / elapsed, statistics.median(lat), pct(lat, 99)))
    finally:
        stop_server(proc)
        shutil.rmtree(home, ignore_errors=True)
    lines = ["# HTTP throughput (benchmarks/http_throughput.py)", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores (shared by client and server), "
             f"Python {platform.python_version()}. Server: `replycoach serve --no-reload` (waitress, 8 threads). "
             f"Clients: {args.clients} keep-alive connections in one process, {args.seconds:.0f} s per row after "
             "a 3 s warm-up. Target: >= 500 req/s.", "",
             "| draft chars | requests | errors | req/s | p50 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for size, n, errors, elapsed, rps, p50, p99 in rows:
        lines.append(f"| {size:,} | {n:,} | {errors} | {rps:.0f} | {p50:.1f} | {p99:.1f} |")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
