"""Runs the examples a pack ships (LanguageTool-style built-in examples):
each `fire` example must raise its rule, each `pass` example must not, and
each good reply must raise nothing."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

from ..checker import Checker
from ..request import RequestError, parse_check
from .model import Example, Pack
from .registry import PackRegistry

EXAMPLE_NOW = "2026-11-24T12:00:00Z"


@dataclass
class Outcome:
    pack: str
    lang: str
    example: Example
    ok: bool
    fired: list[str]
    detail: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def per_rule(self) -> dict[tuple[str, str], dict]:
        """(rule, lang) -> counts for precision and recall on the examples."""
        table: dict[tuple[str, str], dict] = {}
        for o in self.outcomes:
            if not o.example.rule:
                continue
            row = table.setdefault((o.example.rule, o.lang), {"tp": 0, "fn": 0, "fp": 0, "tn": 0})
            hit = o.example.rule in o.fired
            if o.example.expect == "fire":
                row["tp" if hit else "fn"] += 1
            else:
                row["fp" if hit else "tn"] += 1
        return table

    def false_positives(self) -> dict[str, dict]:
        """On good replies: lang -> {"replies": n, rule: replies it fired on}."""
        out: dict[str, dict] = {}
        for o in self.outcomes:
            if o.example.expect != "clean":
                continue
            row = out.setdefault(o.lang, {"replies": 0})
            row["replies"] += 1
            for rule in set(o.fired):
                row[rule] = row.get(rule, 0) + 1
        return out


def _history(texts: list[str]):
    from ..history import History
    tmp = tempfile.mkdtemp(prefix="replycoach-example-")
    h = History(f"{tmp}/history.sqlite3")
    h.set_enabled(True)
    for t in texts:
        h.record(t)
    return h


def run_examples(registry: PackRegistry, base: Checker, *, pack_ids=None, lang=None, rule=None,
                 isolate: bool = True) -> Report:
    """Run the examples of every pack (or of `pack_ids`). With `isolate`,
    each pack runs against itself alone: a base pack without the team packs
    that change it, a team pack layered on its base only."""
    from .registry import SnapshotView
    report = Report()
    packset = registry.current
    for pack in packset.packs.values():
        if pack_ids and pack.id not in pack_ids:
            continue
        reg, checker, own = registry, base, pack
        if isolate and hasattr(registry, "isolated"):
            snap = registry.isolated(pack.id)
            reg = SnapshotView(snap)
            checker = Checker(reg, detector=base.detector, spell=base.spell, history=None, clock=base.clock)
            own = snap.packs[pack.id]
        for code, language in own.langs.items():
            if lang and code != lang:
                continue
            for ex in language.examples:
                if rule and ex.rule != rule:
                    continue
                report.outcomes.append(_run_one(reg, checker, own, code, ex))
    return report


def _run_one(registry: PackRegistry, base: Checker, pack: Pack, code: str, ex: Example) -> Outcome:
    body = dict(ex.request)
    body.setdefault("now", ex.now or EXAMPLE_NOW)
    # A team pack's examples may be about its base's rules (with its lists).
    body.setdefault("packs", [pack.extends, pack.id] if pack.extends else [pack.id])
    try:
        req = parse_check(body)
    except RequestError as exc:
        return Outcome(pack.id, code, ex, False, [], f"bad example: {exc.field}: {exc.message}")
    checker = base
    if ex.history:
        checker = Checker(registry, detector=base.detector, spell=base.spell, history=_history(ex.history))
    result = checker.check(req)
    fired = [w["rule"] for w in result["warnings"]]
    if ex.expect == "fire":
        ok = ex.rule in fired
        detail = "" if ok else f"expected {ex.rule} to fire; got {sorted(set(fired)) or 'nothing'} (language {result['language']['code']})"
    elif ex.expect == "pass":
        ok = ex.rule not in fired
        detail = "" if ok else f"{ex.rule} fired: " + "; ".join(
            _describe(w, req.text) for w in result["warnings"] if w["rule"] == ex.rule)
    else:
        ok = not fired
        detail = "" if ok else "good reply raised: " + "; ".join(_describe(w, req.text) for w in result["warnings"])
    return Outcome(pack.id, code, ex, ok, fired, detail)


def _describe(w: dict, text: str) -> str:
    if w["span"]:
        # Spans are UTF-16; good enough for a message.
        return f"{w['rule']} at {w['span']['start']}-{w['span']['end']} {text.encode('utf-16-le')[2 * w['span']['start']:2 * w['span']['end']].decode('utf-16-le')!r}"
    return w["rule"]
