"""Finds the packs, loads them, compiles them into one engine ruleset, and
keeps the last good version of each pack when a new one fails."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..conditions import HIT_FIELDS, compile_conditions
from ..engine import CompiledRule, Ruleset
from .loader import PackError, Problem, load_pack
from .model import Pack

BUILTIN_RULES_DIR = str(Path(__file__).resolve().parents[3] / "rules")


def pack_folders(roots: list[str]) -> list[str]:
    """Every folder with a pack.yaml directly in a root or one level below."""
    out: list[str] = []
    for root in roots:
        if not os.path.isdir(root):
            continue
        if os.path.exists(os.path.join(root, "pack.yaml")):
            out.append(os.path.abspath(root))
            continue
        for name in sorted(os.listdir(root)):
            folder = os.path.join(root, name)
            if os.path.exists(os.path.join(folder, "pack.yaml")):
                out.append(os.path.abspath(folder))
    return out


def default_roots() -> list[str]:
    """Built-in rules first, then REPLYCOACH_PACKS_PATH (later wins)."""
    roots = [os.environ.get("REPLYCOACH_RULES_DIR") or BUILTIN_RULES_DIR]
    extra = os.environ.get("REPLYCOACH_PACKS_PATH", "")
    roots += [p for p in extra.split(os.pathsep) if p]
    return roots


def compile_pack(pack: Pack) -> list[CompiledRule]:
    out = []
    for rule in pack.rules:
        out.append(CompiledRule(
            key=f"{pack.id}/{rule.id}#{rule.clause}", pack=pack.id, rule_id=rule.id,
            ctx_terms=tuple(compile_conditions(rule.when, pack.settings)),
            for_each=rule.for_each,
            hit_terms=tuple(compile_conditions(rule.where, pack.settings, HIT_FIELDS))))
    return out


@dataclass
class PackSet:
    """An immutable snapshot: what one request is checked against."""
    packs: dict[str, Pack]
    ruleset: Ruleset
    errors: dict[str, list[Problem]] = field(default_factory=dict)   # folder -> problems
    stale: set[str] = field(default_factory=set)   # pack ids kept from an earlier load

    def rule_of(self, key: str):
        pack_id, rest = key.split("/", 1)
        rule_id, clause = rest.rsplit("#", 1)
        pack = self.packs[pack_id]
        for r in pack.rules:
            if r.id == rule_id and r.clause == int(clause):
                return pack, r
        raise KeyError(key)


class PackRegistry:
    def __init__(self, roots: list[str] | None = None):
        self.roots = roots if roots is not None else default_roots()
        self._lock = threading.Lock()
        self._good: dict[str, Pack] = {}   # folder -> last good pack
        self.current: PackSet | None = None
        self.reload()

    def reload(self) -> PackSet:
        with self._lock:
            errors: dict[str, list[Problem]] = {}
            stale: set[str] = set()
            loaded: dict[str, Pack] = {}
            for folder in pack_folders(self.roots):
                try:
                    pack = load_pack(folder)
                    compile_pack(pack)  # a pack that cannot compile is not good
                    self._good[folder] = pack
                    if pack.warnings:
                        errors[folder] = list(pack.warnings)
                except PackError as exc:
                    errors[folder] = exc.problems
                    pack = self._good.get(folder)
                    if pack is None:
                        continue
                    stale.add(pack.id)
                except Exception as exc:  # never let one pack take the server down
                    errors[folder] = [Problem(folder, 0, f"cannot load: {exc}")]
                    pack = self._good.get(folder)
                    if pack is None:
                        continue
                    stale.add(pack.id)
                if pack.id in loaded:
                    errors.setdefault(folder, []).append(
                        Problem(os.path.join(folder, "pack.yaml"), 1,
                                f"pack id {pack.id!r} is already used by {loaded[pack.id].path}; this one wins"))
                loaded[pack.id] = pack
            rules = [r for p in loaded.values() for r in compile_pack(p)]
            self.current = PackSet(loaded, Ruleset(rules), errors, stale)
            return self.current
