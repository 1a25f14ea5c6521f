"""Spacing, doubled marks, unbalanced brackets and quotes, lower-case
sentence starts."""
from __future__ import annotations

import regex

from ..matching import Match, drop_overlaps
from ..textutil import Sentence

_GAP_MARK = regex.compile(r"[ \t][,.!?;:]")   # what every _SPACE_BEFORE match holds
_SPACE_BEFORE = regex.compile(r"(?<=\p{L}|\p{N}|[)\]»\"])[ \t]+([,.!?;:]+)(?![\p{N}])")
_NO_SPACE_AFTER = regex.compile(r"(?<=\p{Ll}{2,}|\p{N}[)\]]?)([,;!?]|\.(?=\p{Lu}))(?=\p{L})")
_DOUBLED = regex.compile(r"(?<![.])\.\.(?![.])|,{2,}|;{2,}|:{2,}|\?{2,}|(?:\?!){1,}\?+")
# Links, addresses and domains: their dots and colons are not punctuation.
# Three scans, each run only when its cheap sign is in the text.
_URL = regex.compile(r"(?:https?://|www\.)\S+", regex.I)
_EMAIL = regex.compile(r"\S+@\S+\.\S+")
_TLD = regex.compile(r"\.(?:com|net|org|ru|ee|gr|za|co|io|eu|info)\b", regex.I)
_DOMAIN = regex.compile(r"\b[\w-]+\.(?:com|net|org|ru|ee|gr|za|co|io|eu|info)\b", regex.I)
_LETTERS = regex.compile(r"\p{L}+")
_ITEM_CHAR = regex.compile(r"[\p{N}a-zA-Z]")
_ITEM_MARK = regex.compile(r"(^|\s)[\p{N}a-zA-Z]\)$")
_PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("„", "“"))


def _masked(text: str) -> list[tuple[int, int]]:
    spans = []
    lower = text.lower()
    if "http" in lower or "www." in lower:
        spans += [(m.start(), m.end()) for m in _URL.finditer(text)]
    if "@" in text:
        spans += [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    if _TLD.search(text):
        spans += [(m.start(), m.end()) for m in _DOMAIN.finditer(text)]
    return spans


def _inside(pos: int, spans) -> bool:
    return any(s <= pos < e for s, e in spans)


def find(text: str, sents: list[Sentence]) -> list[Match]:
    skip = _masked(text)
    found: list[Match] = []
    # Most drafts have no space before a mark: one quick search, not the
    # look-behind at every character.
    if _GAP_MARK.search(text):
        for m in _SPACE_BEFORE.finditer(text):
            if not _inside(m.start(), skip) and m.group(1) not in ("...", "…"):
                found.append(Match("punctuation", m.start(), m.end(), m.group(), m.group(1)))
    for m in _NO_SPACE_AFTER.finditer(text):
        if not _inside(m.start(), skip):
            found.append(Match("punctuation", m.start(), m.end(), m.group(), m.group() + " "))
    for m in _DOUBLED.finditer(text):
        if not _inside(m.start(), skip):
            found.append(Match("punctuation", m.start(), m.end(), m.group(), m.group()[0]))
    found.extend(_unbalanced(text))
    for s in sents:
        first = _LETTERS.match(text, s.start, s.end)   # a sentence starting with a word
        if not first or _inside(s.start, skip):
            continue
        word = first.group()
        # iPhone, eBay: a capital inside the word means a brand, not a slip.
        if word[0].islower() and not any(c.isupper() for c in word[1:]):
            found.append(Match("punctuation", s.start, s.start + 1, word[0], word[0].upper()))
    return drop_overlaps(found)


def _unbalanced(text: str) -> list[Match]:
    out: list[Match] = []
    for open_, close in _PAIRS:
        if open_ not in text and close not in text:
            continue
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch == open_:
                stack.append(i)
            elif ch == close:
                if stack:
                    stack.pop()
                elif not (open_ == "(" and i > 0 and _ITEM_CHAR.match(text[i - 1]) and
                          _ITEM_MARK.search(text[max(0, i - 2):i + 1])):
                    # "1)" or "a)" starts a list item: not a stray bracket
                    out.append(Match("punctuation", i, i + 1, ch, None))
        out.extend(Match("punctuation", i, i + 1, open_, None) for i in stack)
    if text.count('"') % 2:
        last = text.rfind('"')
        out.append(Match("punctuation", last, last + 1, '"', None))
    return out
