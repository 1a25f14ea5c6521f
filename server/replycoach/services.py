"""The long-lived parts of one server (or CLI run), built once."""
from __future__ import annotations

from dataclasses import dataclass

from .checker import Checker
from .config import Config
from .packs.registry import PackRegistry


@dataclass
class Services:
    config: Config
    registry: PackRegistry
    checker: Checker
    history: object | None
    spell: object | None
    token: str = ""


def build_services(config: Config) -> Services:
    registry = PackRegistry(config.pack_roots)
    spell = None
    if config.spelling:
        from .spelling import SpellChecker
        spell = SpellChecker()
        if config.preload:
            # Greek's dictionary takes ~0.5 s to load: not in a user's request.
            spell.preload([c for p in registry.current.packs.values() for c in p.languages])
    history = None
    if config.history:
        from .history import History
        history = History(config.path("history.sqlite3"))
    checker = Checker(registry, spell=spell, history=history)
    from .security import load_or_create_token
    token = load_or_create_token(config.path("token"))
    return Services(config, registry, checker, history, spell, token)
