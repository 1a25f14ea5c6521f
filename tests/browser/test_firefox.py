"""The same extension folder in Firefox (Debian's firefox-esr, headless,
installed as a temporary add-on by `web-ext run`). No WebDriver is
available for it here, so the page drives itself (fixtures/smoke.html) and
reports what the extension did. The extension's default server URL
(127.0.0.1:8765) is forwarded to the real test server when that port is free."""
from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from .conftest import EXTENSION, _RecordingProxy
from .helpers import DRAFT

pytestmark = pytest.mark.browser

FIREFOX = os.environ.get("REPLYCOACH_FIREFOX", "/usr/bin/firefox-esr")
WEB_EXT = EXTENSION / "node_modules" / ".bin" / "web-ext"


@pytest.fixture()
def default_port_forward(replycoach_server):
    handler = type("Fwd", (_RecordingProxy,), {"upstream": replycoach_server.url, "log": []})
    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 8765), handler)
    except OSError:
        yield None  # something else listens on 8765: only "it runs" can be checked
        return
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield handler.log
    httpd.shutdown()
    httpd.server_close()


def test_firefox_loads_the_extension_and_checks_a_draft(site_url, default_port_forward, replycoach_server, tmp_path):
    if not WEB_EXT.exists():
        pytest.fail("extension/node_modules is missing: npm ci in extension/ (make extension-deps)")
    if not os.path.exists(FIREFOX):
        # Optional second browser: scripts/install-system-deps.sh may not list it.
        pytest.skip("firefox-esr is not installed (apt-get install -y firefox-esr)")
    before = len(site_url.reports)
    proc = subprocess.Popen(
        [str(WEB_EXT), "run", "--source-dir", str(EXTENSION), "--firefox", FIREFOX, "--no-reload",
         "--no-input", "--start-url", f"{site_url}/smoke.html", "--arg=-headless"],
        # TMPDIR: web-ext's throw-away profile goes with pytest's tmp_path.
        env=dict(os.environ, MOZ_HEADLESS="1", TMPDIR=str(tmp_path)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while len(site_url.reports) == before and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.3)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    assert len(site_url.reports) > before, "smoke page never reported:\n" + (out or "")[-3000:]
    report = site_url.reports[-1]
    assert "Firefox/" in report["ua"]
    assert report["text"] == DRAFT, "the draft must be left as it was"
    if default_port_forward is None:
        assert report["state"] in ("ok", "offline"), report
        return
    assert report["state"] == "ok", report
    result = replycoach_server.check(DRAFT, {"text": "The pool was closed during our whole stay and nobody told us in advance."})
    expected = sorted(DRAFT[w["span"]["start"]:w["span"]["end"]] for w in result["warnings"] if w.get("span"))
    assert sorted(json.loads(report["marks"])) == expected
    assert any(r["path"] == "/api/v1/check" for r in default_port_forward)
