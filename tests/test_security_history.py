"""Token, Host header, and the history endpoints behind them."""
from __future__ import annotations

import json
import os
import stat

import pytest

from replycoach.app import create_app
from replycoach.config import Config
from replycoach.services import build_services


@pytest.fixture()
def fresh(tmp_path):
    services = build_services(Config(home=str(tmp_path), spelling=False))
    app = create_app(services.config, services)
    return app.test_client(), services


def call(client, method, url, body=None, token=None, host="127.0.0.1:8765"):
    headers = {"Host": host}
    if token:
        headers["X-ReplyCoach-Token"] = token
    data = json.dumps(body) if body is not None else None
    return client.open(url, method=method, data=data, content_type="application/json", headers=headers)


def test_token_is_created_once_and_private(tmp_path):
    s1 = build_services(Config(home=str(tmp_path), spelling=False))
    s2 = build_services(Config(home=str(tmp_path), spelling=False))
    assert s1.token == s2.token and len(s1.token) >= 32
    mode = stat.S_IMODE(os.stat(tmp_path / "token").st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.nip.io:8765", "192.168.1.5:8765"])
def test_requests_to_a_non_loopback_host_name_are_refused(fresh, host):
    client, _ = fresh
    r = call(client, "POST", "/api/v1/check", {"text": "hi"}, host=host)
    assert r.status_code == 403 and r.get_json()["error"]["field"] == "Host"


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1", "[::1]:8765"])
def test_loopback_host_names_are_served(fresh, host):
    client, _ = fresh
    assert call(client, "POST", "/api/v1/check", {"text": "hi"}, host=host).status_code == 200


def test_history_needs_the_token(fresh):
    client, services = fresh
    for method, url in [("GET", "/api/v1/history"), ("POST", "/api/v1/history"),
                        ("PUT", "/api/v1/history/settings"), ("DELETE", "/api/v1/history")]:
        r = call(client, method, url, {"text": "x"} if method != "GET" else None)
        assert r.status_code == 401, url
        r = call(client, method, url, {"text": "x"} if method != "GET" else None, token="wrong" * 10)
        assert r.status_code == 401, url


def test_history_is_off_until_enabled_then_feeds_repeated_reply(fresh):
    client, services = fresh
    t = services.token
    reply = "Dear Anna, thank you for staying with us. We hope to welcome you back soon."
    r = call(client, "POST", "/api/v1/history", {"text": reply, "author": "Anna"}, token=t)
    assert r.status_code == 200 and r.get_json()["recorded"] is False
    assert call(client, "GET", "/api/v1/history", token=t).get_json()["items"] == []
    r = call(client, "PUT", "/api/v1/history/settings", {"enabled": True, "retention_days": 30}, token=t)
    assert r.get_json() == {"enabled": True, "retention_days": 30}
    assert call(client, "POST", "/api/v1/history", {"text": reply, "author": "Anna"}, token=t).status_code == 201
    draft = "Dear Maria, thank you for staying with us.  We hope to welcome you back soon."
    result = call(client, "POST", "/api/v1/check", {"text": draft, "language": "en", "review": {"author": "Maria"}}).get_json()
    repeated = [w for w in result["warnings"] if w["rule"] == "repeated-reply"]
    assert repeated and repeated[0]["data"]["earlier"] == reply and repeated[0]["data"]["count"] == 1
    assert call(client, "DELETE", "/api/v1/history", token=t).get_json() == {"deleted": 1}
    result = call(client, "POST", "/api/v1/check", {"text": draft, "language": "en"}).get_json()
    assert "repeated-reply" not in {w["rule"] for w in result["warnings"]}


@pytest.mark.parametrize("body,field", [({}, "text"), ({"text": 3}, "text"), ({"text": "ok", "site": 5}, "site")])
def test_history_record_validates_fields(fresh, body, field):
    client, services = fresh
    r = call(client, "POST", "/api/v1/history", body, token=services.token)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == field


def test_settings_validate(fresh):
    client, services = fresh
    r = call(client, "PUT", "/api/v1/history/settings", {"retention_days": 0}, token=services.token)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "retention_days"
    r = call(client, "PUT", "/api/v1/history/settings", {"enabled": "yes"}, token=services.token)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "enabled"
