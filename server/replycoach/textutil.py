"""Text helpers: matching-friendly normalisation with an offset map back to
the original, sentence and word splitting, UTF-16 offsets."""
from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

# Typographic variants people paste from word processors and phones.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
})


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    """Normalised form of one character (may be empty or several chars)."""
    ch = ch.translate(_FOLD)
    if not ch:
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        if c == "ё":
            out.append("е")
            continue
        base = unicodedata.normalize("NFD", c)
        # Strip accents of Latin and Greek letters only: in Cyrillic a breve
        # makes a different letter (й is not и).
        if len(base) > 1 and base[0] < "\u0400":
            out.append("".join(x for x in base if not unicodedata.combining(x)))
        else:
            out.append(c)
    return "".join(out)


@dataclass(frozen=True)
class Normalized:
    """A normalised copy of a text; `index[i]` is the original offset of
    normalised char i, with one extra entry for the end."""
    text: str
    index: "tuple[int, ...] | range"   # a range when offsets are unchanged

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of normalised span [start, end)."""
        if end <= start:
            return self.index[start], self.index[start]
        return self.index[start], self.index[end - 1] + 1


class _CharTable(dict):
    """Code point -> normalised text, for str.translate: each character is
    worked out once (_norm_char), then the whole text is mapped in C."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _norm_char(ch)
        if len(out) != 1:
            _UNEVEN.add(ch)   # before translate returns: normalize() relies on it
        if len(self) < _TABLE_MAX:
            self[code] = out
        return out


# Characters that normalise to no character or several ("ß", "ﬁ", zero
# width): a few thousand in all of Unicode, so the set needs no bound.
_UNEVEN: set[str] = set()
_TABLE_MAX = 8192
_TABLE = _CharTable()


def normalize(text: str) -> Normalized:
    # Fast paths: most texts map one character to one character.
    if text.isascii() and "`" not in text:
        return Normalized(text.lower(), range(len(text) + 1))
    folded = text.translate(_TABLE)
    if _UNEVEN.isdisjoint(text):
        return Normalized(folded, range(len(text) + 1))   # no list of 1,000 offsets
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        n = _norm_char(ch)
        for c in n:
            chars.append(c)
            index.append(i)
    index.append(len(text))
    return Normalized("".join(chars), tuple(index))


def normalize_pattern(text: str) -> str:
    return "".join(_norm_char(c) for c in text)


# ".", "!" and "?" end a sentence; ";" (the Greek question mark) and an
# ellipsis only when a capital follows, so "visit; it reopens" and
# "thank you... we" stay one sentence, and "[...]" in a template is no end.
_SENTENCE_END = regex.compile(
    r"(?:(?<!\.)[.!?]+(?<!\.\.\.)|[!?]+)[\"')\]»”]*(?=\s|$)"
    r"|(?:[;…]|\.{3,})[\"')\]»”]*(?=\s+[\p{Lu}\p{N}\"«„“]|\s*$)"
    r"|\n\s*\n|\n")
_WORD = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}'’\-]*[\p{L}\p{M}]|[\p{L}\p{M}]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int  # exclusive, includes the closing punctuation, not trailing space


def sentences(text: str) -> list[Sentence]:
    """Split into sentences; good enough for counting and for deleting one."""
    out: list[Sentence] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        seg = text[pos:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            out.append(Sentence(pos + lead, pos + trail))
        pos = end
    if text[pos:].strip():
        seg = text[pos:]
        lead = len(seg) - len(seg.lstrip())
        out.append(Sentence(pos + lead, pos + len(seg.rstrip())))
    return out


def sentence_index(ends: list[int], offset: int) -> int:
    """The sentence `offset` is in (or before), given the sentences' ends in
    order; the last one for an offset past them all, 0 with none."""
    return max(0, min(bisect_right(ends, offset), len(ends) - 1))


_ASTRAL = regex.compile("[\U00010000-\U0010FFFF]")   # two UTF-16 units each (emoji)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of text[start:end], as offsets in `text`."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, len(text) if end is None else end)]


def utf16_offsets(text: str):
    """Return a function mapping a code-point offset to a UTF-16 offset."""
    if text.isascii() or not _ASTRAL.search(text):
        return lambda i: i
    acc = [0]
    for c in text:
        acc.append(acc[-1] + (2 if ord(c) >= 0x10000 else 1))
    return lambda i: acc[i]


def codepoint_offsets(text: str):
    """Inverse of utf16_offsets: UTF-16 offset -> code-point offset."""
    table = {}
    u = 0
    for i, c in enumerate(text):
        table[u] = i
        u += 2 if ord(c) >= 0x10000 else 1
    table[u] = len(text)
    return table.get
