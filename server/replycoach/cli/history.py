"""replycoach history: the local store of sent replies."""
from __future__ import annotations

import json
import sys

from ..config import Config
from .common import die


def add_parser(sub):
    p = sub.add_parser("history", help="the local history of sent replies (for repeated-reply)")
    hs = p.add_subparsers(dest="history_command", required=True)
    hs.add_parser("status", help="on or off, retention").set_defaults(run=run)
    hs.add_parser("enable", help="start remembering sent replies").set_defaults(run=run)
    hs.add_parser("disable", help="stop remembering (stored replies stay until purge)").set_defaults(run=run)
    rec = hs.add_parser("record", help="remember a reply you sent")
    rec.add_argument("text", help="the reply, or - for standard input")
    rec.add_argument("--language", default="")
    rec.add_argument("--site", default="")
    rec.add_argument("--author", default="", help="the reviewer's name")
    rec.set_defaults(run=run)
    ls = hs.add_parser("list", help="stored replies, newest first")
    ls.add_argument("--limit", type=int, default=20)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=run)
    hs.add_parser("purge", help="delete every stored reply").set_defaults(run=run)
    ret = hs.add_parser("retention", help="keep replies this many days")
    ret.add_argument("days", type=int)
    ret.set_defaults(run=run)


def run(args) -> int:
    from ..history import History
    history = History(Config().path("history.sqlite3"))
    cmd = args.history_command
    if cmd == "enable":
        history.set_enabled(True)
    elif cmd == "disable":
        history.set_enabled(False)
    elif cmd == "record":
        text = sys.stdin.read() if args.text == "-" else args.text
        if not text.strip():
            return die("the reply is empty")
        rid = history.record(text, lang=args.language, site=args.site, author=args.author)
        if rid is None:
            return die("history is off: run `replycoach history enable` first", 1)
        print(f"recorded #{rid}")
        return 0
    elif cmd == "list":
        items = history.list(limit=args.limit)
        if args.json:
            print(json.dumps(items, ensure_ascii=False, indent=2))
        else:
            for item in items:
                print(f"#{item['id']} {item.get('created_at', '')} {item['text'][:80]!r}")
        return 0
    elif cmd == "purge":
        print(f"deleted {history.purge()} replies")
        return 0
    elif cmd == "retention":
        if not 1 <= args.days <= 3650:
            return die("retention must be 1..3650 days")
        history.set_retention_days(args.days)
    print(f"history: {'on' if history.enabled else 'off'}, replies kept {history.retention_days} days")
    return 0
