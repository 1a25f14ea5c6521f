"""Shared by CLI commands: building services without a server."""
from __future__ import annotations

import sys

from ..config import Config
from ..services import build_services


def services(pack_roots=None, history=True):
    return build_services(Config(pack_roots=pack_roots, history=history))


def die(message: str, code: int = 2) -> int:
    print(f"replycoach: {message}", file=sys.stderr)
    return code
