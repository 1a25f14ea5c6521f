"""HTTP throughput of `replycoach serve` (waitress) on loopback.

    .venv/bin/python benchmarks/http_throughput.py [--seconds 20] [--clients 4] [--workers 1 2] [--out FILE]

Each keep-alive client types its own drafts, as the extension sends them:
distinct 1,000-character drafts from benchmarks/corpus.py (every language,
each answering a review), posted as they grow 7 characters at a time. A
second row sends distinct whole 100-character drafts. Client and server
share the machine's cores (2 here), so this is a lower bound for the server.
Target (issue #6): >= 500 req/s on 2 cores. Results: benchmarks/results/http.md."""
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
import corpus  # noqa: E402
from load_test import Client, free_port, pct, start_server, stop_server  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def typing_bodies(client: int, size: int, drafts: int = 12) -> list[bytes]:
    """One client's requests: its own drafts, each sent as it grows."""
    out = []
    for k in range(drafts):
        lang = corpus.LANGS[(client + k) % len(corpus.LANGS)]
        body = corpus.requests(lang, size, 1, seed=100 * client + k)[0]
        text = body["text"]
        for end in range(7, len(text) + 7, 7):
            out.append(json.dumps({**body, "text": text[:end]}).encode())
    return out


def whole_bodies(client: int, size: int, count: int = 400) -> list[bytes]:
    out = []
    for k in range(count):
        lang = corpus.LANGS[(client + k) % len(corpus.LANGS)]
        out.append(json.dumps(corpus.requests(lang, size, 1, seed=1000 * client + k)[0]).encode())
    return out


def run(port, clients, seconds, bodies_of):
    deadline = time.monotonic() + seconds
    threads = [Client(port, 10**9, deadline, 0, bodies_of(i), lambda: None) for i in range(clients)]
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
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--threads", type=int, default=8, help="waitress threads per worker")
    ap.add_argument("--out", default=os.path.join(RESULTS, "http.md"))
    args = ap.parse_args()
    rows = []
    for workers in args.workers:
        home = tempfile.mkdtemp(prefix="replycoach-http-")
        port = free_port()
        proc, _ = start_server(home, port, extra_args=["--no-reload", "--workers", str(workers),
                                                             "--threads", str(args.threads)])
        try:
            for label, make in (("typing 1,000-char drafts", lambda i: typing_bodies(i, 1000)),
                                ("whole 100-char drafts", lambda i: whole_bodies(i, 100))):
                cache: dict[int, list[bytes]] = {}

                def bodies_of(i, make=make, cache=cache):
                    if i not in cache:
                        cache[i] = make(i + 50)   # warm-up drafts differ from measured ones
                    return cache[i]
                run(port, args.clients, 3, bodies_of)                      # warm-up
                measured = {i: make(i) for i in range(args.clients)}
                n, errors, elapsed, lat = run(port, args.clients, args.seconds, measured.__getitem__)
                rows.append((workers, label, n, errors, n / elapsed, statistics.median(lat), pct(lat, 99)))
        finally:
            stop_server(proc)
            shutil.rmtree(home, ignore_errors=True)
    lines = ["# HTTP throughput (benchmarks/http_throughput.py)", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores (shared by client and server), "
             f"Python {platform.python_version()}. Server: `replycoach serve --no-reload --workers N` "
             f"(waitress, {args.threads} threads per worker). Clients: {args.clients} keep-alive connections in one process, "
             f"each typing its own drafts (distinct, every language, each with a review); {args.seconds:.0f} s "
             "per row after a 3 s warm-up on other drafts. Target: >= 500 req/s.", "",
             "| workers | requests | count | errors | req/s | p50 ms | p99 ms |", "|---|---|---|---|---|---|---|"]
    for workers, label, n, errors, rps, p50, p99 in rows:
        lines.append(f"| {workers} | {label} | {n:,} | {errors} | {rps:.0f} | {p50:.1f} | {p99:.1f} |")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
