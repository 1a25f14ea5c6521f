"""The HTTP contract of design/API.md."""
from __future__ import annotations

import json

import pytest


def post(client, body, **kw):
    return client.post("/api/v1/check", data=json.dumps(body), content_type="application/json", **kw)


def test_check_returns_the_documented_shape(client):
    r = post(client, {"text": "Dear customer, your opinion is very important to us!!",
                      "review": {"text": "The room was dirty and nobody helped.", "rating": 1, "author": "Anna"}})
    assert r.status_code == 200
    body = r.get_json()
    assert set(body) >= {"language", "review_language", "warnings", "rewrite", "elapsed_ms"}
    assert set(body["language"]) == {"code", "confidence", "source", "supported"}
    for w in body["warnings"]:
        assert set(w) >= {"rule", "pack", "severity", "message", "explanation", "span", "suggestions"}
        assert w["severity"] in ("error", "warning", "suggestion")
        if w["span"] is not None:
            assert 0 <= w["span"]["start"] < w["span"]["end"] <= len("Dear customer, your opinion is very important to us!!")
    assert "shouting" in {w["rule"] for w in body["warnings"]}
    assert isinstance(body["rewrite"]["text"], str)


def test_spans_are_utf16_offsets(client):
    text = "😀😀 PLEASE stop"
    body = post(client, {"text": text, "language": "en"}).get_json()
    shout = [w for w in body["warnings"] if w["rule"] == "shouting"]
    assert shout, body["warnings"]
    s, e = shout[0]["span"]["start"], shout[0]["span"]["end"]
    assert text.encode("utf-16-le")[2 * s:2 * e].decode("utf-16-le") == "PLEASE"
    assert s == 5   # two emoji count as four UTF-16 units


@pytest.mark.parametrize("body,field,status", [
    ({}, "text", 400),
    ({"text": None}, "text", 400),
    ({"text": 5}, "text", 400),
    ({"text": "x" * 20_001}, "text", 413),
    ({"text": "hi", "review": "bad"}, "review", 400),
    ({"text": "hi", "review": {"rating": "five"}}, "review.rating", 400),
    ({"text": "hi", "review": {"rating": 9}}, "review.rating", 400),
    ({"text": "hi", "review": {"date": "yesterday"}}, "review.date", 400),
    ({"text": "hi", "language": "english!"}, "language", 400),
    ({"text": "hi", "disabled_rules": "shouting"}, "disabled_rules", 400),
    ([1, 2], "body", 400),
])
def test_bad_input_gets_a_4xx_naming_the_field(client, body, field, status):
    r = post(client, body)
    assert r.status_code == status
    err = r.get_json()["error"]
    assert err["field"] == field
    assert err["message"] and "Traceback" not in err["message"]


def test_bad_json_and_content_type(client):
    r = client.post("/api/v1/check", data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "bad_json"
    r = client.post("/api/v1/check", data="text=hi", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415


def test_disabled_rules_are_not_reported(client):
    body = {"text": "WHAT a day", "language": "en"}
    assert "shouting" in {w["rule"] for w in post(client, body).get_json()["warnings"]}
    body["disabled_rules"] = ["shouting"]
    assert "shouting" not in {w["rule"] for w in post(client, body).get_json()["warnings"]}


def test_empty_draft_has_no_warnings_and_keeps_text(client):
    body = post(client, {"text": "   "}).get_json()
    assert body["warnings"] == [] and body["rewrite"]["text"] == "   "


def test_health_and_packs(client):
    assert client.get("/api/v1/health").get_json()["status"] == "ok"
    packs = client.get("/api/v1/packs").get_json()["packs"]
    assert "reply-guidelines" in {p["id"] for p in packs}


def test_cors_allows_only_extension_origins(client):
    ok = post(client, {"text": "hi"}, headers={"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop"})
    assert ok.headers.get("Access-Control-Allow-Origin") == "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    evil = post(client, {"text": "hi"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil.headers
