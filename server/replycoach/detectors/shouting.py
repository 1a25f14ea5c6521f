"""Capitals and exclamation marks: shouting at the customer."""
from __future__ import annotations

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
    # drafts have none, and the word-by-word checks below are the slow part.
    if _TWO_CAPS.search(text):
        found += _caps(text, sents, acronyms)
    for m in _BANGS.finditer(text):
        repl = "?" if "?" in m.group() and m.group().rstrip("!").endswith("?") else "!"
        found.append(Match("shouting", m.start(), m.end(), m.group(), repl))
    return drop_overlaps(found)


def _caps(text: str, sents: list[Sentence], acronyms: set[str]) -> list[Match]:
    found: list[Match] = []
    every = words(text)   # no word spans two sentences: they split at spaces
    k = 0
    for s in sents:
        while k < len(every) and every[k][0] < s.start:
            k += 1
        j = k
        while j < len(every) and every[j][1] <= s.end:
            j += 1
        ws = [(a, b, w, *_info(w)) for a, b, w in every[k:j]]
        k = j
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
