"""Phrase-list patterns compiled to regexes and matched in Python.

durable-rules folds case for ASCII only, so all text matching happens here;
the engine only sees the resulting hit facts."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .textutil import Normalized, normalize_pattern

REGEX_TIMEOUT_S = 0.05  # a shared pack must never hang the server


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class Pattern:
    source: str
    compiled: regex.Pattern
    replace: str | None = None


@dataclass(frozen=True)
class Match:
    list: str
    start: int  # original code-point offsets
    end: int
    text: str
    replace: str | None
    alternatives: tuple[str, ...] = ()  # further replacements (spelling candidates)


_KEEP = set("()|?[]")


def _phrase_to_regex(phrase: str) -> str:
    """Translate the phrase syntax of docs/pack-format.md into a regex."""
    p = normalize_pattern(phrase.strip())
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(p):
        ch = p[i]
        if in_class:
            out.append(ch)
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == "*":
            out.append(r"[\p{L}\p{M}\p{N}'-]*")
        elif ch.isspace():
            while i + 1 < len(p) and p[i + 1].isspace():
                i += 1
            out.append(r"\s+")
        elif ch in _KEEP:
            out.append(ch)
        else:
            out.append(regex.escape(ch))
        i += 1
    return r"(?<![\p{L}\p{M}\p{N}])(?:" + "".join(out) + r")(?![\p{L}\p{M}\p{N}])"


def compile_pattern(entry) -> Pattern:
    """A list entry is a string or a mapping {p: ..., replace: ...}."""
    if isinstance(entry, dict):
        src, replace = entry.get("p"), entry.get("replace")
        if not isinstance(src, str) or not src.strip():
            raise PatternError("an entry mapping needs a non-empty 'p'")
        if replace is not None and not isinstance(replace, str):
            raise PatternError("'replace' must be text")
    elif isinstance(entry, str) and entry.strip():
        src, replace = entry, None
    else:
        raise PatternError("an entry must be a non-empty string or {p: ..., replace: ...}")
    if src.startswith("re:"):
        expr = src[3:]
    else:
        expr = _phrase_to_regex(src)
    try:
        compiled = regex.compile(expr, regex.V1)
    except regex.error as exc:
        raise PatternError(f"bad pattern {src!r}: {exc}") from None
    return Pattern(src, compiled, replace)


class PhraseList:
    def __init__(self, name: str, patterns: list[Pattern]):
        self.name = name
        self.patterns = patterns

    def find(self, norm: Normalized, original: str) -> list[Match]:
        found: list[Match] = []
        for pat in self.patterns:
            try:
                for m in pat.compiled.finditer(norm.text, timeout=REGEX_TIMEOUT_S):
                    if m.end() == m.start():
                        continue
                    s, e = norm.span(m.start(), m.end())
                    found.append(Match(self.name, s, e, original[s:e], pat.replace))
            except TimeoutError:
                continue  # a runaway pattern loses its hits, not the request
        return _drop_overlaps(found)


def _drop_overlaps(matches: list[Match]) -> list[Match]:
    """Keep the longest of overlapping hits, so one phrase warns once."""
    matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Match] = []
    for m in matches:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
