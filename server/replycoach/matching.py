"""Phrase-list patterns compiled to regexes and matched in Python.

durable-rules folds case for ASCII only, so all text matching happens here;
the engine only sees the resulting hit facts."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .textutil import Normalized, normalize_pattern

REGEX_TIMEOUT_S = 0.05  # a shared pack must never hang the server
MAX_STARTS = 6          # beyond this many anchor positions, scan the text once
CONTEXT = 24            # characters around a chunk that can change its matches
CACHE_MAX = 128         # cached chunks per phrase list (a few drafts being typed)
_CHUNK_END = regex.compile(r"[.!?…]+[\"')\]»”]*\s+(?=\S)|\n[ \t]*\n\s*(?=\S)")


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class Pattern:
    source: str
    compiled: regex.Pattern
    replace: str | None = None
    anchor: tuple | None = None    # ((word, exact), ...): every match starts with one of these
    required: tuple | None = None  # (word, exact): a literal word every match contains


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
    anchor = required = None
    if src.startswith("re:"):
        expr = src[3:]
        first, exact_start = _first_words(expr, bounded=False)
    else:
        expr = _phrase_to_regex(src)
        norm_src = normalize_pattern(src.strip())
        _, required = _literal_words(norm_src)
        first, exact_start = _first_words(norm_src, bounded=True)
    if first is not None and exact_start:
        anchor = first          # try the pattern only where these words start
    if required is None:
        required = first
    try:
        compiled = regex.compile(expr, regex.V1)
    except regex.error as exc:
        raise PatternError(f"bad pattern {src!r}: {exc}") from None
    return Pattern(src, compiled, replace, anchor, required)


def _word_start(p: str, i: int) -> bool:
    """Is p[i] the first letter of a word in every match? After a space, or
    after a group that ends with a space ("(we )?apologise")."""
    if i == 0 or p[i - 1].isspace():
        return True
    j = i - 1
    if p[j] in "?*":
        j -= 1
    return j >= 1 and p[j] == ")" and p[j - 1].isspace()


def _literal_words(p: str) -> tuple[tuple | None, tuple | None]:
    """(anchor, required) of a phrase pattern: literal words outside any
    group, each as (word or word start, exact)."""
    depth, i, found = 0, 0, []
    top_alternation = False
    while i < len(p):
        c = p[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "[":
            i = p.find("]", i)
            if i < 0:
                break
        elif c == "|" and depth == 0:
            top_alternation = True
        elif depth == 0 and _TOKEN.match(c) and _word_start(p, i):
            m = _TOKEN.match(p, i)
            word, rest = m.group(), p[m.end():]
            if rest == "" or rest[0].isspace():
                found.append((i, word, True))
            elif rest[0] == "?":      # "sorry?": the last letter is optional
                if len(word) > 1:
                    found.append((i, word[:-1], False))
            else:                     # "apolog*", "apologi[sz]e", "don't"
                found.append((i, word, False))
            i = m.end() - 1
        i += 1
    if top_alternation or not found:
        return None, None
    anchor = (found[0][1], found[0][2]) if found[0][0] == 0 else None
    best = max(found, key=lambda f: len(f[1]))
    return anchor, ((best[1], best[2]),)


_LEAD = regex.compile(r"^(?:\(\?[a-zA-Z]+\)|\\b|\\m|\^|\\s[*+]?|\s)*")


def _note_moves(lead: str, moves) -> None:
    # "^\\s*" or a space before the first word: the match does not start at it.
    if moves is not None and ("^" in lead or "\\s" in lead or any(c.isspace() for c in lead)):
        moves.append(lead)


def _first_words(p: str, bounded: bool) -> tuple[tuple | None, bool]:
    """(word starts every match begins with, whether matches start exactly
    at those words)."""
    moves: list[str] = []
    words = _regex_first_words(p, bounded=bounded, _moves=moves)
    return words, words is not None and not moves


def _split_top(p: str) -> list[str]:
    """Split at "|" outside any group or class."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            cur.append(p[i:i + 2])
            i += 2
            continue
        if c == "[":
            j = p.find("]", i + 1)
            j = len(p) - 1 if j < 0 else j
            cur.append(p[i:j + 1])
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _close(p: str, i: int) -> int:
    depth = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = p.find("]", i + 1)
            if i < 0:
                return -1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _regex_first_words(p: str, _depth: int = 0, bounded: bool = True, _moves=None) -> tuple | None:
    r"""Word starts that every match must begin with, as (prefix, False)
    alternatives, for patterns that start with literal words or groups of
    them (`\b(ons|ek)\s+...`, `(dear|hi) customer`). None when unsure."""
    if _depth > 4:
        return None
    alts = _split_top(p)
    if len(alts) > 1:
        out: list = []
        for a in alts:
            r = _regex_first_words(a, _depth + 1, bounded, _moves)
            if r is None:
                return None
            out += r
        return tuple(out)
    lead = _LEAD.match(p).group()
    # A raw regex may match inside a word unless it says \b (or ^) first.
    bounded = bounded or any(b in lead for b in ("\\b", "\\m", "^"))
    _note_moves(lead, _moves)
    p = p[len(lead):]
    while p.startswith(("(?<!", "(?<=", "(?!", "(?=")):
        close = _close(p, 0)   # lookarounds consume nothing: skip them
        if close < 0:
            return None
        p = p[close + 1:]
        lead = _LEAD.match(p).group()
        bounded = bounded or any(b in lead for b in ("\\b", "\\m", "^"))
        _note_moves(lead, _moves)
        p = p[len(lead):]
    if p.startswith("("):
        close = _close(p, 0)
        if close < 0:
            return None
        inner = p[1:close]
        if inner.startswith("?:"):
            inner = inner[2:]
        elif inner.startswith("?"):
            return None  # another special group
        quant = p[close + 1:close + 2]
        if quant in ("*", "{"):
            return None
        first = _regex_first_words(inner, _depth + 1, bounded, _moves)
        if quant != "?" or first is None:
            return first
        # An optional first group: the match starts with it or with what follows.
        rest = _regex_first_words(p[close + 2:], _depth + 1, bounded, _moves)
        return None if rest is None else first + rest
    m = _TOKEN.match(p)
    if not m or not bounded:
        return None
    word = m.group()
    if p[m.end():m.end() + 1] in ("?", "*", "{"):
        word = word[:-1]
    return ((normalize_pattern(word), False),) if word else None


_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")


class WordIndex:
    """Where each word, and each word start, occurs in a normalised text.
    A pattern whose required word is absent is skipped; one that starts with
    a literal word is tried only where that word stands, not at every
    position (this keeps thousands of patterns cheap)."""

    def __init__(self, text: str):
        self.text = text
        self.words: dict[str, list[int]] = {}
        self.prefixes: dict[str, list[int]] = {}
        # Sentence-sized chunks: results are cached per chunk, so as a user
        # types only the chunk being edited is matched again.
        self.chunks: list[tuple[int, int]] = []
        start = 0
        for m in _CHUNK_END.finditer(text):
            self.chunks.append((start, m.end()))
            start = m.end()
        if start < len(text) or not self.chunks:
            self.chunks.append((start, len(text)))
        for m in _TOKEN.finditer(text):
            w, pos = m.group(), m.start()
            self.words.setdefault(w, []).append(pos)
            for i in range(1, len(w) + 1):
                self.prefixes.setdefault(w[:i], []).append(pos)

    def may_match(self, pat: Pattern) -> bool:
        if pat.required is None:
            return True
        return any(w in (self.words if exact else self.prefixes) for w, exact in pat.required)

    def starts(self, pat: Pattern) -> list[int] | None:
        """Positions to try, or None to scan the whole text."""
        if pat.anchor is None:
            return None
        if len(pat.anchor) == 1:
            word, exact = pat.anchor[0]
            return (self.words if exact else self.prefixes).get(word, [])
        found: set[int] = set()
        for word, exact in pat.anchor:
            found.update((self.words if exact else self.prefixes).get(word, ()))
        return sorted(found)


class PhraseList:
    def __init__(self, name: str, patterns: list[Pattern]):
        self.name = name
        self.patterns = patterns
        self._words: set[str] | None = None
        # Buckets by required word, so one set intersection per list picks
        # the few patterns worth trying on a text.
        self._always: list[Pattern] = []
        self._exact: dict[str, list[Pattern]] = {}
        self._prefix: dict[str, list[Pattern]] = {}
        self._order = {id(p): i for i, p in enumerate(patterns)}
        self._cache: dict[tuple, tuple] = {}
        for pat in patterns:
            if pat.required is None:
                self._always.append(pat)
                continue
            for word, exact in pat.required:
                (self._exact if exact else self._prefix).setdefault(word, []).append(pat)

    def candidates(self, index: WordIndex) -> list[Pattern]:
        chosen = list(self._always)
        seen = {id(p) for p in chosen}
        for table, present in ((self._exact, index.words), (self._prefix, index.prefixes)):
            for key in table.keys() & present.keys():
                for pat in table[key]:
                    if id(pat) not in seen:
                        seen.add(id(pat))
                        chosen.append(pat)
        return chosen

    def plain_words(self) -> set[str]:
        """The entries that are plain words, normalised (stop-word lists)."""
        if self._words is None:
            self._words = {normalize_pattern(p.source).strip() for p in self.patterns
                           if not p.source.startswith("re:")}
        return self._words

    def find(self, norm: Normalized, original: str, index: WordIndex | None = None) -> list[Match]:
        index = index or WordIndex(norm.text)
        text = norm.text
        cands = None
        found: list[Match] = []
        for cs, ce in index.chunks:
            # What a chunk matches depends on it and on a little context
            # (look-behinds, the start of the text, look-aheads).
            key = (text[max(0, cs - CONTEXT):cs] if cs else "\0", text[cs:ce], text[ce:ce + CONTEXT])
            hits = self._cache.get(key)
            if hits is None:
                if cands is None:
                    cands = self.candidates(index)
                hits = self._scan(text, cs, ce, cands, index)
                if len(self._cache) >= CACHE_MAX:
                    self._cache.clear()  # cheap bound; refills with what is typed now
                self._cache[key] = hits
            for a, b, pi in hits:
                s, e = norm.span(cs + a, cs + b)
                found.append(Match(self.name, s, e, original[s:e], self.patterns[pi].replace))
        return drop_overlaps(found)

    def _scan(self, text: str, cs: int, ce: int, cands: list[Pattern], index: WordIndex) -> tuple:
        """Matches starting in [cs, ce), as (start - cs, end - cs, pattern index)."""
        endpos = min(len(text), ce + CONTEXT)
        out = []
        for pat in cands:
            starts = index.starts(pat)
            if starts is not None:
                starts = [p for p in starts if cs <= p < ce]
                if len(starts) > MAX_STARTS:
                    starts = None  # a common first word: one scan is cheaper
            try:
                if starts is None:
                    matches = pat.compiled.finditer(text, cs, endpos, timeout=REGEX_TIMEOUT_S)
                else:
                    matches = (m for pos in starts
                               if (m := pat.compiled.match(text, pos, endpos, timeout=REGEX_TIMEOUT_S)))
                for m in matches:
                    if m.start() >= ce:
                        break
                    if m.end() > m.start():
                        out.append((m.start() - cs, m.end() - cs, self._order[id(pat)]))
            except TimeoutError:
                continue  # a runaway pattern loses its hits, not the request
        return tuple(out)


def clear_caches() -> None:
    """Forget cached chunk results (benchmarks measure cold checks with it)."""
    import gc
    for obj in gc.get_objects():
        if isinstance(obj, PhraseList):
            obj._cache.clear()


def drop_overlaps(matches: list[Match]) -> list[Match]:
    """Keep the longest of overlapping hits, so one phrase warns once."""
    matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Match] = []
    for m in matches:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
