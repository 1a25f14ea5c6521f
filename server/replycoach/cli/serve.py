"""replycoach serve"""
from __future__ import annotations

from ..config import Config
from ..serve import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_THREADS


def add_parser(sub):
    p = sub.add_parser("serve", help="run the local server")
    p.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    p.add_argument("--workers", type=int, default=1,
                   help="processes serving requests (POSIX; each loads its own packs and dictionaries)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow binding beyond loopback; every endpoint then needs the token")
    p.add_argument("--no-reload", action="store_true", help="do not watch pack files")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..security import LOOPBACK_HOSTS
    from ..serve import serve
    from .common import die
    if args.host not in LOOPBACK_HOSTS and not args.allow_remote:
        return die(f"refusing to listen on {args.host}: other machines could read your drafts. "
                   "Add --allow-remote (every request then needs the token).")
    config = Config(allow_remote=args.allow_remote, watch_packs=not args.no_reload, preload=True)
    if args.workers < 1:
        return die("--workers must be at least 1")
    serve(args.host, args.port, config, threads=args.threads, workers=args.workers)
    return 0
