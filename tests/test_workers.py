"""`replycoach serve --workers N`: several processes behind one port."""
from __future__ import annotations

import http.client
import json
import os
import signal
import sys
import urllib.request

import pytest

from .live_server import LiveServer, wait_until

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not sys.platform.startswith("linux"),
                                reason="workers fork; the test reads /proc")


def _children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return {int(x) for x in fh.read().split()}


def _connections(pid: int, port: int) -> int:
    """Established connections to `port` that process `pid` holds."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as fh:
            for line in list(fh)[1:]:
                f = line.split()
                if int(f[1].rsplit(":", 1)[1], 16) == port and f[3] == "01":
                    established.add(f[9])
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            n += os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1] in established   # socket:[inode]
        except OSError:
            pass
    return n


def _check(url: str, text: str) -> dict:
    req = urllib.request.Request(url + "/api/v1/check", data=json.dumps({"text": text}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_two_workers_answer_and_a_dead_one_is_replaced(tmp_path):
    server = LiveServer(str(tmp_path), args=["--workers", "2", "--no-reload"])
    try:
        workers = wait_until(lambda: len(_children(server.proc.pid)) == 2 and _children(server.proc.pid),
                             30, "two workers")
        # every worker runs the real pipeline; 20 checks reach both
        for _ in range(20):
            out = _check(server.url, "Dear customer, we apologize for any inconvenience caused.")
            assert {w["rule"] for w in out["warnings"]} >= {"canned-phrase"}
        # keep-alive connections are spread evenly, not all on the first worker to wake
        a, b = sorted(workers)
        log = os.path.join(str(tmp_path), "server.log")
        wait_until(lambda: open(log).read().count("Serving on") == 2, 60, "both workers to serve")
        conns = []
        for _ in range(4):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("POST", "/api/v1/check", body=json.dumps({"text": "Thank you, Anna!"}),
                         headers={"Content-Type": "application/json"})
            assert conn.getresponse().read()
            conns.append(conn)
        wait_until(lambda: _connections(a, server.port) == _connections(b, server.port) == 2, 5,
                   "two connections on each worker")
        for conn in conns:
            conn.close()
        victim = sorted(workers)[0]
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: len(_children(server.proc.pid)) == 2 and victim not in _children(server.proc.pid),
                   60, "a new worker")
        assert _check(server.url, "Thank you, Anna!")["language"]["code"] == "en"
    finally:
        pid = server.proc.pid
        kids = _children(pid) if server.proc.poll() is None else set()
        server.stop()
    # stopping the parent stops its workers
    for kid in kids:
        wait_until(lambda: not os.path.exists(f"/proc/{kid}") or
                   open(f"/proc/{kid}/stat").read().split()[2] == "Z", 10, "workers to exit")


def test_workers_must_be_positive(tmp_path):
    import subprocess
    from .live_server import REPLYCOACH
    r = subprocess.run([str(REPLYCOACH), "serve", "--workers", "0"], capture_output=True, text=True,
                       env=dict(os.environ, REPLYCOACH_HOME=str(tmp_path)), timeout=60)
    assert r.returncode != 0 and "--workers" in r.stderr
