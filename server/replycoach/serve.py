"""Runs the app under waitress, the production WSGI server.

One process serves a user easily (a check costs a few ms of one core). For
more throughput (a team sharing one server, load tests) `workers` > 1 forks
that many processes on POSIX: the parent binds the socket and supervises,
each child builds its own app (packs, dictionaries, engine: durable-rules
keeps global state in C and is not made for fork) and serves the shared
socket; the kernel spreads connections between them."""
from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time

from waitress import serve as waitress_serve

from .app import create_app
from .config import Config

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
log = logging.getLogger("replycoach")


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, config: Config | None = None, threads: int = 8,
          workers: int = 1):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = config or Config()
    if workers <= 1:
        app = create_app(config)
        log.info("Reply Coach listening on http://%s:%d", host, port)
        _waitress(app, config, threads, host=host, port=port)
        return
    if not hasattr(os, "fork"):
        raise SystemExit("--workers needs a POSIX system (fork); run one process instead")
    _serve_workers(host, port, config, threads, workers)


def _waitress(app, config: Config, threads: int, **where):
    # Waitress would otherwise buffer up to 1 GB before Flask's limit applies.
    waitress_serve(app, threads=threads, ident="replycoach",
                   max_request_body_size=config.max_body_bytes, **where)


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
                log.info("worker %d (pid %d) ready", n, os.getpid())
                _waitress(app, config, threads, sockets=[sock])
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
