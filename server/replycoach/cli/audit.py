"""replycoach audit FILE.csv|FILE.jsonl: check past replies in bulk; write
an HTML report with charts and a CSV of every warning."""
from __future__ import annotations

import os
import sys

from .common import die


def add_parser(sub):
    p = sub.add_parser("audit", help="check past replies in bulk (CSV or JSONL) and write an HTML report and a CSV")
    p.add_argument("file", help="CSV (with a header) or JSONL: a reply column, optionally review, rating, author, "
                                "date, language, site (see docs/team-packs.md)")
    p.add_argument("-o", "--output", help="folder for the report (default: next to the file)")
    p.add_argument("--html", help="report path (default <file>-audit.html)")
    p.add_argument("--csv", help="warnings CSV path (default <file>-audit.csv)")
    p.add_argument("--ui-language", default="en", help="language of the messages (default en)")
    p.add_argument("--packs-path", action="append", help="audit against the packs in this folder only")
    p.add_argument("--no-spelling", action="store_true", help="skip the spelling rule (faster)")
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import audit as auditmod
    from ..checker import Checker
    from ..config import Config
    from ..services import build_services

    svc = build_services(Config(pack_roots=args.packs_path, history=False, spelling=not args.no_spelling))

    def factory(history):
        return Checker(svc.registry, detector=svc.checker.detector, spell=svc.spell, history=history)

    def progress(done, total):
        if sys.stderr.isatty() and (done % 25 == 0 or done == total):
            print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        audit = auditmod.run(args.file, factory, args.ui_language, progress)
    except auditmod.AuditError as exc:
        return die(str(exc))
    stem = os.path.splitext(os.path.basename(args.file))[0] + "-audit"
    out_dir = args.output or os.path.dirname(os.path.abspath(args.file))
    os.makedirs(out_dir, exist_ok=True)
    html_path = args.html or os.path.join(out_dir, stem + ".html")
    csv_path = args.csv or os.path.join(out_dir, stem + ".csv")
    auditmod.write_html(audit, html_path)
    auditmod.write_csv(audit, csv_path)
    checked = audit.checked
    flagged = sum(1 for r in checked if r.result["warnings"])
    print(f"{len(checked)} replies checked, {flagged} with warnings, "
          f"{sum(audit.per_rule().values())} warnings")
    for rule, n in audit.per_rule().most_common(10):
        print(f"  {n:5d}  {rule}")
    for row in audit.rows:
        if row.error:
            print(f"skipped: {row.error}", file=sys.stderr)
    print(f"report: {html_path}\nwarnings: {csv_path}")
    return 0
