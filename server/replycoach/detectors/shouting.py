"""Capitals and exclamation marks: shouting at the customer."""
from __future__ import annotations

import regex

from ..matching import Match, drop_overlaps
from ..textutil import Sentence, normalize_pattern, words

_BANGS = regex.compile(r"!(?:[!?¡1]*!)+|[!?]*!\?+!+[!?]*")
_LETTERS = regex.compile(r"\p{L}")


def _is_caps(word: str) -> bool:
    return word.isupper() and len(_LETTERS.findall(word)) >= 1


def find(text: str, sents: list[Sentence], acronyms: set[str]) -> list[Match]:
    found: list[Match] = []
    caps_sentences = set()
    for i, s in enumerate(sents):
        ws = [w for w in words(text[s.start:s.end]) if len(_LETTERS.findall(w[2])) >= 2]
        caps = [w for w in ws if _is_caps(w[2]) and normalize_pattern(w[2]) not in acronyms]
        # A whole sentence in capitals, even of short words, is one finding.
        if len(ws) >= 3 and len(caps) == len(ws):
            seg = text[s.start:s.end]
            fixed = seg[:1] + seg[1:].lower()
            found.append(Match("shouting", s.start, s.end, seg, fixed))
            caps_sentences.add(i)
    for i, s in enumerate(sents):
        if i in caps_sentences:
            continue
        for ws, we, w in words(text[s.start:s.end]):
            if len(_LETTERS.findall(w)) >= 4 and _is_caps(w) and normalize_pattern(w) not in acronyms:
                start = s.start + ws
                at_start = text[s.start:start].strip() == ""
                fixed = w[:1] + w[1:].lower() if at_start else w.lower()
                found.append(Match("shouting", start, s.start + we, w, fixed))
    for m in _BANGS.finditer(text):
        repl = "?" if "?" in m.group() and m.group().rstrip("!").endswith("?") else "!"
        found.append(Match("shouting", m.start(), m.end(), m.group(), repl))
    return drop_overlaps(found)
