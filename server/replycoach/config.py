"""Where Reply Coach keeps its local state."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Config:
    home: str = field(default_factory=lambda: os.environ.get("REPLYCOACH_HOME") or str(Path.home() / ".replycoach"))
    pack_roots: list[str] | None = None     # None: built-in rules + REPLYCOACH_PACKS_PATH
    spelling: bool = True
    history: bool = True
    watch_packs: bool = False               # hot reload (the server turns it on)
    preload: bool = False                   # load dictionaries at start (the server does)
    max_body_bytes: int = 1_000_000
    allow_remote: bool = False               # bound beyond loopback (needs the token everywhere)
    testing: bool = False

    def path(self, name: str) -> str:
        os.makedirs(self.home, exist_ok=True)
        return os.path.join(self.home, name)
