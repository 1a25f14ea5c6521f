"""A real `replycoach serve` in a subprocess, for the tests that talk to it
over HTTP (browser, playground, LanguageTool client)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPLYCOACH = Path(sys.executable).with_name("replycoach")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float = 15.0, what: str = "condition", interval: float = 0.2):
    """Poll until `predicate()` is truthy and return it; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(interval)


class LiveServer:
    def __init__(self, home: str, env: dict | None = None, args=(), timeout: float = 180):
        if not REPLYCOACH.exists():
            pytest.fail(f"{REPLYCOACH} is missing: install the project (make test does)")
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(home, "server.log"), "w+")
        # Isolated from the caller's packs: only what the test passes in.
        base = {k: v for k, v in os.environ.items() if k != "REPLYCOACH_PACKS_PATH"}
        self.proc = subprocess.Popen(
            [str(REPLYCOACH), "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            env=dict(base, **(env or {}), REPLYCOACH_HOME=home),
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until(self._up, timeout, "replycoach serve to answer /api/v1/health")
        except BaseException:
            self.stop()
            raise

    def _up(self) -> bool:
        if self.proc.poll() is not None:
            self.log.seek(0)
            pytest.fail(f"replycoach serve exited with {self.proc.returncode}:\n{self.log.read()[-3000:]}")
        try:
            with urllib.request.urlopen(self.url + "/api/v1/health", timeout=2) as resp:
                return json.loads(resp.read().decode("utf-8")).get("status") == "ok"
        except (OSError, ValueError):
            return False

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()
