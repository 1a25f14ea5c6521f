"""Typing a draft into reply boxes on pages that imitate review sites: the
extension finds the review, asks the real server, and underlines exactly the
spans the server reports."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest

from .helpers import (DRAFT, badge_counts, expected_spans, field_text, layer, severity_counts, type_draft,
                      underlined_highlights, underlined_textarea, wait_state)

pytestmark = pytest.mark.browser

DRAFT_RU = "Уважаемый клиент, ваше мнение очень важно для нас!!"


def days_ago(n: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Site:
    page: str
    selector: str
    name: str  # the layer's data-for
    adapter: str
    review: dict  # what the adapter must extract (and the oracle is told)
    draft: str = DRAFT
    textarea: bool = True
    state_selector: str | None = None  # React state mirror
    extra: dict = field(default_factory=dict)


SITES = [
    Site("google.html", "[data-review-id^='ChdD'] [contenteditable]", "Reply publicly", "google",
         {"text": "The room was dirty when we arrived and the air conditioning did not work for two nights. "
                  "Nobody at reception seemed to care.",
          "rating": 2, "rating_max": 5, "author": "Anna Schmidt", "date": None}, textarea=False),
    Site("tripadvisor.html", "#response", "response", "tripadvisor",
         {"text": "We waited forty minutes to check in and our room faced the street, so we barely slept. "
                  "The breakfast was fine but the staff ignored our request to change rooms.",
          "rating": 2, "rating_max": 5, "author": "Olga P", "date": "2026-11-20T12:00:00.000Z"}),
    Site("yelp.html", "#public-comment", "public-comment", "yelp",
         {"text": "Ordered the tasting menu for our anniversary. Two courses came out cold and the waiter forgot "
                  "our wine pairing entirely.",
          "rating": 2, "rating_max": 5, "author": "Dana W.", "date": "2026-11-12T12:00:00.000Z"}),
    Site("trustpilot.html", "#reply-text", "reply-text", "trustpilot",
         {"text": "Parcel never arrived\nI ordered a coffee grinder three weeks ago, paid for express delivery, "
                  "and the parcel never arrived. Customer service has not answered my emails.",
          "rating": 1, "rating_max": 5, "author": "Peter Jansen", "date": "2026-11-18T09:14:00.000Z"}),
    Site("booking.html", "#review-response", "review-response", "booking",
         {"text": "Disappointing\nGood location near the old town.\nThe shower was broken and the room smelled "
                  "of smoke. We asked twice for help and nothing happened.",
          "rating": 4, "rating_max": 10, "author": "Eleni Papadopoulou", "date": "2026-11-15T12:00:00.000Z"}),
    Site("otzovik.html", "#comment", "comment", "otzovik",
         {"text": "Удобное расположение\nГрязный номер, хамский персонал\nЗаселились вечером, в номере было "
                  "грязно, бельё не поменяли. На ресепшене нам ответили, что это не их проблема. Больше не приедем.",
          "rating": 2, "rating_max": 5, "author": "Ирина_К", "date": "2026-11-19T12:00:00.000Z"}, draft=DRAFT_RU),
    Site("facebook.html", "[role=textbox]", "Write a reply…", "facebook",
         {"text": "Booked a sea-view room, got a room facing the car park. The manager said it was our problem.",
          "rating": 1, "rating_max": 5, "author": "Sander Kask", "date": "2026-11-18T08:00:00.000Z"}, textarea=False),
    Site("react.html", "#react-reply", "react-reply", "generic",
         {"text": "The delivery was two weeks late and the box was damaged. Support kept closing my ticket "
                  "without an answer.", "rating": 1, "rating_max": 5, "date": "2026-11-21T08:00:00.000Z"},
         state_selector="[data-testid=textarea-state]"),
    Site("react.html", "#react-editor", "react-editor", "generic",
         {"text": "The delivery was two weeks late and the box was damaged. Support kept closing my ticket "
                  "without an answer.", "rating": 1, "rating_max": 5, "date": "2026-11-21T08:00:00.000Z"},
         textarea=False, state_selector="[data-testid=editor-state]"),
]
SITE_IDS = [f"{s.page.split('.')[0]}-{s.name}" for s in SITES]


def oracle_review(site: Site) -> dict:
    review = {k: v for k, v in site.review.items() if v is not None}
    if site.page == "google.html":
        review["date"] = days_ago(2)  # "2 days ago" on the page
    return review


def open_site(page, base, site: Site, screenshots=None):
    page.goto(f"{base}/{site.page}")
    page.wait_for_selector(site.selector)
    type_draft(page, site.selector, site.draft)
    assert wait_state(page, site.name) == "ok"


@pytest.mark.parametrize("site", SITES, ids=SITE_IDS)
def test_underlines_match_server_spans(page, site_url, replycoach_server, screenshots, site):
    open_site(page, site_url, site)
    text = field_text(page, site.selector)
    assert text == site.draft, "the extension must not touch the draft while checking"

    result = replycoach_server.check(text, oracle_review(site))
    expected = expected_spans(result, text)
    assert any(e[2] == "!!" for e in expected), "the server should flag '!!' (shouting) in this draft"

    if site.textarea:
        got = underlined_textarea(page, site.name)
        assert got == expected
        for start, end, marked in got:
            assert text[start:end] == marked  # mirror text lines up with the field's text
        # The mirror sits on the field: every mark inside the textarea's box.
        box = page.locator(site.selector).bounding_box()
        for i in range(layer(page, site.name).locator("mark.rc-underline").count()):
            mb = layer(page, site.name).locator("mark.rc-underline").nth(i).bounding_box()
            assert box["x"] <= mb["x"] and mb["x"] + mb["width"] <= box["x"] + box["width"] + 1
            assert box["y"] <= mb["y"] and mb["y"] + mb["height"] <= box["y"] + box["height"] + 1
    else:
        got = underlined_highlights(page)
        by_sev = {"error": [], "warning": [], "suggestion": []}
        for w in result["warnings"]:
            sp = w.get("span")
            if sp and sp["end"] > sp["start"]:
                by_sev[w["severity"]].append(text[sp["start"]:sp["end"]])
        assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in by_sev.items()}

    # Our styles apply even under a strict CSP (facebook.html has one).
    assert layer(page, site.name).locator(".rc-badge").evaluate("b => getComputedStyle(b).borderTopLeftRadius") == "12px"

    # Badge counts and the cards are those of the server's answer for the
    # review the adapter must have found: a wrong rating or text shows here.
    assert badge_counts(page, site.name) == severity_counts(result)
    layer(page, site.name).locator(".rc-badge").click()
    cards = layer(page, site.name).locator(".rc-card")
    assert sorted(cards.evaluate_all("els => els.map(e => e.dataset.rule)")) == sorted(w["rule"] for w in result["warnings"])
    review_box = layer(page, site.name).locator("[data-role=review]")
    assert review_box.get_attribute("data-adapter") == site.adapter
    summary = review_box.inner_text()
    assert f"★ {site.review['rating']}/{site.review['rating_max']}" in summary
    if site.review.get("author"):
        assert site.review["author"] in summary
    screenshots(page, f"site-{site.page.split('.')[0]}-{re.sub(r'[^a-z]+', '-', site.name.lower())}")
