"""Property tests over the HTTP API (Flask test client): whatever comes in
(random Unicode, emoji, RTL, zero-width, combining marks, lone surrogates,
huge and empty inputs, wrong types), the answer is a 200 or a 4xx JSON error,
never a 500; and every 200 keeps its promises (spans and suggestions are
valid UTF-16 ranges of the text, the rewrite is a string, each suggestion
applies)."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

LOCAL = {"Host": "127.0.0.1:8765"}
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

# Pieces real drafts are made of, plus the awkward ones.
WORDS = ["Dear customer", "thank you", "Thanks", "sorry", "we will", "your opinion is very important to us",
         "Спасибо", "Уважаемый клиент", "извините", "Baie dankie", "Ευχαριστούμε", "Aitäh", "Anna",
         "!!", "!!!", "?", ",", " ,", "...", "(", ")", "\"", "SHOUTING", "ОЧЕНЬ", "bob@mail.example",
         "+1 555 123 4567", "4111 1111 1111 1111", "http://shop.example/promo", "f*ck", "😀", "👍🏽",
         "👨‍👩‍👧", "🇪🇪", "שלום", "مرحبا", "\u200b", "\u200d", "\u200e", "\u200f", "\ufeff", "\u202e",
         "e\u0301", "\u0000", "\t", "\n", "\r\n", "  ", "İ", "ß", "ﬁ", "Ⅻ", "\U0001d400", "\ud800", "\udfff"]
piece = st.one_of(st.sampled_from(WORDS), st.text(max_size=12),
                  st.text(st.characters(codec=None, categories=None), max_size=6))
draft = st.one_of(
    st.lists(piece, max_size=30).map(" ".join),
    st.text(max_size=200),
    st.builds(lambda p, n: (p * n)[:20_000], st.sampled_from(WORDS + ["Thanks for the stay. "]),
              st.integers(1, 20_000)),
)
lang = st.one_of(st.none(), st.sampled_from(["auto", "en", "ru", "af", "el", "et", "de", "zz", "EN", "en-US",
                                             "", "x" * 10, "русский"]), st.text(max_size=5))
anything = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                                  st.text(max_size=20)),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                   max_size=3),
                        max_leaves=8)
review = st.one_of(
    st.none(),
    st.fixed_dictionaries({}, optional={
        "text": st.one_of(draft, anything), "rating": st.one_of(st.integers(-2, 12), st.floats(), anything),
        "rating_max": st.one_of(st.integers(-1, 101), st.floats(), anything),
        "author": st.one_of(st.text(max_size=30), anything),
        "date": st.one_of(st.sampled_from(["2026-11-20T10:00:00Z", "2026-11-20", "yesterday", "", "9999-99-99",
                                           "2026-11-20T10:00:00+14:00", "0001-01-01T00:00:00Z"]), anything),
        "language": lang}),
    anything)
body = st.fixed_dictionaries({"text": draft}, optional={
    "language": lang, "review": review,
    "site": st.one_of(st.none(), st.sampled_from(["www.tripadvisor.com", "www.google.com", ""]), anything),
    "packs": st.one_of(st.none(), st.lists(st.sampled_from(["reply-guidelines", "nope", ""]), max_size=3), anything),
    "disabled_rules": st.one_of(st.lists(st.sampled_from(["shouting", "spelling", "missing-thanks", "x"])),
                                anything),
    "ui_language": lang, "business": st.one_of(st.none(), st.text(max_size=30)),
    "now": st.one_of(st.none(), st.sampled_from(["2026-11-24T10:00:00Z", "garbage"]))})
wrong_body = st.one_of(anything, st.fixed_dictionaries({"text": anything}),
                       st.dictionaries(st.text(max_size=10), anything, max_size=5))


def u16len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def u16slice(s: str, start: int, end: int) -> str:
    """Slice by UTF-16 units; fails if the cut splits a surrogate pair."""
    raw = s.encode("utf-16-le", "surrogatepass")
    return raw[2 * start:2 * end].decode("utf-16-le", "surrogatepass")


def split_pair(s: str, at: int) -> bool:
    raw = s.encode("utf-16-le", "surrogatepass")
    if at <= 0 or 2 * at >= len(raw):
        return False
    unit_before = int.from_bytes(raw[2 * at - 2:2 * at], "little")
    unit_after = int.from_bytes(raw[2 * at:2 * at + 2], "little")
    return 0xD800 <= unit_before <= 0xDBFF and 0xDC00 <= unit_after <= 0xDFFF


def post(client, payload, raw: bool = False):
    data = payload if raw else json.dumps(payload)
    return client.post("/api/v1/check", data=data, content_type="application/json", headers=LOCAL)


def assert_ok_or_4xx(r):
    assert r.status_code != 500, r.get_data(as_text=True)[:500]
    assert r.status_code == 200 or 400 <= r.status_code < 500, r.status_code
    assert r.is_json, r.get_data(as_text=True)[:200]
    body = r.get_json()
    if r.status_code != 200:
        err = body["error"]
        assert isinstance(err["code"], str) and isinstance(err["message"], str)
        assert "Traceback" not in err["message"]
    return body


def assert_invariants(text: str, result: dict):
    n = u16len(text)
    assert isinstance(result["rewrite"]["text"], str)
    assert isinstance(result["rewrite"]["applied"], list)
    assert isinstance(result["warnings"], list)
    lang = result["language"]
    assert lang["code"] is None or isinstance(lang["code"], str)
    for w in result["warnings"]:
        assert w["severity"] in ("error", "warning", "suggestion")
        assert isinstance(w["message"], str) and w["message"]
        span = w["span"]
        if span is not None:
            assert 0 <= span["start"] <= span["end"] <= n, (w["rule"], span, n)
            assert not split_pair(text, span["start"]) and not split_pair(text, span["end"])
        for s in w["suggestions"]:
            assert s["kind"] in ("insert", "replace", "delete")
            assert 0 <= s["start"] <= s["end"] <= n, (w["rule"], s, n)
            assert isinstance(s["text"], str)
            assert not split_pair(text, s["start"]) and not split_pair(text, s["end"])
            applied = u16slice(text, 0, s["start"]) + s["text"] + u16slice(text, s["end"], n)
            assert isinstance(applied, str)
            if s["kind"] == "insert":
                assert s["start"] == s["end"]


@pytest.fixture()
def api(app):
    return app.test_client()


@SETTINGS
@given(payload=body)
def test_check_never_500_and_keeps_its_promises(api, payload):
    r = post(api, payload)
    result = assert_ok_or_4xx(r)
    if r.status_code == 200:
        text = json.loads(json.dumps(payload))["text"]
        assert_invariants(text, result)


@SETTINGS
@given(text=draft, review_text=st.one_of(st.none(), draft), rating=st.one_of(st.none(), st.integers(1, 5)),
       language=st.sampled_from(["auto", "en", "ru", "af", "el", "et"]))
def test_valid_requests_are_answered(api, text, review_text, rating, language):
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in text + (review_text or "")))
    payload = {"text": text, "language": language, "review": {"text": review_text, "rating": rating}}
    r = post(api, payload)
    result = assert_ok_or_4xx(r)
    if len(text) <= 20_000 and len(review_text or "") <= 50_000:
        assert r.status_code == 200, result
        assert_invariants(text, result)


@SETTINGS
@given(payload=wrong_body)
def test_wrong_types_are_4xx(api, payload):
    assert_ok_or_4xx(post(api, payload))


@SETTINGS
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_garbage_bodies_are_4xx(api, raw):
    r = post(api, raw, raw=True)
    assert_ok_or_4xx(r)


@SETTINGS
@given(text=draft, language=st.sampled_from(["auto", "en-US", "ru-RU", "el", "et-EE", "af"]),
       extra=st.dictionaries(st.sampled_from(["disabledRules", "enabledRules", "enabledOnly", "motherTongue",
                                              "disabledCategories", "enabledCategories", "level"]),
                             st.text(max_size=20), max_size=3))
def test_languagetool_check_never_500(api, text, language, extra):
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in text))   # not encodable in a form body
    r = api.post("/v2/check", data={"text": text, "language": language, **extra}, headers=LOCAL)
    body = assert_ok_or_4xx(r)
    if r.status_code == 200:
        n = u16len(text)
        for m in body["matches"]:
            assert 0 <= m["offset"] and m["offset"] + m["length"] <= n
            assert not split_pair(text, m["offset"]) and not split_pair(text, m["offset"] + m["length"])
            ctx = m["context"]
            assert 0 <= ctx["offset"] <= ctx["offset"] + ctx["length"] <= u16len(ctx["text"])
            for rep in m["replacements"]:
                assert isinstance(rep["value"], str)


@SETTINGS
@given(parts=st.lists(st.one_of(st.fixed_dictionaries({"text": draft}),
                                st.fixed_dictionaries({"markup": st.text(max_size=10)},
                                                      optional={"interpretAs": st.text(max_size=3)}),
                                anything), max_size=8))
def test_languagetool_annotated_data_never_500(api, parts):
    data = json.dumps({"annotation": parts})
    r = api.post("/v2/check", data={"data": data, "language": "en"}, headers=LOCAL)
    body = assert_ok_or_4xx(r)
    if r.status_code == 200:
        whole = "".join(p.get("text") or p.get("markup") or "" for p in parts)
        for m in body["matches"]:
            assert 0 <= m["offset"] <= m["offset"] + m["length"] <= u16len(whole)


@pytest.mark.parametrize("text", ["", " ", "\u200b", "😀" * 10_000, "\u202e" * 20_000, "a" * 20_000,
                                  "e\u0301" * 10_000, "!" * 20_000, "Ä" * 20_000, "\n" * 20_000])
def test_edge_texts(api, text):
    r = post(api, {"text": text, "review": {"text": "Terrible!", "rating": 1}})
    result = assert_ok_or_4xx(r)
    assert r.status_code == 200, result
    assert_invariants(text, result)


def test_unpaired_surrogate_from_javascript_is_checked_not_500(api):
    # JSON.stringify("Thanks!! \ud83d") sends the lone half of an emoji as an escape.
    raw = '{"text": "Thanks!! \\ud83d we fixed it", "language": "en"}'
    r = post(api, raw, raw=True)
    assert r.status_code == 200
    result = json.loads(r.get_data())            # valid JSON, with the surrogate escaped
    assert result["rewrite"]["text"].endswith("\ud83d we fixed it")
    assert "shouting" in {w["rule"] for w in result["warnings"]}
