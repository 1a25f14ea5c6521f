"""Runs the app under waitress, the production WSGI server.

One process serves a user easily (a check costs a few ms of one core). For
more throughput (a team sharing one server, load tests) `workers` > 1 forks
that many processes on POSIX: the parent binds the socket and supervises,
each child builds its own app (packs, dictionaries, engine: durable-rules
keeps global state in C and is not made for fork) and serves the shared
socket; a worker takes new connections only while no other holds fewer
(`Loads`).

Each process runs one request thread by default (see DEFAULT_THREADS)."""
from __future__ import annotations

import gc
import logging
import mmap
import os
import signal
import socket
import sys
import time

from waitress import serve as waitress_serve
from waitress.server import create_server

from .app import create_app
from .config import Config

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# One thread runs the app; waitress's main thread still reads and writes
# every socket, and buffers whole requests and responses, so a slow client
# never holds it. Checks are CPU-bound Python under the GIL, and the regex
# module releases the GIL for every match: two threads checking at once hand
# the GIL back and forth hundreds of times per check. Measured (issue #6,
# typing drafts, 4 clients, one process): 3.4-3.6 ms of CPU per request with
# 1 thread, 5.7-6.0 with 8, 4.6 with 8 behind one lock; 1 thread gave the
# most requests/s (292 vs 199) and half the p99 latency.
DEFAULT_THREADS = 1
log = logging.getLogger("replycoach")


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, config: Config | None = None,
          threads: int = DEFAULT_THREADS, workers: int = 1):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = config or Config()
    if workers <= 1:
        app = create_app(config)
        _settle()
        log.info("Reply Coach listening on http://%s:%d", host, port)
        _waitress(app, config, threads, host=host, port=port)
        return
    if not hasattr(os, "fork"):
        raise SystemExit("--workers needs a POSIX system (fork); run one process instead")
    _serve_workers(host, port, config, threads, workers)


def _settle():
    """Start-up objects (packs, patterns, profiles) mostly live as long as
    the server: frozen, the cycle collector no longer walks them. Measured
    (typing drafts): a full collection paused a check for ~60 ms, ~8 ms
    frozen; ~0.05 ms less GC per check. Objects made later are collected as
    usual; frozen ones are still freed when nothing refers to them, only
    reference cycles among them stay (once, if a reload replaces them)."""
    gc.collect()
    gc.freeze()


def _waitress(app, config: Config, threads: int, balance: tuple[Loads, int] | None = None, **where):
    # Waitress would otherwise buffer up to 1 GB before Flask's limit applies.
    kw = dict(threads=threads, ident="replycoach", max_request_body_size=config.max_body_bytes, **where)
    if balance is None:
        waitress_serve(app, **kw)
        return
    server = create_server(app, **kw)
    balance[0].install(server, balance[1])
    # A worker that stopped accepting looks again this often (waitress: 1 s,
    # and its option takes whole seconds), else a new connection could wait
    # that long after the other workers filled up.
    server.adj.asyncore_loop_timeout = 0.05
    server.print_listen("Serving on http://{}:{}")
    server.run()


class Loads:
    """Open connections per worker, in memory shared by the forked workers.
    The kernel wakes every worker for a new connection and the first to
    call accept() gets it: 4 keep-alive clients often all landed on one
    worker (2 of 6 tries), whose process then did all the work on one core.
    A worker accepts only while no other has fewer connections, so they
    spread evenly. A slot is "full" until its worker is up, so a worker that
    is starting or being replaced never holds the others back."""

    FULL = 2**31 - 1

    def __init__(self, workers: int):
        self._mem = mmap.mmap(-1, 4 * workers)    # anonymous and shared across fork
        self.counts = memoryview(self._mem).cast("i")
        for n in range(workers):
            self.counts[n] = self.FULL

    def install(self, server, n: int) -> None:
        counts, channels, readable = self.counts, server.active_channels, server.readable

        def balanced_readable() -> bool:
            mine = counts[n] = len(channels)
            return readable() and mine <= min(counts)
        server.readable = balanced_readable


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _serve_workers(host: str, port: int, config: Config, threads: int, workers: int):
    from .security import load_or_create_token
    load_or_create_token(config.path("token"))   # once, before the children race for it
    sock = _listen(host, port)
    loads = Loads(workers)
    children: dict[int, int] = {}   # pid -> worker number
    stopping = False

    def start(n: int):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _die_with_parent()
                app = create_app(config)
                _settle()
                log.info("worker %d (pid %d) ready", n, os.getpid())
                _waitress(app, config, threads, balance=(loads, n), sockets=[sock])
            except BaseException:  # noqa: BLE001 - a child must never return into the parent's code
                log.exception("worker %d failed", n)
                code = 1
            finally:
                os._exit(code)
        children[pid] = n

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for n in range(workers):
        start(n)
    log.info("Reply Coach listening on http://%s:%d with %d workers", host, port, workers)
    restarts: list[float] = []
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        n = children.pop(pid, None)
        if n is None or stopping:
            continue
        loads.counts[n] = Loads.FULL
        # A worker that died is replaced, unless they keep dying (a bug, not bad luck).
        now = time.monotonic()
        restarts = [t for t in restarts if now - t < 60] + [now]
        if len(restarts) > 5 * workers:
            log.error("workers keep exiting; stopping")
            stop(signal.SIGTERM, None)
            continue
        log.warning("worker %d (pid %d) exited with %s; starting a new one", n, pid, status)
        start(n)
    sock.close()
    sys.exit(0)


def _die_with_parent():
    """Linux: the kernel sends SIGTERM to a worker whose parent is gone."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None)
        libc.prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
