"""The trainer playground: scenarios from the packs' examples (HTTP), and the
page itself in real Chromium (Playwright) against the real server started
as users start it (`replycoach serve`)."""
from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .live_server import LiveServer, wait_until

from .conftest import ROOT

CORE = {"en", "ru", "af", "el", "et"}
SCREENSHOTS = Path(ROOT) / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("REPLYCOACH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


# -- HTTP (Flask test client) -------------------------------------------------------

def test_index_serves_the_playground(client):
    resp = client.get("/")
    assert resp.status_code == 200 and b'id="draft"' in resp.data
    assert client.get("/playground/playground.js").status_code == 200
    assert client.get("/playground/playground.css").status_code == 200


def test_scenarios_cover_every_core_language_with_review_and_draft(client):
    data = client.get("/api/v1/scenarios").get_json()
    items = data["scenarios"]
    langs = {s["language"] for s in items}
    assert CORE <= langs
    for code in CORE:
        with_review = [s for s in items if s["language"] == code and s["review"] and s["review"].get("text")]
        assert with_review, f"no scenario with a review in {code}"
    s = items[0]
    assert {"id", "pack", "language", "rule", "expect", "title", "text", "review", "now", "source"} <= set(s)
    only_ru = client.get("/api/v1/scenarios?language=ru").get_json()["scenarios"]
    assert only_ru and {x["language"] for x in only_ru} == {"ru"}


def test_a_scenario_checked_as_the_page_does_behaves_like_its_example(client):
    items = client.get("/api/v1/scenarios").get_json()["scenarios"]
    firing = [s for s in items if s["expect"] == "fire" and s["review"]][:10]
    assert firing
    for s in firing:
        body = {"text": s["text"], "review": s["review"], "now": s["now"], "packs": [s["pack"]]}
        rules = {w["rule"] for w in client.post("/api/v1/check", json=body).get_json()["warnings"]}
        assert s["rule"] in rules, (s["source"], rules)


# -- the real server in real Chromium ---------------------------------------------------

def _get(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.loads(resp.read().decode("utf-8"))


def _post(url: str, body: dict):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read().decode("utf-8"))


def _Server(home: str, packs_path: str, reload: bool) -> LiveServer:
    return LiveServer(home, {"REPLYCOACH_PACKS_PATH": packs_path}, () if reload else ("--no-reload",), timeout=120)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = _Server(str(tmp_path_factory.mktemp("pg-home")), f"{ROOT}/rules/examples", reload=False)
    _post(srv.url + "/api/v1/check", {"text": "Warm-up."})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    yield b
    b.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(server.url + "/")
    pg.wait_for_selector("body[data-ready='1']")
    yield pg
    context.close()
    assert not errors, errors


def _shot(pg, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _pick(pg, title_part: str):
    value = pg.locator("#scenario option", has_text=title_part).first.get_attribute("value")
    pg.select_option("#scenario", value)


def _marks(pg) -> list[tuple[str, str]]:
    return [(m.get_attribute("data-rule"), m.text_content()) for m in pg.locator("#backdrop mark").all()]


def _wait_rules(pg, predicate, what: str):
    pg.wait_for_function(
        "(want) => { const r = [...document.querySelectorAll('#warnings .warning')].map(e => e.dataset.rule);"
        " return " + predicate + "; }", arg=what, timeout=20000)


@pytest.mark.browser
def test_scenarios_in_all_five_languages_are_offered(page):
    groups = page.locator("#scenario optgroup").evaluate_all("els => els.map(e => e.label)")
    langs = {g.rsplit("·", 1)[1].strip() for g in groups}
    assert CORE <= langs
    assert any(g.startswith("hotel-chain") for g in groups)


@pytest.mark.browser
def test_picking_a_scenario_highlights_what_the_server_found(page, server):
    _pick(page, "Cheap and careless")
    _wait_rules(page, "r.includes(want)", "banned-word")
    assert page.input_value("#draft").startswith("Thank you, Lisa.")
    assert page.input_value("#review") == "Expensive for what it is and the shower was broken."
    scenario = next(s for s in _get(server.url + "/api/v1/scenarios")["scenarios"] if s["title"] == "Cheap and careless")
    oracle = _post(server.url + "/api/v1/check", {"text": scenario["text"], "review": scenario["review"],
                                                  "now": scenario["now"], "ui_language": "en"})
    expected = sorted((w["rule"], scenario["text"][w["span"]["start"]:w["span"]["end"]])
                      for w in oracle["warnings"] if w["span"])
    assert sorted(_marks(page)) == expected
    assert ("banned-word", "cheap") in expected and ("banned-word", "no worries") in expected
    card = page.locator("#warnings .warning[data-rule='banned-word']").first
    assert card.get_attribute("data-pack") == "hotel-chain"
    assert "brand book 2.4" in card.locator(".explanation").text_content()
    assert "Aurora brand book 2.4" in card.locator(".sources").text_content()
    assert page.locator("#count").text_content() == str(len(oracle["warnings"]))
    _shot(page, "playground-scenario.png")


@pytest.mark.browser
def test_typing_checks_live_with_utf16_spans(page):
    page.click("#draft")
    page.keyboard.type("😀 Our rooms are cheap 😀 and the DND sign was ignored.")
    _wait_rules(page, "r.includes(want)", "banned-word")
    marks = _marks(page)
    assert ("banned-word", "cheap") in marks
    assert ("jargon", "DND sign") in marks or ("jargon", "DND") in marks
    # Clicking a warning selects its span in the draft.
    page.locator("#warnings .warning[data-rule='banned-word']").first.click()
    selected = page.evaluate("() => { const t = document.getElementById('draft'); return t.value.slice(t.selectionStart, t.selectionEnd); }")
    assert selected == "cheap"


@pytest.mark.browser
def test_applying_a_fix_changes_the_draft_and_rechecks(page):
    page.fill("#draft", "Thank you for your stay. Our rooms are cheap and clean. The Aurora team")
    _wait_rules(page, "r.includes(want)", "banned-word")
    page.locator("#warnings .warning[data-rule='banned-word'] .fixes button").first.click()
    _wait_rules(page, "!r.includes(want)", "banned-word")
    assert "cheap" not in page.input_value("#draft")


@pytest.mark.browser
def test_switching_the_team_pack_off(page):
    page.fill("#draft", "Thank you for your stay. Our rooms are cheap and clean.")
    _wait_rules(page, "r.includes(want)", "banned-word")
    page.uncheck("input[data-pack='hotel-chain']")
    _wait_rules(page, "!r.includes(want) && !r.includes('sign-off')", "banned-word")
    page.check("input[data-pack='hotel-chain']")
    _wait_rules(page, "r.includes(want)", "banned-word")


@pytest.mark.browser
def test_russian_interface_and_messages(page):
    page.select_option("#ui-lang", "ru")
    page.fill("#draft", "Спасибо за отзыв! Номера у нас дешёвые, но без проблем.")
    _wait_rules(page, "r.includes(want)", "banned-word")
    assert page.locator("h2 [data-i18n='warnings']").text_content() == "Замечания"
    msg = page.locator("#warnings .warning[data-rule='banned-word'] .message").first.text_content()
    assert "не наше слово" in msg
    _shot(page, "playground-ru.png")


@pytest.mark.browser
def test_presentation_mode_uses_large_type(page):
    _pick(page, "Hotel jargon")
    _wait_rules(page, "r.includes(want)", "jargon")
    before = page.eval_on_selector("#draft", "e => parseFloat(getComputedStyle(e).fontSize)")
    page.click("#present")
    assert page.get_attribute("#present", "aria-pressed") == "true"
    after = page.eval_on_selector("#draft", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert after >= 1.5 * before
    assert not page.is_visible(".packs-card")
    # The marks still sit on the same words at the new size.
    box_mark = page.locator("#backdrop mark").first.bounding_box()
    assert box_mark and box_mark["height"] >= 1.5 * before
    _shot(page, "playground-presentation.png")
    page.keyboard.press("Escape")
    assert page.get_attribute("#present", "aria-pressed") == "false"


# -- hot reload, end to end ----------------------------------------------------------------

@pytest.fixture(scope="module")
def hot_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("team-packs")
    shutil.copytree(f"{ROOT}/rules/examples/hotel-chain", root / "hotel-chain")
    srv = _Server(str(tmp_path_factory.mktemp("hot-home")), str(root), reload=True)
    srv.pack_dir = root / "hotel-chain"
    yield srv
    srv.stop()


def _wait_for(fn, what: str, timeout: float = 60.0):
    return wait_until(fn, timeout, what, interval=0.3)


@pytest.mark.browser
def test_hot_reload_in_the_running_server(hot_server, browser):
    url = hot_server.url
    lang = hot_server.pack_dir / "lang" / "en.yaml"
    original = lang.read_text(encoding="utf-8")
    text = "Thank you for your stay. Our rooms are affordable. The Aurora team"

    def banned():
        return [w for w in _post(url + "/api/v1/check", {"text": text, "language": "en"})["warnings"]
                if w["rule"] == "banned-word"]

    assert not banned()
    lang.write_text(original.replace("    - cheap*\n", "    - cheap*\n    - affordable\n"), encoding="utf-8")
    assert _wait_for(banned, "the new banned word to be picked up")

    # A broken edit is refused with file:line; the last good version stays active.
    rules = hot_server.pack_dir / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("severity: error", "severity: fatal"), encoding="utf-8")

    def refused():
        packs = _get(url + "/api/v1/packs")["packs"]
        hotel = next(p for p in packs if p["id"] == "hotel-chain")
        return hotel["stale"] and [e for e in hotel["errors"] if e["level"] == "error"]
    errors = _wait_for(refused, "the broken pack to be refused")
    assert any(e["file"].endswith("rules.yaml") and e["line"] == 12 and "severity" in e["message"] for e in errors), errors
    assert banned(), "the last good version must stay active"

    # The playground shows the refusal with file:line.
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.goto(url + "/")
    pg.wait_for_selector("body[data-ready='1']")
    pg.wait_for_selector("#refused li")
    assert "rules.yaml:12" in pg.locator("#refused li").first.text_content()
    _shot(pg, "playground-refused-pack.png")
    context.close()

    # A change that breaks the pack's own examples is refused too.
    rules.write_text(rules.read_text(encoding="utf-8").replace("severity: fatal", "severity: error"), encoding="utf-8")
    _wait_for(lambda: not next(p for p in _get(url + "/api/v1/packs")["packs"] if p["id"] == "hotel-chain")["stale"],
              "the fixed pack to be accepted")
    # Without this sign-off pattern, the sign-off "pass" examples fire.
    edited = original.replace("    - cheap*\n", "    - cheap*\n    - affordable\n")
    lang.write_text(edited.replace("    - (the )?aurora( hotels)? team\n", ""), encoding="utf-8")

    def example_failure():
        hotel = next(p for p in _get(url + "/api/v1/packs")["packs"] if p["id"] == "hotel-chain")
        return hotel["stale"] and [e for e in hotel["errors"] if "sign-off pass" in e["message"]]
    failures = _wait_for(example_failure, "the pack failing its examples to be refused")
    assert all(e["file"].endswith("lang/en.yaml") for e in failures)
    assert banned(), "the last good version (with 'affordable') must stay active"
