"""The full rewrite: every warning's first suggestion that does not collide
with an earlier one, applied right to left so offsets stay valid."""
from __future__ import annotations

from .warnings import SEVERITY_ORDER, Suggestion, Warning


def plan(warnings: list[Warning]) -> tuple[list[tuple[str, Suggestion]], list[str]]:
    """Choose compatible suggestions: errors first, then warnings, then
    suggestions; an edit overlapping a chosen one is left out."""
    chosen: list[tuple[str, Suggestion]] = []
    ranked = sorted(warnings, key=lambda w: SEVERITY_ORDER[w.severity])
    for w in ranked:
        if not w.suggestions:
            continue
        s = w.suggestions[0]
        clashes = [c for c in chosen if _collide(s, c[1])]
        if clashes:
            # Deleting a whole sentence settles the edits inside it too
            # (a swear word inside an insult): keep the larger edit.
            if s.kind != "delete" or not all(_contains(s, c) for _, c in clashes):
                continue
            chosen = [c for c in chosen if c not in clashes]
        chosen.append((w.rule, s))
    applied = []
    for rule, _ in chosen:
        if rule not in applied:
            applied.append(rule)
    return chosen, applied


def _contains(outer: Suggestion, inner: Suggestion) -> bool:
    return inner.kind != "insert" and outer.start <= inner.start and inner.end <= outer.end


def _collide(a: Suggestion, b: Suggestion) -> bool:
    if a.kind == "insert" and b.kind == "insert":
        return a.start == b.start and a.text == b.text
    if a.kind == "insert":
        return b.start < a.start < b.end
    if b.kind == "insert":
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def apply(text: str, chosen: list[tuple[str, Suggestion]]) -> str:
    # Right to left; at one offset, edits before insertions, and insertions
    # in their `order` so "thanks" comes before "apology".
    edits = sorted((s for _, s in chosen),
                   key=lambda s: (s.start, 1 if s.kind != "insert" else 0, s.order),
                   reverse=True)
    left: dict[int, int] = {}
    for s in edits:
        if s.kind == "insert":
            left[s.start] = left.get(s.start, 0) + 1
    for s in edits:
        piece = s.text
        if s.kind == "insert":
            left[s.start] -= 1
            if left[s.start] and piece[:1].islower():
                # A sentence that is no longer the first one inserted here
                # starts a sentence of its own.
                piece = piece[:1].upper() + piece[1:]
        text = text[:s.start] + piece + text[s.end:]
    return text
