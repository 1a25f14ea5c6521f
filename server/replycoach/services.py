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


def build_services(config: Config) -> Services:
    registry = PackRegistry(config.pack_roots)
    spell = None
    if config.spelling:
        from .spelling import SpellChecker
        spell = SpellChecker()
    history = None
    if config.history:
        from .history import History
        history = History(config.path("history.sqlite3"))
    checker = Checker(registry, spell=spell, history=history)
    return Services(config, registry, checker, history, spell)
