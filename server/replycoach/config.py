"""Where Reply Coach keeps its local state."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _cache_dir() -> str:
    # Compact dictionary copies: per machine, not per REPLYCOACH_HOME, so a
    # fresh home (tests, benchmarks) does not rebuild them.
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return os.environ.get("REPLYCOACH_CACHE") or os.path.join(base, "replycoach")


@dataclass
class Config:
    home: str = field(default_factory=lambda: os.environ.get("REPLYCOACH_HOME") or str(Path.home() / ".replycoach"))
    pack_roots: list[str] | None = None     # None: built-in rules + REPLYCOACH_PACKS_PATH
    spelling: bool = True
    history: bool = True
    watch_packs: bool = False               # hot reload (the server turns it on)
    preload: bool = False                   # load dictionaries at start (the server does)
    cache_dir: str | None = field(default_factory=_cache_dir)  # None: no compact dictionaries
    dictionary_idle_s: float | None = 1800.0  # unload a language unused this long
    tune_malloc: bool | None = None         # glibc arenas + periodic trim; None: when preloading (the server)
    max_body_bytes: int = 1_000_000
    allow_remote: bool = False               # bound beyond loopback (needs the token everywhere)
    testing: bool = False

    def path(self, name: str) -> str:
        os.makedirs(self.home, exist_ok=True)
        return os.path.join(self.home, name)
