"""Capitals and exclamation marks: shouting at the customer."""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import regex

from ..matching import Match, drop_overlaps
from ..textutil import Sentence, normalize_pattern, words

_BANGS = regex.compile(r"!(?:[!?¡1]*!)+|[!?]*!\?+!+[!?]*")
_LETTERS = regex.compile(r"\p{L}")
_TWO_CAPS = regex.compile(r"\p{Lu}[^\s\p{Lu}]*\p{Lu}")


@lru_cache(maxsize=4096)
def _info(word: str) -> tuple[int, bool, str]:
    """(letters, all in capitals, normalised form) of a word; words recur."""
    letters = len(_LETTERS.findall(word))
    return letters, word.isupper() and letters >= 1, normalize_pattern(word)


def find(text: str, sents: list[Sentence], acronyms: set[str]) -> list[Match]:
    found: list[Match] = []
    # A word in capitals has two capital letters in a row or near: most
    # sentences have none, and the word-by-word checks below are the slow
    # part. Only the sentences holding such a pair are read word by word.
    pairs = [m.start() for m in _TWO_CAPS.finditer(text)]
    if pairs:
        found += _caps(text, [s for s in sents if _holds(pairs, s)], acronyms)
    for m in _BANGS.finditer(text):
        repl = "?" if "?" in m.group() and m.group().rstrip("!").endswith("?") else "!"
        found.append(Match("shouting", m.start(), m.end(), m.group(), repl))
    return drop_overlaps(found)


def _holds(places: list[int], s: Sentence) -> bool:
    """Is one of the sorted `places` inside sentence `s`?"""
    i = bisect_left(places, s.start)
    return i < len(places) and places[i] < s.end


def _caps(text: str, sents: list[Sentence], acronyms: set[str]) -> list[Match]:
    found: list[Match] = []
    for s in sents:
        # no word spans two sentences: they split at spaces
        ws = [(a, b, w, *_info(w)) for a, b, w in words(text, s.start, s.end)]
        long = [w for w in ws if w[3] >= 2]
        caps = [w for w in long if w[4] and w[5] not in acronyms]
        # A whole sentence in capitals, even of short words, is one finding.
        if len(long) >= 3 and len(caps) == len(long):
            seg = text[s.start:s.end]
            fixed = seg[:1] + seg[1:].lower()
            found.append(Match("shouting", s.start, s.end, seg, fixed))
            continue
        for start, end, w, letters, is_caps, norm in ws:
            if letters >= 4 and is_caps and norm not in acronyms:
                at_start = text[s.start:start].strip() == ""
                fixed = w[:1] + w[1:].lower() if at_start else w.lower()
                found.append(Match("shouting", start, end, w, fixed))
    return found
