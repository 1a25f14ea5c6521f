"""Typing behaviour: debounced requests with the right body, UTF-16 offsets
with emoji and line breaks, drawn-overlay underlines, and the time from the
last keystroke to the underline."""
from __future__ import annotations

import time

import pytest

from .helpers import (DRAFT, expected_spans, layer, type_draft, underlined_highlights, underlined_textarea,
                      utf16_slice, wait_state)
from .test_sites import SITES, oracle_review

pytestmark = pytest.mark.browser

GOOGLE = next(s for s in SITES if s.page == "google.html")
TRIPADVISOR = next(s for s in SITES if s.page == "tripadvisor.html")


def test_typing_is_debounced_and_request_carries_context(browser, page, site_url, recording_proxy):
    browser.settings(serverUrl=recording_proxy.url, disabledRules=["too-long"])
    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    page.click(TRIPADVISOR.selector)
    started = time.monotonic()
    page.keyboard.type(DRAFT, delay=60)  # ~16 keys/s, well under the 400 ms debounce
    typed_at = time.monotonic()
    assert wait_state(page, TRIPADVISOR.name) == "ok"
    checks = [r for r in recording_proxy.log if r["path"] == "/api/v1/check"]
    # One request after the pause (a second one only if the test machine stalls).
    assert 1 <= len(checks) <= 2, [c["body"]["text"] for c in checks]
    assert all(c["time"] >= started + 0.4 for c in checks)
    body = checks[-1]["body"]
    # type() returns after its trailing 60 ms delay, hence 0.3 and not 0.4.
    assert checks[-1]["time"] - typed_at >= 0.3, "the request must wait for the pause in typing"
    assert body["text"] == DRAFT
    assert body["language"] == "auto"
    assert body["site"] == "127.0.0.1"
    assert body["disabled_rules"] == ["too-long"]
    assert body["ui_language"] == "en"
    review = oracle_review(TRIPADVISOR)
    assert body["review"] == review


@pytest.mark.parametrize("site", [GOOGLE, TRIPADVISOR], ids=["contenteditable", "textarea"])
def test_emoji_and_line_breaks_keep_spans_aligned(browser, page, site_url, replycoach_server, recording_proxy, site):
    browser.settings(serverUrl=recording_proxy.url)
    page.goto(f"{site_url}/{site.page}")
    page.click(site.selector)
    page.keyboard.type("Hi Anna 😀👍")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type(DRAFT)
    text = "Hi Anna 😀👍\n\n" + DRAFT
    assert wait_state(page, site.name) == "ok"
    # The editor's DOM (<div><br></div> for the empty line) reads back as the
    # text the user sees, so the server's offsets land on the right characters.
    assert recording_proxy.log[-1]["body"]["text"] == text
    result = replycoach_server.check(text, oracle_review(site))
    spans = expected_spans(result, text)
    bang = [s for s in spans if s[2] == "!!"]
    assert bang and bang[0][0] == len(text.encode("utf-16-le")) // 2 - 2, "server offsets are UTF-16"
    if site is TRIPADVISOR:
        assert underlined_textarea(page, site.name) == spans
    else:
        got = sorted(x for v in underlined_highlights(page).values() for x in v)
        assert got == sorted(utf16_slice(text, s, e) for s, e, _ in spans)


def test_overlay_mode_draws_boxes_under_the_spans(browser, page, site_url, replycoach_server, screenshots):
    browser.settings(underlineMode="overlay")
    try:
        page.goto(f"{site_url}/{GOOGLE.page}")
        type_draft(page, GOOGLE.selector, DRAFT)
        assert wait_state(page, GOOGLE.name) == "ok"
        assert sum(len(v) for v in underlined_highlights(page).values()) == 0
        result = replycoach_server.check(DRAFT, oracle_review(GOOGLE))
        for start, end, _ in expected_spans(result, DRAFT):
            want = page.eval_on_selector(GOOGLE.selector, """(el, [s, e]) => {
                const node = el.firstChild.nodeType === 3 ? el.firstChild : el.querySelector('*').firstChild;
                const r = document.createRange(); r.setStart(node, s); r.setEnd(node, e);
                const b = r.getBoundingClientRect(); return {x: b.x, y: b.bottom, w: b.width};
            }""", [start, end])
            boxes = layer(page, GOOGLE.name).locator(".rc-box").evaluate_all(
                "els => els.map(b => { const r = b.getBoundingClientRect(); return {x: r.x, y: r.bottom, w: r.width}; })")
            assert any(abs(b["x"] - want["x"]) < 1.5 and abs(b["w"] - want["w"]) < 1.5 and abs(b["y"] - want["y"]) < 4
                       for b in boxes), (want, boxes)
        screenshots(page, "overlay-mode-google")
    finally:
        browser.settings(underlineMode="auto")


def test_latency_from_last_keystroke_to_underline(page, site_url, record_property):
    """Measured, not just asserted: debounce (400 ms) + server + render."""
    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    samples = []
    for i in range(3):
        page.fill(TRIPADVISOR.selector, "")
        page.click(TRIPADVISOR.selector)
        page.keyboard.type(DRAFT.replace("customer", f"customer {i}"))
        t0 = time.monotonic()
        page.wait_for_function(
            "() => document.querySelector('replycoach-layer[data-for=response]')?.shadowRoot"
            ".querySelector('mark.rc-underline') && document.querySelector('replycoach-layer[data-for=response]')"
            ".getAttribute('data-state') === 'ok'", timeout=10000)
        samples.append((time.monotonic() - t0) * 1000)
    # Timing is reported, not asserted (speed goals live in benchmarks/);
    # the debounce itself is tested by counting requests above. The test
    # fails if the underline never appears.
    record_property("latency_ms", samples)
    print(f"keystroke->underline latency ms: {[round(s) for s in samples]}")
    assert len(samples) == 3


def test_reply_box_added_later_is_found(page, site_url, replycoach_server):
    """Boxes created after load (MutationObserver) get the same treatment,
    with the review of their own card."""
    page.goto(f"{site_url}/{GOOGLE.page}")
    page.click("#open-reply")
    box = "[aria-label='Reply to Markus Tamm']"
    page.wait_for_selector(box)
    type_draft(page, box, DRAFT)
    assert wait_state(page, "Reply to Markus Tamm") == "ok"
    L = layer(page, "Reply to Markus Tamm")
    L.locator(".rc-badge").click()
    summary = L.locator("[data-role=review]").inner_text()
    assert "Markus Tamm" in summary and "★ 5/5" in summary


def test_prefilled_box_inserted_without_focus_is_checked(page, site_url):
    """A saved draft rendered later by the page is noticed by the
    MutationObserver and checked without the user touching it."""
    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    page.wait_for_timeout(300)
    page.evaluate("""draft => {
        const t = document.createElement('textarea');
        t.id = 'saved-draft'; t.rows = 4; t.style.width = '600px'; t.value = draft;
        document.querySelector('form').append(t);
    }""", DRAFT)
    assert wait_state(page, "saved-draft") == "ok"
    assert int(layer(page, "saved-draft").locator(".rc-badge").get_attribute("data-total")) >= 1
    assert page.input_value("#saved-draft") == DRAFT


def test_clicking_underlined_text_opens_its_card(page, site_url):
    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    type_draft(page, TRIPADVISOR.selector, DRAFT)
    assert wait_state(page, TRIPADVISOR.name) == "ok"
    L = layer(page, TRIPADVISOR.name)
    mark = L.locator("mark.rc-underline[data-start='51']")  # "!!"
    box = mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    focused = L.locator(".rc-card.rc-focus")
    focused.wait_for()
    assert focused.get_attribute("data-rule") == "shouting"
    page.keyboard.press("Escape")  # focus is in the field: Escape there is the page's
    page.mouse.click(5, 5)  # a click elsewhere closes the panel
    assert L.locator(".rc-panel").is_hidden()


def test_mirror_follows_textarea_scroll(page, site_url):
    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    long_text = "".join(f"Line {i} of our reply.\n" for i in range(30)) + DRAFT
    page.fill(TRIPADVISOR.selector, long_text)
    page.eval_on_selector(TRIPADVISOR.selector, "el => { el.scrollTop = el.scrollHeight; }")
    assert wait_state(page, TRIPADVISOR.name) == "ok"
    bang = layer(page, TRIPADVISOR.name).locator("mark.rc-underline").filter(has_text="!!")
    area = page.locator(TRIPADVISOR.selector).bounding_box()
    b = bang.bounding_box()
    assert area["y"] <= b["y"] and b["y"] + b["height"] <= area["y"] + area["height"], (area, b)
    # Scrolled back up, the mark scrolls out of view with the text.
    page.eval_on_selector(TRIPADVISOR.selector, "el => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); }")
    page.wait_for_timeout(100)
    assert bang.bounding_box()["y"] > area["y"] + area["height"]


def test_one_line_input_is_checked_when_focused(page, site_url):
    page.goto(f"{site_url}/optout.html")
    page.wait_for_timeout(400)
    assert layer(page, "one-line").count() == 0  # not before the user goes there
    type_draft(page, "#one-line", DRAFT)
    assert wait_state(page, "one-line") == "ok"
    marks = layer(page, "one-line").locator("mark.rc-underline")
    assert "!!" in marks.all_text_contents()
    field = page.locator("#one-line").bounding_box()
    b = marks.filter(has_text="!!").bounding_box()
    assert field["y"] <= b["y"] and b["y"] + b["height"] <= field["y"] + field["height"] + 1
