"""replycoach check: one draft, or a JSONL batch (one request per line)."""
from __future__ import annotations

import json
import sys

from ..request import RequestError, parse_check
from .common import die, services

SEVERITY_MARK = {"error": "E", "warning": "W", "suggestion": "S"}


def add_parser(sub):
    p = sub.add_parser("check", help="check a draft reply")
    p.add_argument("text", nargs="?", help="the draft, or - to read it from standard input")
    p.add_argument("--review", help="the review being answered")
    p.add_argument("--rating", type=float)
    p.add_argument("--rating-max", type=float)
    p.add_argument("--author", help="the reviewer's name")
    p.add_argument("--date", help="the review's date (ISO 8601)")
    p.add_argument("--review-language")
    p.add_argument("--language", default="auto", help="the draft's language (default: detect)")
    p.add_argument("--ui-language", default="en")
    p.add_argument("--disable", action="append", default=[], metavar="RULE", help="switch a rule off")
    p.add_argument("--json", action="store_true", help="print the full response as JSON")
    p.add_argument("--jsonl", metavar="FILE", help="batch: one request object per line (- for stdin)")
    p.add_argument("--packs-path", action="append", help="check against the packs in this folder only")
    p.set_defaults(run=run)


def run(args) -> int:
    svc = services(args.packs_path)
    if args.jsonl:
        return _batch(svc, args.jsonl)
    if args.text is None:
        return die("give the draft as an argument, or - to read standard input")
    text = sys.stdin.read() if args.text == "-" else args.text
    review = {k: v for k, v in {"text": args.review, "rating": args.rating, "rating_max": args.rating_max,
                                "author": args.author, "date": args.date,
                                "language": args.review_language}.items() if v is not None}
    body = {"text": text, "language": args.language, "review": review or None,
            "ui_language": args.ui_language, "disabled_rules": args.disable}
    try:
        req = parse_check(body)
    except RequestError as exc:
        return die(f"{exc.field}: {exc.message}")
    result = svc.checker.check(req)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_human(text, result)
    return 1 if any(w["severity"] == "error" for w in result["warnings"]) else 0


def _print_human(text: str, result: dict):
    lang = result["language"]
    print(f"language: {lang['code'] or 'unknown'} ({lang['source']}, {lang['confidence']:.2f})")
    u16 = text.encode("utf-16-le")
    for w in result["warnings"]:
        where = ""
        if w["span"]:
            s, e = w["span"]["start"], w["span"]["end"]
            where = f" [{s}-{e}] \"{u16[2 * s:2 * e].decode('utf-16-le')}\""
        print(f"{SEVERITY_MARK[w['severity']]} {w['rule']}{where}: {w['message']}")
        for s in w["suggestions"][:3]:
            print(f"    -> {s['kind']} {s['text']!r}")
    if not result["warnings"]:
        print("no warnings")
    elif result["rewrite"]["applied"]:
        print("\nsuggested rewrite:\n" + result["rewrite"]["text"])


def _batch(svc, path: str) -> int:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    failures = 0
    with stream:
        for lineno, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                body = json.loads(line)
                out = svc.checker.check(parse_check(body))
            except json.JSONDecodeError as exc:
                failures += 1
                out = {"error": {"code": "bad_json", "message": f"line {lineno}: {exc.msg}", "line": lineno}}
            except RequestError as exc:
                failures += 1
                out = exc.to_dict()
                out["error"]["line"] = lineno
            print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failures else 0
