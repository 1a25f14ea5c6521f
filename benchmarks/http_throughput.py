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
import socket
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
from load_test import free_port, pct, start_server, stop_server  # noqa: E402
from report import write_result  # noqa: E402
from replycoach.serve import DEFAULT_THREADS  # noqa: E402

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


class LeanClient(threading.Thread):
    """A keep-alive client that costs little CPU (the machine's cores are
    shared with the server): requests are prebuilt bytes on a raw socket;
    a response is checked for status 200 and a "warnings" field."""

    def __init__(self, port: int, deadline: float, bodies: list[bytes]):
        super().__init__(daemon=True)
        self.port, self.deadline = port, deadline
        head = (f"POST /api/v1/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Content-Type: application/json\r\nContent-Length: {n}\r\n\r\n")
        self.requests = [head.format(n=len(b)).encode() + b for b in bodies]
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self):
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buf = b""
        i = 0
        while time.monotonic() < self.deadline:
            t = time.perf_counter()
            sock.sendall(self.requests[i % len(self.requests)])
            i += 1
            while b"\r\n\r\n" not in buf:
                buf += sock.recv(65536)
            head, _, buf = buf.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            while len(buf) < length:
                buf += sock.recv(65536)
            body, buf = buf[:length], buf[length:]
            if not head.startswith(b"HTTP/1.1 200") or b'"warnings"' not in body:
                self.errors.append(head[:100].decode("latin-1"))
            self.latencies.append((time.perf_counter() - t) * 1000)
        sock.close()


def run(port, clients, seconds, bodies_of):
    deadline = time.monotonic() + seconds
    threads = [LeanClient(port, deadline, bodies_of(i)) for i in range(clients)]
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
    ap.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                    help=f"waitress threads per worker (default: the server's, {DEFAULT_THREADS})")
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
             f"Python {platform.python_version()}. Server: `replycoach serve --no-reload --workers N "
             f"--threads {args.threads}` (waitress, {args.threads} app thread(s) per worker). Clients: {args.clients} keep-alive connections in one process "
             "(prebuilt requests on raw sockets, to leave the cores to the server), "
             f"each typing its own drafts (distinct, every language, each with a review); {args.seconds:.0f} s "
             "per row after a 3 s warm-up on other drafts. Target: >= 500 req/s.", "",
             "| workers | requests | count | errors | req/s | p50 ms | p99 ms |", "|---|---|---|---|---|---|---|"]
    for workers, label, n, errors, rps, p50, p99 in rows:
        lines.append(f"| {workers} | {label} | {n:,} | {errors} | {rps:.0f} | {p50:.1f} | {p99:.1f} |")
    write_result(args.out, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
