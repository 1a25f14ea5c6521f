"""Small helpers shared by the browser tests."""
from __future__ import annotations

DRAFT = "Dear customer, your opinion is very important to us!!"
SETTLED = ("ok", "offline", "error")


def layer(page, field_name: str):
    return page.locator(f'replycoach-layer[data-for="{field_name}"]')


def wait_state(page, field_name: str, states=SETTLED, timeout: float = 15000):
    """Waits until the field's layer reports one of `states` and returns it."""
    states = list(states)
    page.wait_for_function(
        """([name, states]) => {
            const host = document.querySelector(`replycoach-layer[data-for="${name}"]`);
            return host && states.includes(host.getAttribute("data-state"));
        }""",
        arg=[field_name, states],
        timeout=timeout,
    )
    return layer(page, field_name).get_attribute("data-state")


def field_text(page, selector: str) -> str:
    return page.eval_on_selector(
        selector,
        """el => (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement)
                ? el.value
                : el.innerText.replace(/\\n$/, "")""",
    )


def type_draft(page, selector: str, text: str):
    page.click(selector)
    page.keyboard.type(text)


def underlined_textarea(page, field_name: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each underline mark in the field's mirror."""
    marks = layer(page, field_name).locator("mark.rc-underline")
    out = []
    for i in range(marks.count()):
        m = marks.nth(i)
        out.append((int(m.get_attribute("data-start")), int(m.get_attribute("data-end")), m.text_content()))
    return sorted(out)


def underlined_highlights(page) -> dict[str, list[str]]:
    """Text under each CSS Custom Highlight the extension registered."""
    return page.evaluate(
        """() => {
            const out = {};
            for (const sev of ["error", "warning", "suggestion"]) {
                const h = CSS.highlights.get("replycoach-" + sev);
                out[sev] = h ? [...h].map(r => r.toString()) : [];
            }
            return out;
        }"""
    )


def expected_spans(result: dict, text: str) -> list[tuple[int, int, str]]:
    spans = []
    for w in result["warnings"]:
        sp = w.get("span")
        if sp and sp["end"] > sp["start"]:
            spans.append((sp["start"], sp["end"], utf16_slice(text, sp["start"], sp["end"])))
    return sorted(spans)


def utf16_slice(text: str, start: int, end: int) -> str:
    b = text.encode("utf-16-le")
    return b[start * 2:end * 2].decode("utf-16-le")


def severity_counts(result: dict) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "suggestion": 0}
    for w in result["warnings"]:
        counts[w["severity"]] += 1
    return counts


def badge_counts(page, field_name: str) -> dict[str, int]:
    badge = layer(page, field_name).locator(".rc-badge")
    return {s: int(badge.get_attribute(f"data-{s}")) for s in ("error", "warning", "suggestion")}
