"""Pack problems on the options page and in the popup (a server with a team
pack folder on REPLYCOACH_PACKS_PATH: a refused pack, a pack with a warning,
a pack kept at its last good version), and the history of sent replies:
the options switch and "forget", the "I sent this reply" button with each of
its outcomes, and the repeated-reply warning it feeds."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from .conftest import EXTENSION
from ..live_server import REPLYCOACH, wait_until
from .helpers import layer, type_draft, wait_state
from .test_sites import SITES

pytestmark = pytest.mark.browser

EN = json.loads((EXTENSION / "_locales" / "en" / "messages.json").read_text(encoding="utf-8"))
TRIPADVISOR = next(s for s in SITES if s.page == "tripadvisor.html")  # review by "Olga P"
YELP = next(s for s in SITES if s.page == "yelp.html")  # review by "Dana W."

# The same reply to two reviewers: only the name differs.
REPLY = ("Dear {name}, thank you for taking the time to write about your visit. We have shared your "
         "comments with the whole team and we will use them to improve how we welcome our guests.")


def msg(key: str, *subs: str) -> str:
    text = EN[key]["message"]
    for sub in subs:
        text = re.sub(r"\$[A-Z]+\$", sub, text, count=1)
    return text


# --- pack problems ---------------------------------------------------------

def new_pack(folder, pack_id: str):
    subprocess.run([str(REPLYCOACH), "packs", "new", pack_id], cwd=folder, check=True, capture_output=True,
                   timeout=60)
    return folder / pack_id


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def break_rules(pack):
    """severity: maybe in the pack's first rule (the schema allows error, warning, suggestion)."""
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "severity: warning" in text, "`replycoach packs new` changed: adapt the test"
    rules.write_text(text.replace("severity: warning", "severity: maybe", 1), encoding="utf-8")
    return line_of(rules, "severity: maybe")


@pytest.fixture(scope="module")
def team_packs(tmp_path_factory, server_factory):
    """A team pack folder: `broken-team` (severity: maybe, refused) and
    `noted-team` (loads, with a warning)."""
    folder = tmp_path_factory.mktemp("team-packs")
    broken = new_pack(folder, "broken-team")
    break_rules(broken)
    noted = new_pack(folder, "noted-team")
    meta = noted / "pack.yaml"
    meta.write_text(re.sub(r"(?m)^disabled_rules: \[\]", "disabled_rules: [no-such-rule]",
                           meta.read_text(encoding="utf-8")), encoding="utf-8")
    assert "no-such-rule" in meta.read_text(encoding="utf-8")
    server = server_factory(REPLYCOACH_PACKS_PATH=str(folder))
    return {"server": server, "broken": broken, "noted": noted}


def shown_problems(item):
    """(level, "file:line: message") of each problem line in a pack's <li>."""
    return item.locator(".problem").evaluate_all(
        "els => els.map(e => [e.dataset.level, e.querySelector('.problem-text').textContent])")


def expected_problems(errors, pack: str):
    """The server names files from its working folder or absolutely; the
    extension shows them from the pack's folder on: "pack/rules.yaml:4: ..."."""
    def short(file):
        return file if not file.startswith("/") else pack + "/" + file.rsplit(f"/{pack}/", 1)[-1]
    return [[e["level"], f"{short(e['file'])}:{e['line']}: {e['message']}"] for e in errors]


@pytest.fixture()
def restore_server_url(browser, replycoach_server):
    yield
    browser.settings(serverUrl=replycoach_server.url)


def test_options_and_popup_show_pack_problems(browser, team_packs, restore_server_url, screenshots):
    server = team_packs["server"]
    browser.settings(serverUrl=server.url)
    listing = server.call("GET", "/api/v1/packs", token=None)[1]
    # The server's own view first: what the page has to show.
    refused = {r["path"].rstrip("/").split("/")[-1]: r for r in listing["refused"]}
    assert set(refused) == {"broken-team"}
    broken_line = line_of(team_packs["broken"] / "rules.yaml", "severity: maybe")
    packs = {p["id"]: p for p in listing["packs"]}
    assert any(e["level"] == "warning" for e in packs["noted-team"]["errors"])

    options = browser.extension_page("options/options.html")
    item = options.locator('#packs li[data-refused$="broken-team"]')
    item.wait_for(timeout=10000)
    assert msg("packRefused") in item.inner_text()
    problems = shown_problems(item)
    assert problems == expected_problems(refused["broken-team"]["errors"], "broken-team")
    # Independent of the server's answer: the file, the line, the reason.
    assert problems[0][0] == "error"
    assert problems[0][1].startswith(f"broken-team/rules.yaml:{broken_line}: ")
    assert "severity" in problems[0][1]
    # A pack that loads with a warning shows it as a warning.
    noted = options.locator('#packs li[data-pack="noted-team"]')
    assert shown_problems(noted) == expected_problems(packs["noted-team"]["errors"], "noted-team")
    assert ["warning"] == sorted({lvl for lvl, _ in shown_problems(noted)})
    assert "no-such-rule" in noted.inner_text()
    # Nothing is stale yet.
    assert options.locator("#packs li[data-stale]").count() == 0
    assert msg("packStaleHelp") not in options.inner_text("#packs")

    screenshots(options, "options-pack-problems")
    options.close()

    popup = browser.extension_page("popup/popup.html")
    popup.wait_for_selector("#server[data-state=connected]", timeout=10000)
    item = popup.locator('#packs li[data-refused$="broken-team"]')
    assert shown_problems(item) == expected_problems(refused["broken-team"]["errors"], "broken-team")
    assert popup.locator("#packs li[data-stale]").count() == 0
    assert shown_problems(popup.locator('#packs li[data-pack="noted-team"]'))[0][0] == "warning"
    popup.set_viewport_size({"width": 360, "height": 600})
    screenshots(popup, "popup-pack-problems")
    popup.close()


def test_a_pack_broken_while_in_use_is_marked_stale(browser, tmp_path, server_factory, restore_server_url,
                                                    screenshots):
    later = new_pack(tmp_path, "later-team")
    server = server_factory(REPLYCOACH_PACKS_PATH=str(tmp_path))
    browser.settings(serverUrl=server.url)
    options = browser.extension_page("options/options.html")
    options.locator('#packs li[data-pack="later-team"]').wait_for(timeout=10000)
    assert options.locator("#packs li[data-stale]").count() == 0
    assert msg("packStaleHelp") not in options.inner_text("#packs")

    # Broken after the server started: it keeps the last good version.
    line = break_rules(later)
    info = wait_until(
        lambda: next((p for p in server.call("GET", "/api/v1/packs", token=None)[1]["packs"]
                      if p["id"] == "later-team" and p["stale"]), None),
        timeout=20, what="the server to keep later-team at its last good version")
    options.click("#packsRefresh")
    stale = options.locator('#packs li[data-pack="later-team"][data-stale="true"]')
    stale.wait_for(timeout=10000)
    assert msg("packStaleHelp") in stale.inner_text()
    assert msg("packStale") in stale.locator(".pack-title").inner_text()
    problems = shown_problems(stale)
    assert problems == expected_problems(info["errors"], "later-team")
    assert problems[0] == ["error", f"later-team/rules.yaml:{line}: {info['errors'][0]['message']}"]
    assert options.locator("#packs li[data-stale]").count() == 1  # the built-in pack is not marked
    screenshots(options, "options-pack-stale")
    options.close()

    popup = browser.extension_page("popup/popup.html")
    popup.wait_for_selector("#server[data-state=connected]", timeout=10000)
    stale = popup.locator('#packs li[data-pack="later-team"][data-stale="true"]')
    assert msg("packStaleHelp") in stale.inner_text()
    assert shown_problems(stale) == problems
    assert popup.locator("#packs li[data-stale]").count() == 1
    popup.close()


# --- history of sent replies -----------------------------------------------

def history_items(server) -> list[dict]:
    status, body = server.call("GET", "/api/v1/history?limit=1000")
    assert status == 200, body
    return body["items"]


def history_enabled(server) -> bool:
    return server.call("GET", "/api/v1/history?limit=1")[1]["enabled"]


def set_history(server, enabled: bool):
    assert server.call("PUT", "/api/v1/history/settings", {"enabled": enabled})[0] == 200
    assert server.call("DELETE", "/api/v1/history")[0] == 200


@pytest.fixture()
def history(browser, replycoach_server):
    """History off and empty before and after (the session server is shared:
    a remembered reply would raise repeated-reply in other tests); the
    extension gets the server's token as the options page would store it."""
    set_history(replycoach_server, False)
    browser.settings(serverUrl=replycoach_server.url, token=replycoach_server.token)
    yield replycoach_server
    browser.settings(token="")
    set_history(replycoach_server, False)


def test_options_history_switch_and_forget(browser, history, screenshots):
    server = history
    options = browser.extension_page("options/options.html")
    switch = options.locator("#historyEnabled")
    options.wait_for_selector("#history-status[data-outcome=off]", timeout=10000)
    assert switch.is_enabled() and not switch.is_checked()
    assert switch.get_attribute("role") == "switch"
    assert msg("optHistoryEnabled") in options.inner_text("label[for=historyEnabled]")

    switch.click()
    options.wait_for_selector("#history-status[data-outcome=on]", timeout=10000)
    assert switch.is_checked()
    assert history_enabled(server) is True
    switch.click()
    options.wait_for_selector("#history-status[data-outcome=off]", timeout=10000)
    assert not switch.is_checked()
    assert history_enabled(server) is False
    # Keyboard: Space toggles the focused switch.
    switch.focus()
    options.keyboard.press("Space")
    options.wait_for_selector("#history-status[data-outcome=on]", timeout=10000)
    assert history_enabled(server) is True

    # Forget all: asks first; "Cancel" keeps everything.
    for i in range(2):
        status, body = server.call("POST", "/api/v1/history", {"text": f"Thank you for your review number {i}!"})
        assert status == 201 and body["recorded"], body
    dialogs = []

    def dismiss(d):
        dialogs.append(d.message)
        d.dismiss()

    options.once("dialog", dismiss)
    options.click("#historyForget")
    wait_until(lambda: dialogs, what="the confirmation")
    assert dialogs == [msg("optHistoryForgetConfirm")]
    options.wait_for_timeout(300)
    assert len(history_items(server)) == 2
    options.once("dialog", lambda d: d.accept())
    options.click("#historyForget")
    options.wait_for_selector("#history-status[data-outcome=forgotten]", timeout=10000)
    assert options.inner_text("#history-status") == msg("optHistoryForgotten", "2")
    assert history_items(server) == []
    assert history_enabled(server) is True  # forgetting does not switch it off

    # A wrong token: the server refuses, the page says so and nothing changes.
    options.fill("#token", "not-the-token")
    options.dispatch_event("#token", "change")
    options.wait_for_selector("#history-status[data-outcome=token]", timeout=10000)
    assert options.inner_text("#history-status") == msg("historyTokenWrong")
    assert switch.is_disabled()
    # No token at all.
    options.fill("#token", "")
    options.dispatch_event("#token", "change")
    options.wait_for_function(
        "t => document.querySelector('#history-status').textContent === t", arg=msg("optHistoryNeedsToken"),
        timeout=10000)
    assert history_enabled(server) is True
    # The token typed (not yet saved) is used at once.
    options.fill("#token", server.token)
    options.dispatch_event("#token", "change")
    options.wait_for_selector("#history-status[data-outcome=on]", timeout=10000)
    assert switch.is_checked() and switch.is_enabled()
    screenshots(options, "options-history")
    options.close()


def open_panel(page, site):
    L = layer(page, site.name)
    if L.locator(".rc-panel").is_hidden():
        L.locator(".rc-badge").click()
    return L


def edit(page, site, more: str):
    """Types `more` at the end of the draft and waits for its check."""
    page.click(site.selector)
    page.keyboard.press("Control+End")
    page.keyboard.type(more)
    assert wait_state(page, site.name, states=["ok"]) == "ok"


def press_sent(page, site):
    """Presses "I sent this reply" from the keyboard (focus, Enter)."""
    L = open_panel(page, site)
    button = L.locator("[data-role=sent-button]")
    assert button.inner_text() == msg("sentButton")
    button.focus()
    page.keyboard.press("Enter")
    status = L.locator("[data-role=sent-status]")
    status.wait_for(timeout=10000)
    return status


def test_sent_reply_is_recorded_and_a_near_copy_warns(browser, page, site_url, history, recording_proxy,
                                                       screenshots):
    server = history
    set_history(server, True)
    browser.settings(serverUrl=recording_proxy.url, token=server.token)
    first = REPLY.format(name="Olga")
    second = REPLY.format(name="Dana")
    # Before anything is remembered, the second draft is no repeat.
    assert "repeated-reply" not in {w["rule"] for w in server.check(second, {"author": "Dana W."})["warnings"]}

    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    type_draft(page, TRIPADVISOR.selector, first)
    assert wait_state(page, TRIPADVISOR.name) == "ok"
    status = press_sent(page, TRIPADVISOR)
    assert status.get_attribute("data-outcome") == "recorded"
    assert status.inner_text() == msg("sentRecorded")
    L = layer(page, TRIPADVISOR.name)
    assert L.locator("[data-role=sent-button]").is_disabled()  # once per text
    screenshots(page, "sent-reply-recorded")

    sent = [r for r in recording_proxy.log if r["path"] == "/api/v1/history"]
    assert len(sent) == 1 and sent[0]["method"] == "POST"
    assert sent[0]["headers"].get("x-replycoach-token") == server.token
    assert sent[0]["body"] == {"text": first, "language": "en", "site": "127.0.0.1", "author": "Olga P"}
    items = history_items(server)
    assert [(i["text"], i["author"], i["site"], i["lang"]) for i in items] == [(first, "Olga P", "127.0.0.1", "en")]

    # Editing the text makes the button available again.
    edit(page, TRIPADVISOR, " Best wishes.")
    L = open_panel(page, TRIPADVISOR)
    assert L.locator("[data-role=sent-button]").is_enabled()
    assert L.locator("[data-role=sent-status]").count() == 0

    # The same reply to another reviewer: the extension shows repeated-reply.
    page.goto(f"{site_url}/{YELP.page}")
    type_draft(page, YELP.selector, second)
    assert wait_state(page, YELP.name) == "ok"
    L = open_panel(page, YELP)
    card = L.locator('.rc-card[data-rule="repeated-reply"]')
    assert card.count() == 1
    oracle = [w for w in server.check(second, {"author": "Dana W."})["warnings"] if w["rule"] == "repeated-reply"]
    assert len(oracle) == 1 and card.locator(".rc-msg").inner_text() == (oracle[0]["message"] or "repeated-reply")
    screenshots(page, "repeated-reply")

    # Forgotten replies no longer count.
    set_history(server, True)
    edit(page, YELP, " Thanks.")
    L = open_panel(page, YELP)
    assert L.locator(".rc-card").count() > 0
    assert L.locator('.rc-card[data-rule="repeated-reply"]').count() == 0


def options_tabs(browser, url) -> list[int]:
    """Tab ids of open options pages, as the extension itself sees them
    (Playwright does not always report tabs an extension opens)."""
    return browser.worker.evaluate(
        """url => chrome.runtime.getContexts({contextTypes: ["TAB"]})
                .then(cs => cs.filter(c => c.documentUrl === url).map(c => c.tabId))""", url)


def test_sent_button_explains_history_off_and_token_problems(browser, page, site_url, history):
    server = history
    page.goto(f"{site_url}/{TRIPADVISOR.page}")
    type_draft(page, TRIPADVISOR.selector, REPLY.format(name="Olga"))
    assert wait_state(page, TRIPADVISOR.name) == "ok"

    # History is off: say so, and link to the settings where it is turned on.
    status = press_sent(page, TRIPADVISOR)
    assert status.get_attribute("data-outcome") == "off"
    assert msg("sentHistoryOff") in status.inner_text()
    link = status.locator("[data-role=open-options]")
    assert link.inner_text() == msg("sentTurnOn")
    options_url = f"chrome-extension://{browser.extension_id}/options/options.html"
    for tab in options_tabs(browser, options_url):  # left open by another test: openOptionsPage would reuse it
        browser.worker.evaluate("id => chrome.tabs.remove(id)", tab)
    wait_until(lambda: options_tabs(browser, options_url) == [], what="old options tabs to close")
    link.click()
    tabs = wait_until(lambda: options_tabs(browser, options_url), timeout=10, what="the options page to open")
    assert len(tabs) == 1
    browser.worker.evaluate("id => chrome.tabs.remove(id)", tabs[0])
    assert history_items(server) == []

    # A wrong token: 401 from the server.
    browser.settings(token="not-the-token")
    page.bring_to_front()
    edit(page, TRIPADVISOR, " Best wishes.")
    status = press_sent(page, TRIPADVISOR)
    assert status.get_attribute("data-outcome") == "token"
    assert msg("sentTokenProblem") in status.inner_text()
    assert status.locator("[data-role=open-options]").inner_text() == msg("sentOpenSettings")

    # No token at all: not even asked.
    browser.settings(token="")
    edit(page, TRIPADVISOR, " Bye.")
    status = press_sent(page, TRIPADVISOR)
    assert status.get_attribute("data-outcome") == "token"
    assert history_items(server) == []
