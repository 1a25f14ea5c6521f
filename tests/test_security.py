"""Local-server safety (issue #6): body limits, CORS for the extension only,
DNS rebinding, --allow-remote needs the token everywhere, and a pack with a
catastrophic regex cannot hang a check."""
from __future__ import annotations

import json
import os
import shutil
import threading
import time

import pytest

from replycoach.app import create_app
from replycoach.config import Config
from replycoach.packs.registry import BUILTIN_RULES_DIR
from replycoach.services import build_services

LOCAL = {"Host": "127.0.0.1:8765"}
CHROME = "chrome-extension://" + "abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://0b5c9c2e-8f1a-4d3b-9a6e-2f4c1d7e8a90"
WEB_ORIGINS = ["https://evil.example", "http://localhost:3000", "http://127.0.0.1:8765", "null",
               "chrome-extension://short", "chrome-extension://" + "z" * 32,
               CHROME + ".evil.example", "https://" + CHROME[len("chrome-extension://"):]]


# --- body size ---------------------------------------------------------------

def test_oversized_body_is_a_413_json_naming_the_body(client):
    big = json.dumps({"text": "a" * 1_100_000})
    r = client.post("/api/v1/check", data=big, content_type="application/json", headers=LOCAL)
    assert r.status_code == 413
    err = r.get_json()["error"]
    assert err["field"] == "body" and err["code"] == "body_too_large"
    assert "1,000,000" in err["message"]


def test_oversized_body_limit_follows_the_config(tmp_path):
    services = build_services(Config(home=str(tmp_path), spelling=False, history=False, max_body_bytes=2_000))
    client = create_app(services.config, services).test_client()
    ok = client.post("/api/v1/check", json={"text": "a" * 1_500}, headers=LOCAL)
    assert ok.status_code == 200
    r = client.post("/api/v1/check", json={"text": "a" * 2_500}, headers=LOCAL)
    assert r.status_code == 413 and r.get_json()["error"]["field"] == "body"
    # Form bodies (the LanguageTool endpoint) are limited the same way.
    r = client.post("/v2/check", data={"text": "a" * 2_500, "language": "en"}, headers=LOCAL)
    assert r.status_code == 413 and r.get_json()["error"]["field"] == "body"


def test_too_long_text_is_a_413_naming_the_field(client):
    r = client.post("/api/v1/check", json={"text": "a" * 20_001}, headers=LOCAL)
    assert r.status_code == 413 and r.get_json()["error"]["field"] == "text"
    r = client.post("/api/v1/check", json={"text": "hi", "review": {"text": "b" * 50_001}}, headers=LOCAL)
    assert r.status_code == 413 and r.get_json()["error"]["field"] == "review.text"


# --- CORS ----------------------------------------------------------------------

def preflight(client, origin, url="/api/v1/check", method="POST", headers="content-type"):
    return client.options(url, headers={**LOCAL, "Origin": origin, "Access-Control-Request-Method": method,
                                        "Access-Control-Request-Headers": headers})


@pytest.mark.parametrize("origin", [CHROME, FIREFOX])
@pytest.mark.parametrize("url", ["/api/v1/check", "/api/v1/history", "/v2/check"])
def test_preflight_from_the_extension_is_allowed(client, origin, url):
    r = preflight(client, origin, url, headers="content-type,x-replycoach-token")
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == origin
    assert "POST" in r.headers.get("Access-Control-Allow-Methods", "")
    allowed = {h.strip().lower() for h in r.headers.get("Access-Control-Allow-Headers", "").split(",")}
    assert {"content-type", "x-replycoach-token"} <= allowed
    assert "Origin" in r.headers.get("Vary", "")


@pytest.mark.parametrize("origin", WEB_ORIGINS)
def test_preflight_from_web_origins_is_not_allowed(client, origin):
    r = preflight(client, origin)
    assert "Access-Control-Allow-Origin" not in r.headers
    r = client.post("/api/v1/check", json={"text": "hi"}, headers={**LOCAL, "Origin": origin})
    assert r.status_code == 200   # the server answers, but a browser will not show the page the answer
    assert "Access-Control-Allow-Origin" not in r.headers


def test_no_wildcard_cors_anywhere(client):
    for origin in [CHROME, FIREFOX, *WEB_ORIGINS]:
        for method, url in [("GET", "/api/v1/health"), ("GET", "/api/v1/packs"), ("POST", "/api/v1/check"),
                            ("GET", "/v2/languages"), ("GET", "/api/v1/openapi.json"), ("GET", "/nowhere")]:
            r = client.open(url, method=method, json={"text": "x"} if method == "POST" else None,
                            headers={**LOCAL, "Origin": origin})
            assert r.headers.get("Access-Control-Allow-Origin") in (None, origin), (origin, url)
            assert r.headers.get("Access-Control-Allow-Origin") != "*"
            assert r.headers.get("Access-Control-Allow-Credentials") != "true" or \
                r.headers.get("Access-Control-Allow-Origin") == origin


def test_an_extension_origin_gets_the_answer(client):
    r = client.post("/api/v1/check", json={"text": "Thanks!!"}, headers={**LOCAL, "Origin": FIREFOX})
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == FIREFOX


# --- Host header (DNS rebinding) ---------------------------------------------

@pytest.mark.parametrize("host", ["localhost.evil.example", "127.0.0.1.evil.example:8765", "evil.example:8765",
                                  "0.0.0.0:8765", "[::ffff:7f00:1]:8765", "localhost:8765:1", "local host"])
def test_rebinding_host_names_are_refused_on_every_method(client, host):
    for method, url in [("POST", "/api/v1/check"), ("GET", "/api/v1/health"), ("OPTIONS", "/api/v1/check"),
                        ("POST", "/v2/check"), ("GET", "/")]:
        r = client.open(url, method=method, headers={"Host": host})
        assert r.status_code == 403, (method, url)
        assert r.get_json()["error"] == {"code": "bad_host", "field": "Host",
                                         "message": "Reply Coach only answers requests to localhost"}


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:8765", "localhost.:8765", "[::1]", "127.0.0.1:1"])
def test_loopback_names_are_answered(client, host):
    assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200


def test_security_headers(client):
    r = client.post("/api/v1/check", json={"text": "hi"}, headers=LOCAL)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"


# --- the token ---------------------------------------------------------------

STATE_CHANGING = [("POST", "/api/v1/packs/reload", None), ("GET", "/api/v1/history", None),
                  ("POST", "/api/v1/history", {"text": "x"}), ("PUT", "/api/v1/history/settings", {"enabled": True}),
                  ("DELETE", "/api/v1/history", None), ("DELETE", "/api/v1/history/1", None)]


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    services = build_services(Config(home=str(tmp_path_factory.mktemp("sec-local")), spelling=False))
    return create_app(services.config, services).test_client(), services


@pytest.mark.parametrize("method,url,body", STATE_CHANGING)
def test_state_changing_endpoints_need_the_token(local, method, url, body):
    client, services = local
    for headers in ({}, {"X-ReplyCoach-Token": ""}, {"X-ReplyCoach-Token": services.token[:-1]},
                    {"X-ReplyCoach-Token": services.token + "x"}, {"Authorization": "Basic " + services.token}):
        r = client.open(url, method=method, json=body, headers={**LOCAL, **headers})
        assert r.status_code == 401, headers
        assert r.get_json()["error"]["field"] == "X-ReplyCoach-Token"
    r = client.open(url, method=method, json=body, headers={**LOCAL, "X-ReplyCoach-Token": services.token})
    assert r.status_code != 401
    r = client.open(url, method=method, json=body, headers={**LOCAL, "Authorization": "Bearer " + services.token})
    assert r.status_code != 401


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    services = build_services(Config(home=str(tmp_path_factory.mktemp("sec-remote")), spelling=False,
                                     allow_remote=True))
    app = create_app(services.config, services)
    return app, services


def _urls(app):
    """Every route of the app with a concrete URL and each of its methods."""
    out = []
    for rule in app.url_map.iter_rules():
        url = rule.rule.replace("<int:rid>", "1").replace("<path:filename>", "playground.css")
        if "<" in url:
            url = url.split("<")[0] + "x"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url))
    return out


def test_allow_remote_needs_the_token_on_every_endpoint(remote):
    app, services = remote
    client = app.test_client()
    urls = _urls(app)
    assert ("POST", "/api/v1/check") in urls and ("GET", "/v2/languages") in urls and ("GET", "/") in urls
    for method, url in urls:
        for host in ("192.168.1.20:8765", "127.0.0.1:8765"):
            r = client.open(url, method=method, json={"text": "hi"} if method != "GET" else None,
                            headers={"Host": host})
            assert r.status_code == 401, (method, url, host)
            assert r.get_json()["error"]["field"] == "X-ReplyCoach-Token"
            r = client.open(url, method=method, json={"text": "hi"} if method != "GET" else None,
                            headers={"Host": host, "X-ReplyCoach-Token": "not-the-token-" * 4})
            assert r.status_code == 401, (method, url, host)


def test_allow_remote_answers_other_host_names_with_the_token(remote):
    app, services = remote
    client = app.test_client()
    r = client.post("/api/v1/check", json={"text": "Thanks!!"},
                    headers={"Host": "192.168.1.20:8765", "X-ReplyCoach-Token": services.token})
    assert r.status_code == 200 and r.get_json()["warnings"]
    r = client.post("/v2/check", data={"text": "Thanks!!", "language": "en"},
                    headers={"Host": "replycoach.lan", "Authorization": f"Bearer {services.token}"})
    assert r.status_code == 200
    # The extension's preflight carries no token; it is answered, nothing else is.
    r = client.options("/api/v1/check", headers={"Host": "192.168.1.20", "Origin": CHROME,
                                                 "Access-Control-Request-Method": "POST"})
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == CHROME


def test_cli_refuses_to_bind_beyond_loopback_without_the_flag(capsys, monkeypatch):
    from replycoach.cli import main
    import replycoach.serve as serve_mod
    started = []
    monkeypatch.setattr(serve_mod, "serve", lambda *a, **k: started.append((a, k)))
    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    assert "--allow-remote" in capsys.readouterr().err and not started
    assert main(["serve", "--host", "0.0.0.0", "--port", "1", "--allow-remote"]) == 0
    (host, port, config), _ = started[0]
    assert host == "0.0.0.0" and config.allow_remote


# --- a pack with a catastrophic regex ------------------------------------------

EVIL = ['"re:(a+)+$"', '"re:(a|a)+$"', '"re:(a|aa)+$"', '"re:(\\\\w|\\\\w)+!$"']


@pytest.fixture(scope="module")
def evil_pack_client(tmp_path_factory):
    """The example team pack with catastrophic regexes added to its
    `banned` list, loaded from a temp pack folder."""
    root = tmp_path_factory.mktemp("evil-packs")
    folder = root / "hotel-chain"
    shutil.copytree(os.path.join(BUILTIN_RULES_DIR, "examples", "hotel-chain"), folder)
    lang = folder / "lang" / "en.yaml"
    text = lang.read_text(encoding="utf-8")
    assert "  banned:\n" in text
    lang.write_text(text.replace("  banned:\n", "  banned:\n" + "".join(f"    - {e}\n" for e in EVIL), 1),
                    encoding="utf-8")
    services = build_services(Config(home=str(tmp_path_factory.mktemp("evil-home")),
                                     pack_roots=[BUILTIN_RULES_DIR, str(root)], spelling=False, history=False))
    assert "hotel-chain" in services.registry.current.packs, services.registry.current.errors
    return create_app(services.config, services).test_client()


def _post_with_deadline(client, body, seconds):
    """POST in a thread; (response or None if it did not finish in time)."""
    out = {}

    def run():
        out["r"] = client.post("/api/v1/check", json=body, headers=LOCAL)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    return out.get("r")


@pytest.mark.parametrize("text", ["a" * 40 + "!", "aaaa " * 500 + "b", ("a" * 30 + "! ") * 50, "a" * 5_000 + "!"])
def test_catastrophic_pack_regex_does_not_hang_a_check(evil_pack_client, text):
    # Without the regex timeout, "(a|a)+$" on 40 a's runs for hours.
    started = time.monotonic()
    r = _post_with_deadline(evil_pack_client, {"text": text, "language": "en"}, 60)
    assert r is not None, "the check did not finish in 60 s"
    assert r.status_code == 200
    assert time.monotonic() - started < 60
    # The pack's other rules still work on the same request.
    assert "sign-off" in {w["rule"] for w in r.get_json()["warnings"]}


def test_catastrophic_pack_keeps_its_other_patterns(evil_pack_client):
    r = _post_with_deadline(evil_pack_client, {"text": "Thanks guys, " + "a" * 40 + "! The Aurora team",
                                               "language": "en"}, 60)
    assert r is not None and r.status_code == 200
    banned = [w for w in r.get_json()["warnings"] if w["rule"] == "banned-word"]
    assert banned and any("guys" in w["message"] for w in banned)
