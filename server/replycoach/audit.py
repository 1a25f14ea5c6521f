"""Bulk audit of replies already posted: read a CSV or JSONL export, check
every reply against the packs, and write an HTML report (inline SVG charts:
warnings per rule, per language, per rating) and a CSV of every warning.

Columns (CSV header or JSONL keys; case and spaces do not matter):
  reply text (required): reply, reply_text, response, answer, text
  review text: review, review_text          rating: rating, stars, score
  rating scale: rating_max                  author: author, reviewer, name
  review date: date, review_date            language: language, lang
  site: site, platform, source              reply date: reply_date, replied_at
`date` is the review's date; late replies are only judged when the reply's
own date is given too (otherwise every old review would look late). Replies
in the same file are compared with one another, so copy-pasted replies
raise `repeated-reply`.
"""
from __future__ import annotations

import csv
import html
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .request import RequestError, parse_check

ALIASES = {
    "reply": ("reply", "reply_text", "response", "answer", "text", "owner_reply", "reply_body"),
    "review": ("review", "review_text", "review_body", "comment"),
    "rating": ("rating", "stars", "score", "review_rating"),
    "rating_max": ("rating_max", "scale", "max_rating"),
    "author": ("author", "reviewer", "name", "review_author"),
    "date": ("date", "review_date", "reviewed_at", "created"),
    "reply_date": ("reply_date", "replied_at", "response_date"),
    "language": ("language", "lang", "reply_language"),
    "site": ("site", "platform", "source", "website"),
}
SEVERITY_COLORS = {"error": "#c62828", "warning": "#b26a00", "suggestion": "#1565c0"}


class AuditError(Exception):
    pass


@dataclass
class Row:
    number: int            # line (JSONL) or data row (CSV, 1 = first after the header)
    fields: dict
    result: dict | None = None
    error: str | None = None


@dataclass
class Audit:
    source: str
    rows: list[Row] = field(default_factory=list)

    @property
    def checked(self) -> list[Row]:
        return [r for r in self.rows if r.result is not None]

    def warnings(self):
        for row in self.checked:
            for w in row.result["warnings"]:
                yield row, w

    def per_rule(self) -> Counter:
        return Counter(w["rule"] for _, w in self.warnings())

    def per_language(self) -> Counter:
        return Counter(_language(row) for row, _ in self.warnings())

    def replies_per_language(self) -> Counter:
        return Counter(_language(row) for row in self.checked)

    def per_rating(self) -> Counter:
        return Counter(_rating_label(row) for row, _ in self.warnings())

    def replies_per_rating(self) -> Counter:
        return Counter(_rating_label(row) for row in self.checked)

    def severity_of(self) -> dict[str, str]:
        return {w["rule"]: w["severity"] for _, w in self.warnings()}


def _language(row: Row) -> str:
    return (row.result or {}).get("language", {}).get("code") or "unknown"


def _rating_label(row: Row) -> str:
    r = row.fields.get("rating")
    if r in (None, ""):
        return "no rating"
    try:
        value = float(r)
        top = float(row.fields.get("rating_max") or 5)
        value = 1 + (value - 1) * 4 / (top - 1) if top > 1 else value
        return f"{max(1, min(5, round(value)))}★"
    except (TypeError, ValueError):
        return "no rating"


def _canon(key: str) -> str | None:
    k = str(key).strip().lower().replace(" ", "_").replace("-", "_")
    for name, aliases in ALIASES.items():
        if k in aliases:
            return name
    return None


def _normalise(raw: dict) -> dict:
    out: dict = {}
    for key, value in raw.items():
        if key == "review" and isinstance(value, dict):   # JSONL may nest the review like the API
            for sub, v in value.items():
                name = {"text": "review", "date": "date"}.get(sub, _canon(sub))
                if name and name not in out:
                    out[name] = v
            continue
        name = _canon(key)
        if name and name not in out and value not in (None, ""):
            out[name] = value
    return out


def read_rows(path: str) -> list[Row]:
    if not os.path.exists(path):
        raise AuditError(f"{path}: no such file")
    lower = path.lower()
    rows: list[Row] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        if lower.endswith((".jsonl", ".ndjson", ".json")):
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    rows.append(Row(n, {}, error=f"line {n}: not JSON ({exc.msg})"))
                    continue
                if not isinstance(obj, dict):
                    rows.append(Row(n, {}, error=f"line {n}: not a JSON object"))
                    continue
                rows.append(Row(n, _normalise(obj)))
        else:
            sample = fh.read(8192)
            fh.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(fh, dialect=dialect)
            if not reader.fieldnames or not any(_canon(f) == "reply" for f in reader.fieldnames):
                raise AuditError(f"{path}: no reply column (one of: {', '.join(ALIASES['reply'])})")
            for n, raw in enumerate(reader, 1):
                rows.append(Row(n, _normalise({k: v for k, v in raw.items() if k is not None})))
    return rows


def _number(value):
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return float(str(value).replace(",", ".").split("/")[0].strip())
    except ValueError:
        raise RequestError("rating", "bad_value", f"rating {value!r} is not a number") from None


def request_body(fields: dict, ui_language: str = "en") -> dict:
    review = {}
    if fields.get("review"):
        review["text"] = str(fields["review"])
    rating = _number(fields.get("rating"))
    if rating is not None:
        review["rating"] = rating
    rmax = _number(fields.get("rating_max"))
    if rmax is not None:
        review["rating_max"] = rmax
    if fields.get("author"):
        review["author"] = str(fields["author"])
    lang = str(fields.get("language") or "").strip().lower()
    body = {"text": str(fields.get("reply") or ""), "language": lang if re.match(r"^[a-z]{2,3}$", lang) else "auto",
            "review": review or None, "ui_language": ui_language}
    if fields.get("site"):
        body["site"] = str(fields["site"])
    if fields.get("reply_date") and fields.get("date"):
        review["date"] = str(fields["date"])
        body["now"] = str(fields["reply_date"])
        body["review"] = review
    return body


def run(path: str, checker_factory, ui_language: str = "en", progress=None) -> Audit:
    """checker_factory(history) -> Checker; history is a throw-away store
    holding the replies checked so far (for repeated-reply)."""
    from .history import History
    audit = Audit(path, read_rows(path))
    tmp = tempfile.mkdtemp(prefix="replycoach-audit-")
    history = History(os.path.join(tmp, "history.sqlite3"))
    history.set_enabled(True)
    checker = checker_factory(history)
    try:
        for i, row in enumerate(audit.rows):
            if row.error:
                continue
            if not str(row.fields.get("reply") or "").strip():
                row.error = f"row {row.number}: the reply is empty"
                continue
            try:
                req = parse_check(request_body(row.fields, ui_language))
            except RequestError as exc:
                row.error = f"row {row.number}: {exc.field}: {exc.message}"
                continue
            row.result = checker.check(req)
            history.record(req.text)
            if progress:
                progress(i + 1, len(audit.rows))
    finally:
        history.close()
    return audit


# -- output -------------------------------------------------------------------

CSV_COLUMNS = ["row", "rule", "pack", "severity", "message", "quote", "start", "end",
               "language", "rating", "author", "date", "site", "reply"]


def _quote(text: str, span) -> str:
    if not span:
        return ""
    u16 = text.encode("utf-16-le")
    return u16[2 * span["start"]:2 * span["end"]].decode("utf-16-le", errors="replace")


def write_csv(audit: Audit, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for row, warn in audit.warnings():
            text = str(row.fields.get("reply") or "")
            span = warn.get("span")
            w.writerow([row.number, warn["rule"], warn["pack"], warn["severity"], warn["message"],
                        _quote(text, span), span["start"] if span else "", span["end"] if span else "",
                        _language(row), row.fields.get("rating", ""), row.fields.get("author", ""),
                        row.fields.get("date", ""), row.fields.get("site", ""), text])


def bar_chart(title: str, items: list[tuple[str, float]], colors: dict | None = None, chart_id: str = "") -> str:
    """A horizontal bar chart as inline SVG."""
    e = html.escape
    if not items:
        return f'<figure class="chart" id="{e(chart_id)}"><figcaption>{e(title)}</figcaption><p class="none">—</p></figure>'
    label_w, bar_w, row_h = 190, 360, 24
    top = max(v for _, v in items) or 1
    height = row_h * len(items) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{e(title)}" '
             f'width="100%" style="max-width:{label_w + bar_w + 60}px" viewBox="0 0 {label_w + bar_w + 60} {height}">']
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        w = max(2, round(bar_w * value / top)) if value else 0
        color = (colors or {}).get(label, "#2e7d5b")
        parts.append(f'<g class="bar" data-label="{e(label)}" data-value="{value}">'
                     f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{e(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 8}" rx="3" fill="{color}"/>'
                     f'<text x="{label_w + w + 6}" y="{y + 16}">{value:g}</text></g>')
    parts.append("</svg>")
    return f'<figure class="chart" id="{e(chart_id)}"><figcaption>{e(title)}</figcaption>{"".join(parts)}</figure>'


def _ordered_ratings(counter: Counter) -> list[tuple[str, int]]:
    order = ["1★", "2★", "3★", "4★", "5★", "no rating"]
    return [(k, counter[k]) for k in order if k in counter]


def render_html(audit: Audit) -> str:
    e = html.escape
    checked = audit.checked
    per_rule = audit.per_rule()
    sev = audit.severity_of()
    with_warnings = sum(1 for r in checked if r.result["warnings"])
    errors = sum(1 for _, w in audit.warnings() if w["severity"] == "error")
    replies_lang = audit.replies_per_language()
    replies_rating = audit.replies_per_rating()
    rule_colors = {rule: SEVERITY_COLORS.get(sev.get(rule), "#2e7d5b") for rule in per_rule}
    lang_items = sorted(audit.per_language().items(), key=lambda kv: -kv[1])
    charts = [
        bar_chart("Warnings per rule", per_rule.most_common(), rule_colors, "per-rule"),
        bar_chart("Warnings per language", lang_items, None, "per-language"),
        bar_chart("Warnings per rating", _ordered_ratings(audit.per_rating()), None, "per-rating"),
        bar_chart("Average warnings per reply, by rating",
                  [(k, round(v / max(1, replies_rating[k]), 1)) for k, v in _ordered_ratings(audit.per_rating())],
                  None, "per-rating-average"),
    ]
    rows_html = []
    worst = sorted(checked, key=lambda r: (-sum(1 for w in r.result["warnings"] if w["severity"] == "error"),
                                          -len(r.result["warnings"]), r.number))[:50]
    for r in worst:
        if not r.result["warnings"]:
            continue
        text = str(r.fields.get("reply") or "")
        marks = "".join(
            f'<li class="sev-{e(w["severity"])}"><b>{e(w["rule"])}</b> {e(w["message"])}'
            + (f' <q>{e(_quote(text, w["span"]))}</q>' if w.get("span") else "") + "</li>"
            for w in r.result["warnings"])
        rows_html.append(
            f'<tr><td>{r.number}</td><td>{e(_language(r))}</td><td>{e(_rating_label(r))}</td>'
            f'<td class="reply">{e(text)}</td><td><ul>{marks}</ul></td></tr>')
    problems = [r.error for r in audit.rows if r.error]
    lang_table = "".join(f"<tr><td>{e(k)}</td><td>{v}</td></tr>" for k, v in sorted(replies_lang.items()))
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reply Coach audit: {e(os.path.basename(audit.source))}</title>
<style>
body{{font:15px/1.45 system-ui,sans-serif;color:#1d2330;margin:24px auto;max-width:1100px;padding:0 16px}}
h1{{font-size:1.4em}} .stats{{display:flex;gap:16px;flex-wrap:wrap}}
.stat{{border:1px solid #d9dde5;border-radius:8px;padding:8px 14px}} .stat b{{display:block;font-size:1.6em}}
.charts{{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px;margin:16px 0}}
figure.chart{{margin:0;border:1px solid #d9dde5;border-radius:8px;padding:10px}} figcaption{{font-weight:600;margin-bottom:6px}}
svg text{{font-size:12px;fill:#1d2330}} table{{border-collapse:collapse;width:100%}}
td,th{{border-top:1px solid #e3e6ec;padding:6px;vertical-align:top;text-align:left}} td.reply{{white-space:pre-wrap;max-width:420px}}
ul{{margin:0;padding-left:18px}} li.sev-error b{{color:#c62828}} li.sev-warning b{{color:#b26a00}} li.sev-suggestion b{{color:#1565c0}}
.problems li{{color:#c62828}}
</style></head><body>
<h1>Reply Coach audit: {e(os.path.basename(audit.source))}</h1>
<p>Generated {generated}.</p>
<div class="stats">
<div class="stat" id="stat-replies"><b>{len(checked)}</b>replies checked</div>
<div class="stat" id="stat-flagged"><b>{with_warnings}</b>with at least one warning</div>
<div class="stat" id="stat-warnings"><b>{sum(per_rule.values())}</b>warnings</div>
<div class="stat" id="stat-errors"><b>{errors}</b>error-level warnings</div>
<div class="stat" id="stat-skipped"><b>{len(problems)}</b>rows skipped</div>
</div>
<div class="charts">{"".join(charts)}</div>
<h2>Replies per language</h2><table><tr><th>language</th><th>replies</th></tr>{lang_table}</table>
<h2>Replies with the most warnings</h2>
<table><tr><th>row</th><th>language</th><th>rating</th><th>reply</th><th>warnings</th></tr>{"".join(rows_html)}</table>
{"<h2>Rows skipped</h2><ul class='problems'>" + "".join(f"<li>{e(p)}</li>" for p in problems) + "</ul>" if problems else ""}
</body></html>
"""


def write_html(audit: Audit, path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render_html(audit))
