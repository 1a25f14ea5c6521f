"""`replycoach audit`: past replies in bulk (CSV or JSONL) -> HTML report
with inline SVG charts (per rule, language, rating) and a CSV of warnings."""
from __future__ import annotations

import csv
import json
import re

import pytest

from replycoach import audit as auditmod
from replycoach.checker import Checker
from replycoach.cli import main as cli_main

ROWS = [
    {"reply": "Dear customer, your opinion is very important to us!!", "review": "Cold room and rude staff",
     "rating": "1", "author": "Anna", "date": "2026-11-01", "language": "en", "site": "tripadvisor"},
    {"reply": "Hi Anna, thank you for telling us about the cold room. We are sorry: we have fixed the heating and "
              "will check every room before guests arrive.", "review": "Cold room", "rating": "2", "author": "Anna",
     "language": "en", "site": "google"},
    {"reply": "Dear customer, your opinion is very important to us!!", "review": "Nice stay", "rating": "5",
     "author": "Bob", "language": "en"},
    {"reply": "Спасибо за отзыв! Сами виноваты, надо было читать правила.", "review": "Ужасный сервис",
     "rating": "1", "author": "Иван", "language": "ru"},
    {"reply": "", "review": "x", "rating": "3"},
]


@pytest.fixture()
def factory(services):
    def make(history):
        return Checker(services.registry, detector=services.checker.detector, spell=services.spell, history=history)
    return make


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["reply", "review", "rating", "author", "date", "language", "site"])
        w.writeheader()
        for r in rows:
            w.writerow(r)


def test_audit_counts_warnings_per_rule_language_and_rating(tmp_path, factory):
    path = tmp_path / "replies.csv"
    write_csv(path, ROWS)
    audit = auditmod.run(str(path), factory)
    assert len(audit.checked) == 4
    assert [r.error for r in audit.rows if r.error] == ["row 5: the reply is empty"]
    per_rule = audit.per_rule()
    assert per_rule["canned-phrase"] >= 2           # the stock phrase, twice
    assert per_rule["repeated-reply"] == 1          # the second copy of the same reply
    assert per_rule["blame-customer"] >= 1
    by_row = {r.number: {w["rule"] for w in r.result["warnings"]} for r in audit.checked}
    assert "canned-phrase" not in by_row[2] and "missing-apology" not in by_row[2]
    assert "missing-apology" in by_row[1] and "missing-apology" not in by_row[3]   # rating 1 vs 5
    assert set(audit.per_language()) == {"en", "ru"}
    assert audit.per_rating()["1★"] == sum(len(r.result["warnings"]) for r in audit.checked
                                           if r.fields["rating"] == "1")
    assert sum(audit.per_rating().values()) == sum(per_rule.values())


def test_html_report_has_svg_charts_matching_the_counts(tmp_path, factory):
    path = tmp_path / "replies.csv"
    write_csv(path, ROWS)
    audit = auditmod.run(str(path), factory)
    out = tmp_path / "report.html"
    auditmod.write_html(audit, str(out))
    page = out.read_text(encoding="utf-8")
    for chart in ("per-rule", "per-language", "per-rating"):
        assert f'id="{chart}"' in page
    section = page.split('id="per-rule"', 1)[1].split("</figure>", 1)[0]
    bars = dict(re.findall(r'data-label="([^"]+)" data-value="(\d+)"', section))
    assert {k: int(v) for k, v in bars.items()} == dict(audit.per_rule())
    assert page.count("<svg") >= 3
    assert "<script" not in page                      # no JS needed
    assert "Сами виноваты" in page                     # replies are shown, escaped
    assert "row 5: the reply is empty" in page


def test_csv_lists_every_warning_with_its_quote(tmp_path, factory):
    path = tmp_path / "replies.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for r in ROWS[:4]:
            fh.write(json.dumps({"text": r["reply"], "review": {"text": r["review"], "rating": int(r["rating"])},
                                 "lang": r["language"]}, ensure_ascii=False) + "\n")
        fh.write("not json\n")
    audit = auditmod.run(str(path), factory)
    assert len(audit.checked) == 4 and audit.rows[-1].error.startswith("line 5: not JSON")
    out = tmp_path / "w.csv"
    auditmod.write_csv(audit, str(out))
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(audit.per_rule().values())
    canned = [r for r in rows if r["rule"] == "canned-phrase"]
    assert canned and all(r["quote"] and r["quote"].lower() in r["reply"].lower() for r in canned)
    assert {r["rating"] for r in rows} >= {"1"}


def test_a_file_without_a_reply_column_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("comment,stars\nnice,5\n", encoding="utf-8")
    with pytest.raises(auditmod.AuditError, match="no reply column"):
        auditmod.read_rows(str(path))


def test_cli_audit_writes_report_and_csv(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REPLYCOACH_HOME", str(tmp_path / "home"))
    path = tmp_path / "replies.csv"
    write_csv(path, ROWS[:3])
    assert cli_main(["audit", str(path), "-o", str(tmp_path / "out"), "--no-spelling"]) == 0
    out = capsys.readouterr().out
    assert "3 replies checked" in out
    assert (tmp_path / "out" / "replies-audit.html").exists()
    assert (tmp_path / "out" / "replies-audit.csv").read_text(encoding="utf-8").startswith("row,rule,pack,severity")
