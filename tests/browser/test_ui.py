"""Popup, options, offline state, opt-outs, per-site switch, review override
and the UI language."""
from __future__ import annotations

import json
import shutil
import tempfile

import pytest

from .conftest import EXTENSION, free_port, http_json, launch
from .helpers import DRAFT, badge_counts, field_text, layer, severity_counts, type_draft, wait_state
from .test_sites import SITES, open_site, oracle_review

pytestmark = pytest.mark.browser

TRIPADVISOR = next(s for s in SITES if s.page == "tripadvisor.html")
REACT = next(s for s in SITES if s.selector == "#react-reply")


def test_popup_shows_connected_server_and_its_packs(browser, replycoach_server, screenshots):
    popup = browser.extension_page("popup/popup.html")
    popup.wait_for_selector("#server[data-state=connected]", timeout=10000)
    listing = http_json(replycoach_server.url + "/api/v1/packs")
    packs, refused = listing["packs"], listing.get("refused", [])
    assert packs or refused, "the server should report the built-in pack, loaded or refused"
    shown = popup.locator("#packs li[data-pack]")
    assert sorted(shown.evaluate_all("els => els.map(e => e.dataset.pack)")) == sorted(p["id"] for p in packs)
    for p in packs:
        item = popup.locator('#packs li[data-pack="%s"]' % p["id"])
        assert p["name"] in item.inner_text() and p["version"] in item.inner_text()
        # Pack problems are shown, one line each.
        assert item.locator(".problem").count() == len(p.get("errors") or [])
    # Refused packs are listed with their reasons.
    assert popup.locator("#packs li[data-refused]").count() == len(refused)
    assert popup.locator("#server-help").is_hidden()
    popup.set_viewport_size({"width": 360, "height": 420})
    screenshots(popup, "popup-connected")
    popup.close()


def test_offline_server_shows_not_running_and_keeps_text(browser, page, site_url, replycoach_server, screenshots):
    browser.settings(serverUrl=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    type_draft(page, TRIPADVISOR.selector, DRAFT)
    assert wait_state(page, TRIPADVISOR.name) == "offline"
    assert field_text(page, TRIPADVISOR.selector) == DRAFT
    badge = layer(page, TRIPADVISOR.name).locator(".rc-badge")
    badge.click()
    offline = layer(page, TRIPADVISOR.name).locator("[data-role=offline]")
    assert "make serve" in offline.inner_text()
    assert layer(page, TRIPADVISOR.name).locator("mark.rc-underline").count() == 0
    screenshots(page, "offline-tripadvisor")

    popup = browser.extension_page("popup/popup.html")
    popup.wait_for_selector("#server[data-state=offline]", timeout=10000)
    assert "make serve" in popup.locator("#server-help").inner_text()
    assert popup.locator("#server-help").is_visible()
    popup.set_viewport_size({"width": 360, "height": 300})
    screenshots(popup, "popup-offline")
    popup.close()

    # Server back (settings fixed): the open page re-checks by itself.
    browser.settings(serverUrl=replycoach_server.url)
    assert wait_state(page, TRIPADVISOR.name, states=["ok"]) == "ok"
    assert field_text(page, TRIPADVISOR.selector) == DRAFT


def test_opt_out_fields_are_left_alone(page, site_url):
    page.goto(f"{site_url}/optout.html")
    for sel in ("#gramm-off", "#spell-off", "#ce-off", "#normal"):
        type_draft(page, sel, DRAFT)
    assert wait_state(page, "normal") == "ok"
    page.wait_for_timeout(600)  # past the debounce for the others too
    assert page.locator("replycoach-layer").count() == 1
    for name in ("gramm-off", "spell-off", "ce-off"):
        assert layer(page, name).count() == 0


def test_pause_on_site_removes_ui_and_is_stored(browser, page, site_url):
    open_site(page, site_url, TRIPADVISOR)
    layer(page, TRIPADVISOR.name).locator(".rc-badge").click()
    layer(page, TRIPADVISOR.name).locator(".rc-pause").click()
    page.wait_for_function("() => !document.querySelector('replycoach-layer')", timeout=5000)
    assert "127.0.0.1" in browser.get_settings()["disabledSites"]
    page.type(TRIPADVISOR.selector, " More text!!")
    page.wait_for_timeout(800)
    assert page.locator("replycoach-layer").count() == 0
    assert field_text(page, TRIPADVISOR.selector) == DRAFT + " More text!!"
    browser.settings(disabledSites=[])
    assert wait_state(page, TRIPADVISOR.name, states=["ok"]) == "ok"


def test_options_page_saves_settings_used_by_checks(browser, page, site_url, replycoach_server, screenshots):
    options = browser.extension_page("options/options.html")
    options.wait_for_function("() => document.querySelector('#serverUrl').value !== ''")
    assert options.input_value("#serverUrl") == replycoach_server.url
    options.fill("#serverUrl", "http://example.com:8765")
    options.click("button[type=submit]")
    assert options.locator("#saved.bad").is_visible()
    assert browser.get_settings()["serverUrl"] == replycoach_server.url  # refused, not stored
    options.fill("#serverUrl", replycoach_server.url + "/")
    options.fill("#disabledRules", "shouting\n")
    options.click("button[type=submit]")
    options.wait_for_selector("#saved.ok")
    stored = browser.get_settings()
    assert stored["serverUrl"] == replycoach_server.url and stored["disabledRules"] == ["shouting"]
    options.wait_for_selector("#server-status.ok", timeout=10000)
    screenshots(options, "options")
    options.close()

    open_site(page, site_url, TRIPADVISOR)
    result = replycoach_server.check(DRAFT, oracle_review(TRIPADVISOR), disabled_rules=["shouting"])
    assert "shouting" not in {w["rule"] for w in result["warnings"]}
    assert badge_counts(page, TRIPADVISOR.name) == severity_counts(result)
    assert layer(page, TRIPADVISOR.name).locator("mark.rc-underline").evaluate_all(
        "els => els.map(e => e.textContent)").count("!!") == 0


def test_user_can_override_the_review(page, site_url, replycoach_server, screenshots):
    open_site(page, site_url, REACT)
    layer(page, REACT.name).locator(".rc-badge").click()
    L = layer(page, REACT.name)
    L.locator("[data-role=review-edit]").click()
    review = {"text": "Great stay, thank you! The spa was wonderful.", "rating": 5, "rating_max": 5, "author": "Kai"}
    L.locator("[data-role=review-text]").fill(review["text"])
    L.locator("[data-role=review-rating]").fill("5")
    L.locator("[data-role=review-author]").fill("Kai")
    assert L.locator("[data-role=review-date]").input_value() == "2026-11-21"  # detected date kept by default
    L.locator("[data-role=review-date]").fill("")
    L.locator("[data-role=review-save]").click()
    assert wait_state(page, REACT.name) == "ok"
    summary = L.locator("[data-role=review]").inner_text()
    assert "Kai" in summary and "★ 5/5" in summary and "spa was wonderful" in summary
    result = replycoach_server.check(DRAFT, review)
    assert sorted(L.locator(".rc-card").evaluate_all("els => els.map(e => e.dataset.rule)")) == \
        sorted(w["rule"] for w in result["warnings"])
    screenshots(page, "review-override")


def test_russian_browser_gets_russian_ui_and_messages(playwright_instance, replycoach_server, site_url, screenshots):
    user_data_dir = tempfile.mkdtemp(prefix="replycoach-chromium-ru-")
    b = launch(playwright_instance, user_data_dir, lang="ru")
    try:
        b.settings(serverUrl=replycoach_server.url)
        page = b.context.new_page()
        open_site(page, site_url, TRIPADVISOR)
        L = layer(page, TRIPADVISOR.name)
        L.locator(".rc-badge").click()
        ru = json.loads((EXTENSION / "_locales" / "ru" / "messages.json").read_text(encoding="utf-8"))
        assert L.locator("[data-role=review-edit]").inner_text() == ru["editReview"]["message"]
        assert L.locator(".rc-pause").inner_text() == ru["pauseSite"]["message"].replace("$HOST$", "127.0.0.1")
        result = replycoach_server.check(DRAFT, oracle_review(TRIPADVISOR), ui_language="ru")
        shown = sorted(L.locator(".rc-msg").evaluate_all("els => els.map(e => e.textContent)"))
        assert shown == sorted(w["message"] or w["rule"] for w in result["warnings"])
        screenshots(page, "ui-russian")
    finally:
        b.context.close()
        shutil.rmtree(user_data_dir, ignore_errors=True)


def test_popup_switches_the_current_site_off_and_on(browser, page, site_url):
    open_site(page, site_url, TRIPADVISOR)
    popup = browser.context.new_page()
    page.bring_to_front()  # the popup asks the active tab which site it shows
    popup.goto(f"chrome-extension://{browser.extension_id}/popup/popup.html")
    popup.wait_for_selector("#site:not([hidden])", timeout=10000)
    assert "127.0.0.1" in popup.inner_text("#site-label")
    assert popup.is_checked("#site-enabled")
    popup.uncheck("#site-enabled")
    page.wait_for_function("() => !document.querySelector('replycoach-layer')", timeout=5000)
    assert browser.get_settings()["disabledSites"] == ["127.0.0.1"]
    popup.check("#site-enabled")
    assert wait_state(page, TRIPADVISOR.name, states=["ok"]) == "ok"
    assert browser.get_settings()["disabledSites"] == []
    popup.close()
