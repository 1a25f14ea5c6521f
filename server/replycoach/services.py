"""The long-lived parts of one server (or CLI run), built once."""
from __future__ import annotations

import os
from dataclasses import dataclass

from .checker import Checker
from .config import Config
from .packs.registry import PackRegistry

RECENT_CHECKS = 200  # languages of the last replies recorded decide what to preload


@dataclass
class Services:
    config: Config
    registry: PackRegistry
    checker: Checker
    history: object | None
    spell: object | None
    token: str = ""


def build_services(config: Config) -> Services:
    # malloc tuning suits a long-running server with many threads (preload
    # marks one) unless the config says otherwise.
    tune = config.preload if config.tune_malloc is None else config.tune_malloc
    if tune:
        from . import memory
        memory.limit_arenas()
        memory.trim_periodically()
    from .packs import schema
    schema.use_cache_folder(config.cache_dir)
    registry = PackRegistry(config.pack_roots)
    history = None
    if config.history:
        from .history import History
        history = History(config.path("history.sqlite3"))
    spell = None
    if config.spelling:
        from .spelling import SpellChecker
        spell = SpellChecker(
            cache_dir=os.path.join(config.cache_dir, "hunspell") if config.cache_dir else None,
            idle_unload_s=config.dictionary_idle_s)
        if config.preload:
            spell.preload(_preload_languages(registry, history))
    checker = Checker(registry, spell=spell, history=history)
    from .security import load_or_create_token
    token = load_or_create_token(config.path("token"))
    return Services(config, registry, checker, history, spell, token)


def _preload_languages(registry: PackRegistry, history) -> list[str]:
    """The packs' languages the user recently wrote in (all of them when
    nothing is recorded yet). Others load on first use: < 0.1 s each from
    the compact copies, so that check waits a little but is complete."""
    langs = sorted({c for p in registry.current.packs.values() for c in p.languages})
    try:
        recent = {r["lang"] for r in history.list(limit=RECENT_CHECKS)} if history is not None else set()
    except Exception:
        recent = set()
    used = [c for c in langs if c in recent]
    return used or langs
