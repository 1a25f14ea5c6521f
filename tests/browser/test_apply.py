"""Applying a fix or the full rewrite edits the field through the browser's
editing commands: the text changes as the server suggested, the site's own
state (React) follows, and Ctrl+Z takes the change back."""
from __future__ import annotations

import re

import pytest

from .helpers import DRAFT, field_text, layer, wait_state
from .test_sites import SITES, SITE_IDS, Site, open_site, oracle_review

pytestmark = pytest.mark.browser

APPLY_SITES = [s for s in SITES if s.page in ("google.html", "tripadvisor.html", "react.html", "otzovik.html")]
APPLY_IDS = [i for s, i in zip(SITES, SITE_IDS) if s in APPLY_SITES]


def apply_edit(text: str, s: dict) -> str:
    # Offsets are UTF-16; the drafts here are BMP-only, so str indices agree.
    return text[:s["start"]] + (s.get("text") or "") + text[s["end"]:]


def wait_text(page, site: Site, expected: str):
    page.wait_for_function(
        """([sel, want]) => {
            const el = document.querySelector(sel);
            const v = (el instanceof HTMLTextAreaElement) ? el.value : el.innerText.replace(/\\n$/, "");
            return v === want;
        }""",
        arg=[site.selector, expected],
        timeout=5000,
    )


def assert_app_state(page, site: Site, expected: str):
    if site.state_selector:
        page.wait_for_function(
            "([sel, want]) => document.querySelector(sel).textContent.replace(/\\n$/, '') === want",
            arg=[site.state_selector, expected], timeout=5000)


def undo(page, site: Site):
    page.focus(site.selector)
    page.keyboard.press("Control+z")


@pytest.mark.parametrize("site", APPLY_SITES, ids=APPLY_IDS)
def test_apply_one_fix_then_undo(page, site_url, replycoach_server, screenshots, site):
    open_site(page, site_url, site)
    draft = field_text(page, site.selector)
    result = replycoach_server.check(draft, oracle_review(site))
    shouting = next(w for w in result["warnings"] if w["rule"] == "shouting")
    suggestion = shouting["suggestions"][0]
    expected = apply_edit(draft, suggestion)
    assert expected != draft

    layer(page, site.name).locator(".rc-badge").click()
    card = layer(page, site.name).locator(".rc-card[data-rule=shouting]")
    card.locator(".rc-apply").first.click()
    wait_text(page, site, expected)
    assert_app_state(page, site, expected)
    # The fixed text is re-checked: '!!' is gone, so is its warning.
    assert wait_state(page, site.name) == "ok"
    assert layer(page, site.name).locator(".rc-card[data-rule=shouting]").count() == 0
    screenshots(page, "apply-" + re.sub(r"[^a-z]+", "-", f"{site.page.split('.')[0]} {site.name}".lower()).strip("-"))

    undo(page, site)
    wait_text(page, site, draft)
    assert_app_state(page, site, draft)
    assert wait_state(page, site.name) == "ok"
    assert layer(page, site.name).locator(".rc-card[data-rule=shouting]").count() == 1


@pytest.mark.parametrize("site", [s for s in APPLY_SITES if s.page != "otzovik.html"],
                         ids=[i for s, i in zip(APPLY_SITES, APPLY_IDS) if s.page != "otzovik.html"])
def test_apply_full_rewrite_then_undo(page, site_url, replycoach_server, site):
    open_site(page, site_url, site)
    draft = field_text(page, site.selector)
    result = replycoach_server.check(draft, oracle_review(site))
    target = result["rewrite"]["text"]
    assert target != draft

    layer(page, site.name).locator(".rc-badge").click()
    layer(page, site.name).locator(".rc-rewrite").click()
    wait_text(page, site, target)
    assert_app_state(page, site, target)

    undo(page, site)
    wait_text(page, site, draft)
    assert_app_state(page, site, draft)


def test_stale_fix_is_not_applied(page, site_url, replycoach_server):
    """A fix computed for an older text must never edit the newer text: the
    extension re-checks instead."""
    site = next(s for s in SITES if s.page == "tripadvisor.html")
    open_site(page, site_url, site)
    layer(page, site.name).locator(".rc-badge").click()
    # Change the text behind the extension's back (no input event): offsets are stale now.
    page.eval_on_selector(site.selector, "el => { el.value = 'Hello!! ' + el.value; }")
    layer(page, site.name).locator(".rc-card[data-rule=shouting] .rc-apply").first.click()
    page.wait_for_timeout(300)
    assert field_text(page, site.selector) == "Hello!! " + DRAFT
