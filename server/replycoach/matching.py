"""Phrase-list patterns compiled to regexes and matched in Python.

durable-rules folds case for ASCII only, so all text matching happens here;
the engine only sees the resulting hit facts."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from operator import itemgetter
from dataclasses import dataclass
import sys
import threading

import regex
from re import _constants as _sre, _parser as _sre_parser

from .textutil import Normalized, normalize_pattern

REGEX_TIMEOUT_S = 0.05  # a shared pack must never hang the server
# Compiled regexes are ~5 KB each and a pack has thousands, most of which a
# given user's drafts never reach: compile on first use, keep the recent ones.
COMPILED_MAX = 1024
GUARDED_STARTS = 6
CONTEXT = 64            # characters around a chunk that can change its matches
CHUNK_CACHE_MAX = 256   # cached chunks per matcher (the drafts being typed; each keystroke adds one)
_CHUNK_END = regex.compile(r"[.!?…]+[\"')\]»”]*\s+(?=\S)|\n[ \t]*\n\s*(?=\S)")
WORD_CACHE_MAX = 2048    # words whose candidate patterns a matcher remembers


class PatternError(ValueError):
    pass


class Pattern:
    """One list entry: its regex source (compiled lazily), replacement and
    the words that let the matcher skip it."""
    __slots__ = ("source", "expr", "replace", "anchor", "required", "needs", "guarded", "checks", "second",
                 "forms", "lead", "_rx")

    def __init__(self, source: str, expr: str, replace: str | None = None,
                 anchor: tuple | None = None, required: tuple | None = None, needs: tuple = (),
                 second: tuple | None = None, forms: dict | None = None):
        self.source = source
        # A regex timeout costs 1-6 us a call, more than most matches, so
        # matching at a word runs untimed when backtracking cannot blow up:
        # phrase syntax cannot nest repeats (but several wildcards in one
        # word grow as length^stars), raw regexes are checked. Scans of the
        # whole text are always timed.
        self.guarded = (not _linear(expr)) if source.startswith("re:") else \
            any(w.count("*") > 2 for w in source.split())
        self.expr = expr
        self.replace = replace
        self.anchor = _shared(anchor)        # ((word, exact), ...): every match starts with one of these
        self.required = _shared(required)    # ((word, exact), ...): every match contains one of these
        self.needs = _shared(needs)          # (((word, exact), ...), ...): and one of each of these
        # The same, ready for the matcher: (whole words, word starts) per group.
        groups = ((required,) if required else ()) + tuple(needs)
        self.checks = _shared(tuple(_split_exact(g) for g in groups))
        # The word right after the first one, as (whole words, word starts).
        self.second = _split_exact(second) if second else None
        # A phrase without wildcards ("(we )?apologi[sz]e for") as the word
        # sequences it matches, by first word, in the order its regex tries
        # them: matched by comparing the draft's words, with no regex (a
        # compiled one is 3-10 KB, and most of a pack's entries are like this).
        self.forms = forms
        # How a raw regex's matches can begin (see _lead): checked before it runs.
        self.lead = None
        if forms is None and anchor is not None:
            self.lead = _shared(_lead(expr if source.startswith("re:") else
                                      expr[len(_PHRASE_HEAD):-len(_PHRASE_TAIL)]))
        self._rx: regex.Pattern | None = None   # set while in the compiled cache

    @property
    def compiled(self) -> regex.Pattern:
        return self._rx or _compiled(self)

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"


def _linear(expr: str) -> bool:
    """Can matching `expr` at one position take only linear time? Yes when
    no repeat holds another repeat or an alternation, there are no
    back-references, and at most one repeat of a class is unbounded (two
    such can trade characters: O(n^2) and worse). Python's own parser reads
    the pattern; what it cannot read counts as risky."""
    try:
        tree = _sre_parser.parse(expr)
    except Exception:
        return False
    unbounded = [0]

    def risky(seq, inside: bool) -> bool:
        for op, av in seq:
            if op in _REPEATS:
                lo, hi, sub = av
                many = hi > 1
                if many and inside:
                    return True
                if hi == _sre.MAXREPEAT or hi > 16:
                    single = len(sub) == 1 and sub[0][0] == _sre.LITERAL
                    if not single:
                        unbounded[0] += 1
                        if unbounded[0] > 1:
                            return True
                if risky(sub, inside or many):
                    return True
            elif op == _sre.SUBPATTERN:
                if risky(av[-1], inside):
                    return True
            elif op == _sre.BRANCH:
                if inside or any(risky(b, inside) for b in av[1]):
                    return True
            elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
                if risky(av[1], inside):
                    return True
            elif op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS) or op not in _PLAIN_OPS:
                return True
        return False
    return not risky(tree, False)


LEAD_CHARS = 3      # how many first characters of a raw regex's match are worked out
_LEAD_MAX = 256     # beyond this many possible beginnings, no filter


def _lead(expr: str) -> tuple[str, ...] | None:
    """The possible beginnings (first LEAD_CHARS characters, fewer where a
    match may be shorter or goes on with a class such as \\s) of every
    match of regex `expr`, so a place that starts otherwise is passed over
    without running the regex: the profanity patterns anchor on one letter
    ("\\bt[u*#@y][r*#@]...") and would be tried at every word starting with
    it. An over-estimate; None when unsure (flags, or syntax that `regex`
    reads differently from Python's parser)."""
    if any(x in expr for x in ("(?i", "(?f", "(?V", "(?x", "\\p", "\\P", "\\N", "\\X", "[[", "--", "&&", "~~", "||")):
        return None
    try:
        tree = _sre_parser.parse(expr)
    except Exception:
        return None
    if tree.state.flags & (_sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_VERBOSE):
        return None
    found = _seq_lead(list(tree), LEAD_CHARS)
    if not found:
        return None
    found = {a.rstrip(_STOP) for a in found}
    return None if "" in found else tuple(sorted(found))


_STOP = "\uffff"   # ends a beginning: what follows is not worked out


def _seq_lead(seq: list, n: int) -> set[str] | None:
    def cat(a: str, b: str) -> str:
        return a if len(a) >= n or a.endswith(_STOP) else (a + b)[:n]

    cur = {""}
    for op, av in seq:
        if all(len(a) >= n or a.endswith(_STOP) for a in cur):
            break
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue                       # zero width
        nxt: set[str] | None
        if op == _sre.LITERAL:
            nxt = {chr(av)}
        elif op == _sre.IN:
            nxt = set()
            for kind, v in av:
                if kind == _sre.LITERAL:
                    nxt.add(chr(v))
                elif kind == _sre.RANGE and v[1] - v[0] < 64:
                    nxt.update(map(chr, range(v[0], v[1] + 1)))
                else:
                    nxt = {_STOP}          # negated sets, categories
                    break
        elif op in (_sre.CATEGORY, _sre.ANY, _sre.NOT_LITERAL):
            nxt = {_STOP}
        elif op == _sre.SUBPATTERN:
            nxt = _seq_lead(list(av[-1]), n)
        elif op == _sre.BRANCH:
            nxt = set()
            for alt in av[1]:
                got = _seq_lead(list(alt), n)
                if got is None:
                    return None
                nxt |= got
        elif op in _REPEATS:
            lo, hi, sub = av
            one = _seq_lead(list(sub), n)
            if one is None:
                return None
            nxt = {""} if lo == 0 else set()
            run = {""}
            for _ in range(min(hi, n)):
                run = {cat(a, b) for a in run for b in one}
                nxt |= run
        else:
            return None
        if nxt is None:
            return None
        cur = {cat(a, b) for a in cur for b in nxt}
        if len(cur) > _LEAD_MAX:
            return None
    return cur


_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}
_PLAIN_OPS = _REPEATS | {_sre.SUBPATTERN, _sre.BRANCH, _sre.ASSERT, _sre.ASSERT_NOT, _sre.LITERAL,
                         _sre.NOT_LITERAL, _sre.IN, _sre.ANY, _sre.AT, _sre.CATEGORY}


def _split_exact(group: tuple) -> tuple:
    """(whole words, word starts): a tuple for a few words (a frozenset costs
    216 bytes however small, and thousands of patterns have one), the same
    objects shared between patterns."""
    exact = tuple(w for w, exact in group if exact)
    return _shared((frozenset(exact) if len(exact) > 8 else exact,
                    tuple(w for w, exact in group if not exact)))


_SHARED: dict = {}


def _shared(value):
    return _SHARED.setdefault(value, value)


# Patterns holding a compiled regex, oldest first. Not an LRU: a hit costs
# nothing (the pattern keeps its regex); an evicted one is compiled again.
_COMPILED: OrderedDict[int, Pattern] = OrderedDict()
_COMPILED_LOCK = threading.Lock()


def _compile(expr: str) -> regex.Pattern:
    # Not regex's own cache: it would keep a second copy of every pattern.
    return regex.compile(expr, regex.V1, cache_pattern=False)


def _compiled(pat: Pattern) -> regex.Pattern:
    rx = _compile(pat.expr)   # outside the lock: other threads go on matching
    with _COMPILED_LOCK:
        pat._rx = rx
        _COMPILED[id(pat)] = pat
        while len(_COMPILED) > COMPILED_MAX:
            _COMPILED.popitem(last=False)[1]._rx = None
    return rx


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
    return _PHRASE_HEAD + "".join(out) + _PHRASE_TAIL


_PHRASE_HEAD = r"(?<![\p{L}\p{M}\p{N}])(?:"
_PHRASE_TAIL = r")(?![\p{L}\p{M}\p{N}])"


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
    anchor = required = second = forms = None
    needs: tuple = ()
    if src.startswith("re:"):
        expr = src[3:]
        first, exact_start = _first_words(expr, bounded=False)
    else:
        expr = _phrase_to_regex(src)
        norm_src = normalize_pattern(src.strip())
        _, required = _literal_words(norm_src)
        needs = _needs(norm_src)
        second = _second_word(norm_src)
        first, exact_start = _first_words(norm_src, bounded=True)
        forms = _word_forms(norm_src)
    if first is not None and exact_start:
        anchor = first          # try the pattern only where these words start
    if required is None:
        required = first
    try:
        _compile(expr)   # refuse a bad pattern at load time, with its line
    except regex.error as exc:
        raise PatternError(f"bad pattern {src!r}: {exc}") from None
    return Pattern(src, expr, replace, anchor, required, needs, second if anchor else None,
                   forms if anchor else None)


FORMS_MAX = 256   # word sequences a phrase may expand to; beyond, its regex is used


def _word_forms(p: str) -> tuple | None:
    """The texts phrase `p` (normalised) matches, as word sequences to
    compare with the draft's words: ({first word: (rank, second word or
    None, items, rank, ...)}, ((first word's prefix, rank, items), ...) for
    those starting with a wildcard). items: the words (see _items), joined
    by white space unless punctuation is written between them ("don't"); a
    word may end in "*" (runs on through letters, "'" and "-"). Ranks follow
    the order the regex tries them (alternatives left to right, an optional
    part first taken), so the first sequence found at a place is the regex's
    match there. None when `p` expands to more than FORMS_MAX texts, or to
    something the items cannot say the regex's way (a wildcard inside a
    word or before punctuation, two white-space runs in a row)."""
    texts = _expand(p, 0, top=True)
    if texts is None:
        return None
    by_first: dict[str, list] = {}
    wild: list = []
    seen = set()
    for t in texts[0]:
        items = _items(t)
        if items is None:
            return None
        if items in seen:
            continue
        seen.add(items)
        rank = len(seen)
        if items[0].endswith("*"):
            wild.append((items[0][:-1], rank, items))
        else:
            # with the second word, so most forms are passed over at a glance
            second = items[1] if len(items) > 1 and _TOKEN.match(items[1]) and not items[1].endswith("*") else None
            by_first.setdefault(items[0], []).extend((rank, second, items))
    return {w: tuple(v) for w, v in by_first.items()}, tuple(wild)


_RANK = itemgetter(0)
_WORD_START = regex.compile(r"[\p{L}\p{M}\p{N}]")
_GAP = regex.compile(r"[^\p{L}\p{M}\p{N}*]+")


def _items(t: str) -> tuple[str, ...] | None:
    """The words of form text `t`; a word that follows punctuation instead
    of white space carries it in front ("don't": "don", "'t")."""
    items: list[str] = []
    i, n, gap = 0, len(t), ""
    while True:
        m = _TOKEN.match(t, i)
        if not m:
            return None          # a gap where a word should be
        word, i = m.group(), m.end()
        if i < n and t[i] == "*":
            word, i = word + "*", i + 1
        items.append(sys.intern(gap + word))   # one copy of each word across patterns
        if i == n:
            return tuple(items)
        g = _GAP.match(t, i)
        if not g or g.end() == n:
            return None          # "a*b", or a gap at the end
        gap = g.group()
        if gap == " ":
            gap = ""
        elif word.endswith("*") or any(c.isspace() for c in gap):
            return None
        i = g.end()


def _expand(p: str, i: int, top: bool = False) -> tuple[list[str], int] | None:
    """The texts of the alternatives from p[i] to the closing ")" (or the end
    when `top`), and the index of that ")"; None when not expandable."""
    options: list[str] = []
    while True:
        texts = [""]
        while i < len(p) and p[i] not in "|)":
            c = p[i]
            if c == "(":
                inner = _expand(p, i + 1)
                if inner is None or inner[1] >= len(p):
                    return None
                alts, i = inner[0], inner[1] + 1
            elif c == "[":
                j = p.find("]", i + 1)
                chars = p[i + 1:j] if j > 0 else ""
                if not chars or any(c in chars for c in "\\^-[*"):
                    return None
                alts, i = list(dict.fromkeys(chars)), j + 1
            elif c == "*":
                if i + 1 < len(p) and p[i + 1] in "?*+{":
                    return None
                alts, i = ["*"], i + 1
            elif c in "?]\\":
                return None
            elif c.isspace():
                while i + 1 < len(p) and p[i + 1].isspace():
                    i += 1
                alts, i = [" "], i + 1
            else:
                alts, i = [c], i + 1
            if i < len(p) and p[i] == "?":
                if i + 1 < len(p) and p[i + 1] in "?+*{":
                    return None   # lazy or other quantifiers: another order
                alts, i = alts + [""], i + 1
            texts = [t + a for t in texts for a in alts]
            if len(texts) > FORMS_MAX:
                return None
        options += texts
        if len(options) > FORMS_MAX:
            return None
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        if (i < len(p)) == top:   # a ")" at the top, or none in a group
            return None
        return options, i


def _word_start(p: str, i: int) -> bool:
    """Is p[i] the first letter of a word in every match? After a space, or
    after a group that ends with a space ("(we )?apologise")."""
    if i == 0 or p[i - 1].isspace():
        return True
    j = i - 1
    if p[j] in "?*":
        j -= 1
    return j >= 1 and p[j] == ")" and p[j - 1].isspace()


def _needs(p: str, start_ok: bool = True, end_ok: bool = True) -> tuple:
    """What every match of phrase `p` contains, as a tuple of alternatives
    ((word, exact), ...): one per literal word and one per group that is not
    optional ("(fault|mistake|error)" needs one of its words). A matcher skips
    the pattern unless each is present. Only words that stand at a word
    start in every match count; unsure parts add nothing."""
    alts = _split_top(p)
    if len(alts) > 1:
        group = _group_needs(alts, start_ok, end_ok)
        return (group,) if group else ()
    out: list[tuple] = []
    i, n = 0, len(p)
    while i < n:
        c = p[i]
        at_start = start_ok if i == 0 else _word_start(p, i)
        if c == "(":
            close = _close(p, i)
            if close < 0:
                break
            after = p[close + 1:close + 2]
            if after not in ("?", "*"):
                group = _group_needs(_split_top(p[i + 1:close]), at_start,
                                     (after == "" and end_ok) or after.isspace())
                if group:
                    out.append(group)
            i = close + 1
            continue
        if c == "[":
            j = p.find("]", i + 1)
            if j < 0:
                break
            i = j + 1
            continue
        m = _TOKEN.match(p, i)
        if not m:
            i += 1
            continue
        word, rest = m.group(), p[m.end():m.end() + 1]
        if at_start:
            if rest == "?":
                if len(word) > 1:
                    out.append(((word[:-1], False),))
            elif (rest == "" and end_ok) or rest.isspace():
                out.append(((word, True),))
            else:
                out.append(((word, False),))
        i = m.end()
    return tuple(out)


def _second_word(p: str) -> tuple | None:
    """For a phrase that starts with a whole word and a space ("we value
    ..."), the words that can follow it ((word, exact), ...), else None."""
    m = _TOKEN.match(p)
    if not m or not p[m.end():m.end() + 1].isspace():
        return None
    rest = p[m.end():].lstrip()
    if rest.startswith("("):
        close = _close(rest, 0)
        after = rest[close + 1:close + 2] if close > 0 else "?"
        if after in ("?", "*"):
            return None
        out = []
        for alt in _split_top(rest[1:close]):
            w = _first_token(alt, after == "" or after.isspace())
            if w is None:
                return None
            out.append(w)
        return tuple(dict.fromkeys(out))
    first = _needs(rest)
    m2 = _TOKEN.match(rest)
    # Only when the phrase's next element is that word itself.
    if not first or not m2 or m2.start() != 0 or len(first[0]) != 1 or \
            not m2.group().startswith(first[0][0][0]):
        return None
    return first[0]


def _first_token(p: str, end_ok: bool) -> tuple | None:
    """(word, exact) that text matching `p` starts with, if `p` starts with
    a literal word."""
    m = _TOKEN.match(p)
    if not m:
        return None
    word, rest = m.group(), p[m.end():m.end() + 1]
    if rest == "?":
        return (word[:-1], False) if len(word) > 1 else None
    return (word, (rest == "" and end_ok) or rest.isspace())


def _group_needs(alts: list[str], start_ok: bool, end_ok: bool) -> tuple | None:
    """One word per alternative (its longest sure word), or None."""
    words = []
    for alt in alts:
        single = [w[0] for w in _needs(alt, start_ok, end_ok) if len(w) == 1]
        if not single:
            return None
        words.append(max(single, key=lambda w: len(w[0])))
    return tuple(dict.fromkeys(words))


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
# What regex's \s matches (Unicode White_Space), for phrases matched word by word.
_WS = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


class WordIndex:
    """The words of one normalised text, built once per check and shared by
    every list and pack: where each word starts, and which words and word
    starts occur."""

    def __init__(self, text: str):
        self.text = text
        self.positions: dict[str, list[int]] = {}
        self.after: dict[int, str] = {}    # word start -> the next word
        self.starts: list[int] = []        # every word's start, in order
        self.tokens: list[str] = []        # and the word
        last = -1
        for m in _TOKEN.finditer(text):
            w, pos = m.group(), m.start()
            self.positions.setdefault(w, []).append(pos)
            self.starts.append(pos)
            self.tokens.append(w)
            if last >= 0:
                self.after[last] = w
            last = pos
        self.words = self.positions.keys()
        self._sorted: list[str] | None = None
        # Sentence-sized chunks: matches are cached per chunk, so as a user
        # types only the chunk being edited is matched again.
        self.chunks: list[tuple[int, int]] = []
        start = 0
        for m in _CHUNK_END.finditer(text):
            self.chunks.append((start, m.end()))
            start = m.end()
        if start < len(text) or not self.chunks:
            self.chunks.append((start, len(text)))

    def has_start(self, prefix: str) -> bool:
        """Does some word of the text start with `prefix`?"""
        if prefix in self.words:
            return True
        if self._sorted is None:
            self._sorted = sorted(self.words)
        i = bisect_left(self._sorted, prefix)
        return i < len(self._sorted) and self._sorted[i].startswith(prefix)

    def phrase_end(self, pos: int, forms: tuple) -> int:
        """Where the first of a phrase's forms (Pattern.forms) that stands
        at `pos` ends (what the phrase's regex matches there), else -1."""
        i = bisect_left(self.starts, pos)
        if i >= len(self.starts) or self.starts[i] != pos:
            return -1
        tokens = self.tokens
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        by_first, wild = forms
        cands = by_first.get(tok, ())
        if wild:
            more = [(rank, None, items) for prefix, rank, items in wild if tok.startswith(prefix)]
            if more:
                cands = [x for f in sorted((*zip(cands[::3], cands[1::3], cands[2::3]), *more),
                                           key=_RANK) for x in f]
        for k in range(1, len(cands), 3):
            second = cands[k]
            if second is None or second == nxt:
                end = self._form_end(i, cands[k + 1])
                if end >= 0:
                    return end
        return -1

    def _form_end(self, i: int, items: tuple[str, ...]) -> int:
        text, tokens, starts = self.text, self.tokens, self.starts
        n = len(text)
        end = k = -1
        for j, word in enumerate(items):
            k = i if j == 0 else k + 1
            if k >= len(tokens):
                return -1
            tok = tokens[k]
            if j:
                between = text[end:starts[k]]
                if _WORD_START.match(word):
                    if not between or not _WS.issuperset(between):
                        return -1
                else:   # punctuation between the words: exactly that
                    gap = len(between)
                    if word[:gap] != between:
                        return -1
                    word = word[gap:]
            end = starts[k] + len(tok)
            if word[-1] != "*":
                if tok != word:
                    return -1
                continue
            if not tok.startswith(word[:-1]):
                return -1
            # [\p{L}\p{M}\p{N}'-]*: on through "'" and "-" and the words they join
            while True:
                e = end
                while e < n and text[e] in "'-":
                    e += 1
                if e == end:
                    break
                if k + 1 < len(tokens) and starts[k + 1] == e:
                    k += 1
                    end = e + len(tokens[k])
                else:
                    end = e
                    break
        return end

    def followed_by(self, starts: list[int], second: tuple[frozenset, tuple]) -> list[int]:
        exact, prefixes = second
        after = self.after
        return [p for p in starts
                if (w := after.get(p)) is not None and (w in exact or (prefixes and w.startswith(prefixes)))]

    def may_match(self, pat: Pattern) -> bool:
        words = self.words
        for exact, starts in pat.checks:
            if exact and not words.isdisjoint(exact):
                continue
            if starts and any(map(self.has_start, starts)):
                continue
            return False
        return True


class Matcher:
    """Many phrase lists matched in one pass over a text's words.

    A pattern that starts with literal words is tried only where one of them
    stands; one with no such start is scanned for, but only when its
    required word occurs. Thousands of patterns cost a few dict look-ups per
    word of the draft, not a regex per pattern."""

    def __init__(self, lists: list[PhraseList]):
        self._exact: dict[str, list[tuple]] = {}
        self._prefix: dict[str, list[tuple]] = {}
        self._scan_list: list[tuple] = []
        order = 0
        for plist in lists:
            for pat in plist.patterns:
                entry = (pat, plist.name, order)
                order += 1
                if pat.anchor is None:
                    self._scan_list.append(entry)
                    continue
                for word, exact in pat.anchor:
                    (self._exact if exact else self._prefix).setdefault(word, []).append(entry)
        self._lengths = sorted({len(w) for w in self._prefix})
        self._by_word: dict[str, tuple] = {}
        self._chunks: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def _entries(self, word: str) -> tuple:
        """The patterns that may start at `word`; cached, as drafts reuse
        the same few thousand words."""
        hit = self._by_word.get(word)
        if hit is None:
            found = list(self._exact.get(word, ()))
            for size in self._lengths:
                if size > len(word):
                    break
                found += self._prefix.get(word[:size], ())
            hit = tuple(found)
            with self._lock:
                if len(self._by_word) >= WORD_CACHE_MAX:
                    self._by_word.clear()   # cheap bound; refills with current words
                self._by_word[word] = hit
        return hit

    def find(self, norm: Normalized, original: str, index: WordIndex | None = None) -> dict[str, list[Match]]:
        """Hits per list name, overlaps within a list dropped."""
        index = index or WordIndex(norm.text)
        text = norm.text
        raw: list[tuple] = []
        todo: list[tuple[int, int, tuple]] = []
        for cs, ce in index.chunks:
            # What a chunk matches depends on it and a little context
            # (look-behinds, look-aheads, the start of the text).
            key = (text[max(0, cs - CONTEXT):cs] if cs else "\0", text[cs:ce], text[ce:ce + CONTEXT])
            hits = self._chunks.get(key)
            if hits is None:
                todo.append((cs, ce, key))
            else:
                raw.extend((cs + a, -cs - b, order, pat, name) for a, b, order, pat, name in hits)
        if todo:
            fresh, keep = self._match(text, index, todo)
            with self._lock:
                if len(self._chunks) + len(todo) > CHUNK_CACHE_MAX:
                    self._chunks.clear()   # cheap bound; refills with what is typed now
                for i, ((cs, ce, key), hits) in enumerate(zip(todo, fresh)):
                    raw.extend(hits)
                    if keep[i]:
                        self._chunks[key] = tuple((a - cs, -b - cs, order, pat, name)
                                                  for a, b, order, pat, name in hits)
        # Longest first at each start, then pack order: the same winner for
        # the same text every time.
        raw.sort(key=lambda r: r[:3])
        out: dict[str, list[Match]] = {}
        ends: dict[str, int] = {}
        for start, neg_end, _, pat, name in raw:
            if start < ends.get(name, 0):
                continue
            ends[name] = -neg_end
            s, e = norm.span(start, -neg_end)
            out.setdefault(name, []).append(Match(name, s, e, original[s:e], pat.replace))
        return out

    def _match(self, text: str, index: WordIndex, todo: list[tuple[int, int, tuple]]):
        """Hits starting in each of the `todo` chunks, as (start, -end,
        order, pattern, list name), and whether each chunk's hits may be
        cached: not when a hit runs more than CONTEXT characters past the
        chunk (its key would not hold all it depends on), nor after a chunk
        whose hit runs into it (a scan skips what overlaps a hit)."""
        out: list[list[tuple]] = [[] for _ in todo]
        firsts = [cs for cs, _, _ in todo]
        every = len(todo) == len(index.chunks)
        # Runs of consecutive new chunks: one scan each, not one per chunk.
        runs: list[tuple[int, int]] = []
        for cs, ce, _ in todo:
            if runs and runs[-1][1] == cs:
                runs[-1] = (runs[-1][0], ce)
            else:
                runs.append((cs, ce))

        def chunk(pos: int) -> int:
            i = bisect_right(firsts, pos) - 1
            return i if i >= 0 and pos < todo[i][1] else -1

        # Per pattern, the words of the new chunks it may start at (each
        # distinct word looked up once, however often it occurs).
        plan: dict[int, list] = {}
        if every:
            words = index.positions
        else:
            words = {}
            for rs, re_ in runs:
                lo, hi = bisect_left(index.starts, rs), bisect_left(index.starts, re_)
                words.update(dict.fromkeys(index.tokens[lo:hi]))
        for word in words:
            for entry in self._entries(word):
                at = plan.get(entry[2])
                if at is None:
                    plan[entry[2]] = [entry, word]
                elif at[-1] != word:
                    at.append(word)
        positions = index.positions
        for at in plan.values():
            pat, name, order = at[0]
            if not index.may_match(pat):
                continue
            if len(at) == 2:
                starts = positions[at[1]]
            else:
                starts = sorted({p for w in at[1:] for p in positions[w]})
            if pat.second is not None:
                starts = index.followed_by(starts, pat.second)
            if not every:
                starts = [p for p in starts if chunk(p) >= 0]
            if pat.guarded and len(starts) > GUARDED_STARTS:
                # Each timed call costs 1-6 us: beyond a few places, scan.
                self._scan(out, runs, chunk, pat, name, order, text)
                continue
            # As a scan would: a place inside this pattern's previous hit
            # ("apolog* for" running on through "apologise--...-apolog for")
            # starts no other hit of it.
            last = -1
            if pat.forms is not None:
                for pos in starts:
                    if pos >= last:
                        end = index.phrase_end(pos, pat.forms)
                        if end > 0:
                            out[chunk(pos)].append((pos, -end, order, pat, name))
                            last = end
                continue
            rx = None   # compiled only when some place passes the lead test
            try:
                lead = pat.lead
                for pos in starts:
                    if pos < last or (lead is not None and not text.startswith(lead, pos)):
                        continue
                    if rx is None:
                        rx = pat.compiled
                    m = rx.match(text, pos, timeout=REGEX_TIMEOUT_S) if pat.guarded else rx.match(text, pos)
                    if m and m.end() > m.start():
                        out[chunk(pos)].append((m.start(), -m.end(), order, pat, name))
                        last = m.end()
            except TimeoutError:
                continue  # a runaway pattern loses its hits, not the request
        for pat, name, order in self._scan_list:
            if index.may_match(pat):
                self._scan(out, runs, chunk, pat, name, order, text)
        keep = [True] * len(todo)
        for i, (cs, ce, _) in enumerate(todo):
            far = max((-h[1] for h in out[i]), default=0)
            if far > ce:
                keep[i] = far <= ce + CONTEXT
                if i + 1 < len(todo) and todo[i + 1][0] == ce:
                    keep[i + 1] = False
        return out, keep

    @staticmethod
    def _scan(out: list, runs: list, chunk, pat: Pattern, name: str, order: int, text: str) -> None:
        rx = pat.compiled
        try:
            for rs, re_ in runs:
                for m in rx.finditer(text, rs, timeout=REGEX_TIMEOUT_S):
                    if m.start() >= re_:
                        break
                    if m.end() > m.start():
                        out[chunk(m.start())].append((m.start(), -m.end(), order, pat, name))
        except TimeoutError:
            pass  # a runaway pattern loses its hits, not the request


class PhraseList:
    def __init__(self, name: str, patterns: list[Pattern]):
        self.name = name
        self.patterns = patterns
        self._words: set[str] | None = None
        self._matcher: Matcher | None = None

    def plain_words(self) -> set[str]:
        """The entries that are plain words, normalised (stop-word lists)."""
        if self._words is None:
            self._words = {normalize_pattern(p.source).strip() for p in self.patterns
                           if not p.source.startswith("re:")}
        return self._words

    def find(self, norm: Normalized, original: str, index: WordIndex | None = None) -> list[Match]:
        if self._matcher is None:
            self._matcher = Matcher([self])
        return self._matcher.find(norm, original, index).get(self.name, [])


def clear_caches(compiled: bool = False) -> None:
    """Forget cached chunk results, and with `compiled` the compiled
    patterns too (benchmarks measure new drafts with it)."""
    import gc
    for obj in gc.get_objects():
        if isinstance(obj, Matcher):
            with obj._lock:
                obj._chunks.clear()
    if compiled:
        with _COMPILED_LOCK:
            for pat in _COMPILED.values():
                pat._rx = None
            _COMPILED.clear()


def drop_overlaps(matches: list[Match]) -> list[Match]:
    """Keep the longest of overlapping hits, so one phrase warns once."""
    matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Match] = []
    for m in matches:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
