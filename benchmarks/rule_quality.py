"""Precision and recall of each rule on the pack's own examples, and the
share of warnings per rule on the realistic good replies (false positives).

Usage: python benchmarks/rule_quality.py [--out FILE]"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "server"))

from replycoach.config import Config  # noqa: E402
from replycoach.packs.testing import run_examples  # noqa: E402
from replycoach.services import build_services  # noqa: E402

LANGS = ["en", "ru", "af", "el", "et"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "rule_quality.md"))
    args = ap.parse_args()
    svc = build_services(Config(home=tempfile.mkdtemp(), history=False))
    report = run_examples(svc.registry, svc.checker, pack_ids=["reply-guidelines"])
    table = report.per_rule()
    rules = sorted({r for r, _ in table})
    lines = ["# Rule quality on the built-in pack's examples", "",
             "Precision = fired on its `fire` examples / fired on its `fire` + `pass` examples; "
             "recall = fired on `fire` examples / all `fire` examples. Cells: precision/recall (fire+pass examples).", "",
             "| rule | " + " | ".join(LANGS) + " | all |", "|---|" + "---|" * (len(LANGS) + 1)]
    for rule in rules:
        cells, tot = [], {"tp": 0, "fn": 0, "fp": 0, "tn": 0}
        for lang in LANGS:
            row = table.get((rule, lang))
            if not row:
                cells.append("-")
                continue
            for k in tot:
                tot[k] += row[k]
            cells.append(_cell(row))
        lines.append(f"| {rule} | " + " | ".join(cells) + f" | {_cell(tot)} |")
    fp = report.false_positives()
    lines += ["", "## Warnings on realistic good replies (false positives)", "",
              "| language | good replies | replies with any warning | rules that fired (replies) |", "|---|---:|---:|---|"]
    clean_fail = {}
    for o in report.outcomes:
        if o.example.expect == "clean" and o.fired:
            clean_fail[o.lang] = clean_fail.get(o.lang, 0) + 1
    for lang in LANGS:
        row = fp.get(lang, {"replies": 0})
        rules_fired = ", ".join(f"{k} ({v})" for k, v in sorted(row.items()) if k != "replies") or "none"
        lines.append(f"| {lang} | {row['replies']} | {clean_fail.get(lang, 0)} | {rules_fired} |")
    failed = report.failed
    lines += ["", f"Examples: {len(report.outcomes)}, failing: {len(failed)}."]
    for o in failed[:40]:
        lines.append(f"- {o.example.file}:{o.example.line} [{o.lang}] {o.example.rule or 'good reply'} {o.example.expect}: {o.detail}")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


def _cell(row) -> str:
    tp, fn, fp = row["tp"], row["fn"], row["fp"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"{precision:.2f}/{recall:.2f} ({tp + fn}+{fp + row['tn']})"


if __name__ == "__main__":
    sys.exit(main())
