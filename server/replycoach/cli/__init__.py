"""The `replycoach` command line."""
from __future__ import annotations

import argparse
import sys

from . import audit, check, history, packs, serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="replycoach", description="Coach replies to customer reviews.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (serve, check, packs, history, audit):
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
