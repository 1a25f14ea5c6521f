"""The LanguageTool-compatible API (/v2/languages, /v2/check): with the real
language_tool_python client against a real `replycoach serve` process, and
the details (annotated text, offsets, rule filters, errors) in process."""
from __future__ import annotations

import json
import os

import pytest

from .live_server import LiveServer
import requests

from replycoach.api.languagetool import lt_rule_id

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = {"Host": "127.0.0.1:8765"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `replycoach serve` on a free loopback port."""
    live = LiveServer(str(tmp_path_factory.mktemp("lt-home")), args=("--no-reload",), timeout=90)
    try:
        yield live.url
    finally:
        live.stop()


@pytest.fixture(scope="module")
def tool(server):
    language_tool_python = pytest.importorskip("language_tool_python")
    t = language_tool_python.LanguageTool("en-US", remote_server=server)
    yield t
    t.close()


# --- the real client against the real server -------------------------------

def test_client_reads_languages(server, tool):
    langs = requests.get(server + "/v2/languages", timeout=10).json()
    long_codes = {entry["longCode"] for entry in langs}
    assert {"en", "en-US", "en-GB", "ru-RU", "af-ZA", "el-GR", "et-EE"} <= long_codes
    assert all(set(entry) == {"name", "code", "longCode"} for entry in langs)
    assert {entry["code"] for entry in langs} >= {"en", "ru", "af", "el", "et"}


def test_client_gets_matches_with_positions_it_can_use(tool):
    text = "Dear customer, your opinion is very important to us!! Teh room was clean."
    matches = tool.check(text)
    by_rule = {}
    for m in matches:
        by_rule.setdefault(m.rule_id, []).append(m)
    assert {"CANNED_PHRASE", "SHOUTING", "SPELLING"} <= set(by_rule)
    spelling = by_rule["SPELLING"][0]
    assert text[spelling.offset:spelling.offset + spelling.error_length] == "Teh"
    assert "The" in spelling.replacements
    assert spelling.category == "TYPOS" and spelling.rule_issue_type == "misspelling"
    shout = by_rule["SHOUTING"][0]
    assert text[shout.offset:shout.offset + shout.error_length] == "!!"
    assert shout.replacements == ["!"]
    canned = [m for m in by_rule["CANNED_PHRASE"] if text[m.offset:].startswith("Dear customer")]
    assert canned and canned[0].rule_issue_type == "style"
    assert canned[0].context[canned[0].offset_in_context:].startswith("Dear customer")
    assert spelling.sentence == "Teh room was clean."


def test_client_offsets_after_an_emoji(tool):
    # An emoji is 2 UTF-16 units; the client converts LanguageTool's UTF-16
    # offsets back to Python's, so a wrong offset here would be off by one.
    text = "Thank you 😀😀 for the review!! We fixed the shower."
    matches = [m for m in tool.check(text) if m.rule_id == "SHOUTING"]
    assert matches
    assert text[matches[0].offset:matches[0].offset + matches[0].error_length] == "!!"


def test_client_correct_applies_replacements(tool):
    corrected = tool.correct("Thank you for the review!! We fixed the shower.")
    assert "!!" not in corrected and corrected.startswith("Thank you for the review!")


def test_client_disabled_rules_and_russian(server):
    language_tool_python = pytest.importorskip("language_tool_python")
    with language_tool_python.LanguageTool("ru-RU", remote_server=server) as ru:
        text = "Уважаемый клиент, спасибо за отзыв!! Мы починили душ."
        rules = {m.rule_id for m in ru.check(text)}
        assert {"CANNED_PHRASE", "SHOUTING"} <= rules
        ru.disabled_rules = {"SHOUTING"}
        rules = {m.rule_id for m in ru.check(text)}
        assert "SHOUTING" not in rules and "CANNED_PHRASE" in rules


def test_auto_language_is_detected_over_http(server):
    r = requests.post(server + "/v2/check", data={"text": "Спасибо за отзыв!! Мы починили душ в номере.",
                                                  "language": "auto"}, timeout=30)
    body = r.json()
    assert r.status_code == 200
    assert body["language"]["detectedLanguage"]["code"] == "ru"
    assert body["language"]["code"] == "ru"
    assert body["software"]["apiVersion"] == 1
    assert body["warnings"] == {"incompleteResults": False}


# --- details, in process ---------------------------------------------------

def lt(client, **form):
    return client.post("/v2/check", data=form, headers=HOST)


def test_response_shape(client):
    r = lt(client, text="Dear customer, thanks!!", language="en-GB")
    assert r.status_code == 200
    body = r.get_json()
    assert body["language"]["code"] == "en-GB" and body["language"]["name"] == "English (GB)"
    for m in body["matches"]:
        assert {"message", "shortMessage", "replacements", "offset", "length", "context", "sentence",
                "type", "rule"} <= set(m)
        assert set(m["rule"]) >= {"id", "description", "issueType", "category"}
        assert set(m["rule"]["category"]) == {"id", "name"}
        assert set(m["context"]) == {"text", "offset", "length"}
        assert all(set(rep) == {"value"} for rep in m["replacements"])
    assert [m["offset"] for m in body["matches"]] == sorted(m["offset"] for m in body["matches"])


def test_get_check_works_like_post(client):
    r = client.get("/v2/check?text=Thanks!!&language=en", headers=HOST)
    assert r.status_code == 200
    assert "SHOUTING" in {m["rule"]["id"] for m in r.get_json()["matches"]}


def u16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def test_utf16_offsets_and_context(client):
    prefix = "Thank you 😀 for the lovely review, "
    text = prefix + "we are glad you liked it!! See you soon."
    body = lt(client, text=text, language="en").get_json()
    m = next(m for m in body["matches"] if m["rule"]["id"] == "SHOUTING")
    start = text.index("!!")
    assert m["offset"] == u16(text[:start]) and m["length"] == 2
    ctx = m["context"]
    assert ctx["text"][ctx["offset"]:ctx["offset"] + ctx["length"]] == "!!"   # no astral chars left of it in ctx
    assert ctx["text"].startswith("...") and len(ctx["text"]) <= 2 * 40 + 2 + 6


def test_annotated_data_checks_text_parts_and_maps_offsets_to_the_whole(client):
    annotation = [{"markup": "<p class=\"x\">"}, {"text": "Dear customer, thanks"},
                  {"markup": "<b>!!!</b>"}, {"text": "!! We fixed it."},
                  {"markup": "</p>", "interpretAs": "\n\n"}]
    whole = "".join(p.get("text", p.get("markup", "")) for p in annotation)
    body = lt(client, data=json.dumps({"annotation": annotation}), language="en").get_json()
    matches = body["matches"]
    canned = next(m for m in matches if m["rule"]["id"] == "CANNED_PHRASE")
    assert whole[canned["offset"]:canned["offset"] + canned["length"]] == "Dear customer,"
    shout = next(m for m in matches if m["rule"]["id"] == "SHOUTING")
    # The checked text is "Dear customer, thanks!! We fixed it.": the markup's
    # "!!!" is not text, so only the two text "!" count.
    assert whole[shout["offset"]:shout["offset"] + shout["length"]] == "!!"
    assert shout["offset"] == whole.index("</b>!!") + len("</b>")
    assert not any(whole[m["offset"]:m["offset"] + m["length"]].startswith("<") for m in matches)


def test_annotated_data_with_emoji_counts_utf16(client):
    annotation = [{"markup": "<😀>"}, {"text": "Thanks!! Bye."}]
    whole = "<😀>Thanks!! Bye."
    m = next(m for m in lt(client, data=json.dumps({"annotation": annotation}), language="en")
             .get_json()["matches"] if m["rule"]["id"] == "SHOUTING")
    assert m["offset"] == u16(whole[:whole.index("!!")]) == 10


@pytest.mark.parametrize("data", ["not json", json.dumps([1, 2]), json.dumps({"annotation": "x"}),
                                  json.dumps({"annotation": [{"text": 3}]}),
                                  json.dumps({"annotation": [{"foo": "bar"}]})])
def test_bad_annotated_data_is_a_400_naming_data(client, data):
    r = lt(client, data=data, language="en")
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "data"


def test_disabled_rules_accept_both_id_styles(client):
    text = "Dear customer, thanks!!"
    ids = {m["rule"]["id"] for m in lt(client, text=text, language="en").get_json()["matches"]}
    assert "SHOUTING" in ids and "CANNED_PHRASE" in ids
    for value in ("SHOUTING", "shouting"):
        ids = {m["rule"]["id"] for m in lt(client, text=text, language="en", disabledRules=value).get_json()["matches"]}
        assert "SHOUTING" not in ids and "CANNED_PHRASE" in ids


def test_enabled_only_and_categories(client):
    text = "Dear customer, thanks!! Teh room."
    only = lt(client, text=text, language="en", enabledRules="SHOUTING", enabledOnly="true").get_json()["matches"]
    assert {m["rule"]["id"] for m in only} == {"SHOUTING"}
    no_typos = lt(client, text=text, language="en", disabledCategories="TYPOS").get_json()["matches"]
    assert "SPELLING" not in {m["rule"]["id"] for m in no_typos} and no_typos
    r = lt(client, text=text, language="en", enabledOnly="true")
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "enabledOnly"


def test_mother_tongue_sets_the_message_language(client):
    en = lt(client, text="Thanks!! Bye.", language="en").get_json()["matches"]
    ru = lt(client, text="Thanks!! Bye.", language="en", motherTongue="ru").get_json()["matches"]
    m_en = next(m for m in en if m["rule"]["id"] == "SHOUTING")
    m_ru = next(m for m in ru if m["rule"]["id"] == "SHOUTING")
    assert m_en["message"] != m_ru["message"]
    assert any("\u0400" <= ch <= "\u04ff" for ch in m_ru["message"])


@pytest.mark.parametrize("form,field,status", [
    ({"language": "en"}, "text", 400),
    ({"text": "hi", "language": "de-DE"}, "language", 400),
    ({"text": "hi", "language": "english please"}, "language", 400),
    ({"text": "hi", "language": "en", "motherTongue": "!!"}, "motherTongue", 400),
    ({"text": "x" * 20_001, "language": "en"}, "text", 413),
    ({"data": json.dumps({"annotation": [{"text": "x" * 20_001}]}), "language": "en"}, "data", 413),
])
def test_errors_name_the_field(client, form, field, status):
    r = lt(client, **form)
    assert r.status_code == status
    assert r.get_json()["error"]["field"] == field


def test_whole_draft_warnings_cover_a_sentence_and_replacements_fix_it(client):
    text = "We fixed the shower. See you soon."
    body = lt(client, text=text, language="en").get_json()
    thanks = next(m for m in body["matches"] if m["rule"]["id"] == "MISSING_THANKS")
    assert thanks["length"] > 0
    region = text[thanks["offset"]:thanks["offset"] + thanks["length"]]
    assert region.strip()
    fixed = text[:thanks["offset"]] + thanks["replacements"][0]["value"] + text[thanks["offset"] + thanks["length"]:]
    assert "thank" in fixed.lower()


def test_rule_ids_round_trip():
    assert lt_rule_id("canned-phrase") == "CANNED_PHRASE"
