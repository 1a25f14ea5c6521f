"""A plain-Python evaluator of pack rules, written independently of
replycoach.conditions and the engine, to fuzz durable-rules against."""
from __future__ import annotations

_CMP = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
}


def _value(v, settings):
    return settings[v[1:]] if isinstance(v, str) and v.startswith("$") else v


def _same_kind(a, b) -> bool:
    num = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, num) and isinstance(b, num):
        return True
    return type(a) is type(b)


def holds(cond, fact: dict, settings: dict) -> bool:
    if not cond:
        return True
    for key, spec in cond.items():
        if key == "any":
            if not any(holds(alt, fact, settings) for alt in spec):
                return False
            continue
        if key not in fact:
            return False
        actual = fact[key]
        if isinstance(spec, dict):
            (op, want), = spec.items()
            if op == "in":
                if not any(holds({key: w}, fact, settings) for w in want):
                    return False
                continue
        else:
            op, want = "eq", spec
        want = _value(want, settings)
        if not _same_kind(actual, want):
            if op == "ne":
                continue
            return False
        if not _CMP[op](actual, want):
            return False
    return True


def evaluate(rules, contexts: list[dict], hits: list[dict]) -> set[tuple[str, int | None]]:
    """rules: (key, pack, settings, when, for_each, where). Returns the set
    of (key, hit index or None) that should fire."""
    fired = set()
    for key, pack, settings, when, for_each, where in rules:
        for ctx in contexts:
            if ctx.get("pack") != pack or not holds(when, ctx, settings):
                continue
            if for_each is None:
                fired.add((key, None))
                continue
            for i, hit in enumerate(hits):
                if hit.get("pack") == pack and hit.get("list") == for_each and holds(where, hit, settings):
                    fired.add((key, i))
    return fired
