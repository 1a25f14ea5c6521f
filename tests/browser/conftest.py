"""Fixtures for the end-to-end browser tests: the real Reply Coach server
(started as users start it, `replycoach serve`), a local HTTP server with
fixture pages that imitate review sites, and Debian's Chromium with the
unpacked extension loaded (headless=new, which supports extensions)."""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..live_server import LiveServer, free_port  # noqa: F401 (test_ui imports free_port from here)

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("REPLYCOACH_CHROMIUM", "/usr/bin/chromium")


def http_json(url: str, body: dict | None = None, timeout: float = 10.0):
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read().decode("utf-8"))


class Server:
    def __init__(self, url: str, home: str):
        self.url = url
        self.home = home

    @property
    def token(self) -> str:
        """The token the server made at first start (REPLYCOACH_HOME/token)."""
        return Path(self.home, "token").read_text(encoding="utf-8").strip()

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = "") -> tuple[int, dict]:
        """(status, JSON body) of any request; `token=""` sends the server's own token, None none."""
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["X-ReplyCoach-Token"] = token or self.token
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read().decode("utf-8") or "null")

    def check(self, text: str, review: dict | None = None, site: str = "127.0.0.1", **extra) -> dict:
        """What the server says about a draft: the test's independent oracle."""
        body = {"text": text, "language": "auto", "review": review or {}, "site": site,
                "disabled_rules": [], "ui_language": "en"}
        body.update(extra)
        return http_json(self.url + "/api/v1/check", body)


def start_server(home: str, env: dict | None = None):
    """Starts `replycoach serve` on a free port with REPLYCOACH_HOME=home and
    `env` added to the environment (e.g. REPLYCOACH_PACKS_PATH); returns
    (Server, stop). Fails the test when it does not come up."""
    live = LiveServer(home, env)  # packs, dictionaries and models load first
    try:
        server = Server(live.url, home)
        server.check("Warm-up.")  # first check loads packs and models; keep it out of test timings
    except BaseException:
        live.stop()
        raise
    return server, live.stop


@pytest.fixture(scope="session")
def replycoach_server(tmp_path_factory):
    """The real server on a free port with a throw-away REPLYCOACH_HOME."""
    server, stop = start_server(str(tmp_path_factory.mktemp("replycoach-home")))
    try:
        yield server
    finally:
        stop()


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    """More servers, each with its own REPLYCOACH_HOME and extra environment:
    `server_factory(REPLYCOACH_PACKS_PATH=folder)`. Stopped at the end of the session."""
    stops = []

    def make(**env) -> Server:
        server, stop = start_server(str(tmp_path_factory.mktemp("replycoach-home")), env)
        stops.append(stop)
        return server

    try:
        yield make
    finally:
        for stop in stops:
            stop()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Fixture pages, plus /vendor/ -> extension/node_modules (React UMD), and
    /report?... where self-driving pages (smoke.html) post what they saw."""

    reports: list = []

    def do_GET(self):
        if self.path.startswith("/report?"):
            from urllib.parse import parse_qs, urlsplit

            self.reports.append({k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()})
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def translate_path(self, path):
        if path.startswith("/vendor/"):
            rel = path[len("/vendor/"):].split("?", 1)[0]
            return str(EXTENSION / "node_modules" / rel)
        return super().translate_path(path)

    def log_message(self, *args):
        pass


class SiteUrl(str):
    """The fixture server's base URL; `.reports` holds what pages reported."""

    def __new__(cls, url, reports):
        obj = super().__new__(cls, url)
        obj.reports = reports
        return obj


@pytest.fixture(scope="session")
def site_url():
    """Base URL of the fixture pages (127.0.0.1, a free port)."""
    handler = functools.partial(_Handler, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield SiteUrl(f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.reports)
    httpd.shutdown()
    httpd.server_close()


def chromium_or_fail() -> str:
    if not os.path.exists(CHROMIUM):
        msg = f"{CHROMIUM} not found: apt-get install -y chromium (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return CHROMIUM


class Browser:
    """A Chromium profile with the extension; `settings()` writes the
    extension's storage through its service worker, as the options page does."""

    def __init__(self, context, worker):
        self.context = context
        self.worker = worker
        self.extension_id = worker.url.split("/")[2]

    def settings(self, **values):
        self.worker.evaluate("v => chrome.storage.local.set(v)", values)

    def get_settings(self) -> dict:
        return self.worker.evaluate("() => chrome.storage.local.get(null)")

    def extension_page(self, path: str):
        page = self.context.new_page()
        page.goto(f"chrome-extension://{self.extension_id}/{path}")
        return page


def launch(playwright, user_data_dir: str, lang: str = "en-US"):
    args = [
        f"--disable-extensions-except={EXTENSION}",
        f"--load-extension={EXTENSION}",
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--lang={lang}",
    ]
    context = playwright.chromium.launch_persistent_context(
        user_data_dir,
        executable_path=chromium_or_fail(),
        headless=False,  # "--headless=new" above: the old headless mode cannot load extensions
        args=args,
        ignore_default_args=["--disable-extensions"],
        locale=lang,
        viewport={"width": 1100, "height": 850},
        env=dict(os.environ, LANGUAGE=lang.replace("-", "_")),
    )
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker", timeout=15000)
    return Browser(context, worker)


@pytest.fixture(scope="session")
def browser(playwright_instance, replycoach_server):
    user_data_dir = tempfile.mkdtemp(prefix="replycoach-chromium-")
    b = launch(playwright_instance, user_data_dir)
    b.settings(serverUrl=replycoach_server.url, disabledSites=[], disabledRules=[])
    try:
        yield b
    finally:
        b.context.close()
        shutil.rmtree(user_data_dir, ignore_errors=True)


@pytest.fixture()
def page(browser, replycoach_server):
    browser.settings(serverUrl=replycoach_server.url, disabledSites=[], disabledRules=[], language="auto")
    p = browser.context.new_page()
    yield p
    p.close()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


class _RecordingProxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the real server and records what the extension sent."""

    upstream = ""
    log: list = []

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        self.log.append({"path": self.path, "method": self.command, "time": time.monotonic(),
                         "body": json.loads(body) if body else None,
                         "headers": {k.lower(): v for k, v in self.headers.items()}})
        headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
        if self.headers.get("X-ReplyCoach-Token"):
            headers["X-ReplyCoach-Token"] = self.headers["X-ReplyCoach-Token"]
        req = urllib.request.Request(self.upstream + self.path, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                status, data = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _forward

    def log_message(self, *args):
        pass


@pytest.fixture()
def recording_proxy(replycoach_server):
    """A pass-through in front of the real server that records requests,
    to see what the extension sends and how often."""
    handler = type("Proxy", (_RecordingProxy,), {"upstream": replycoach_server.url, "log": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.log = handler.log
    yield httpd
    httpd.shutdown()
    httpd.server_close()
