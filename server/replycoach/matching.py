"""Phrase-list patterns compiled to regexes and matched in Python.

durable-rules folds case for ASCII only, so all text matching happens here;
the engine only sees the resulting hit facts."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
import sys
import threading

import regex
from re import _constants as _sre, _parser as _sre_parser

from .phrasetrie import PhraseTrie, listed
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
_NOTHING = (0,)          # a word that starts no pattern and is in no group


class PatternError(ValueError):
    pass


class Pattern:
    """One list entry: its regex source (compiled lazily), replacement and
    the words that let the matcher skip it."""
    __slots__ = ("source", "expr", "replace", "anchor", "required", "needs", "guarded", "checks", "second",
                 "forms", "lead", "texts", "_rx")

    def __init__(self, source: str, expr: str, replace: str | None = None,
                 anchor: tuple | None = None, required: tuple | None = None, needs: tuple = (),
                 second: tuple | None = None, forms: str | None = None):
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
        # A phrase without wildcards inside words ("(we )?apologi[sz]e for")
        # as the word sequences it matches, in the order its regex tries
        # them (pack_forms): matched in a trie of words (phrasetrie), with
        # no regex (a compiled one is 3-16 KB, and most entries are like this).
        self.forms = forms
        # How a raw regex's matches can begin (see _lead): checked before it runs.
        self.lead = None
        if forms is None and anchor is not None:
            self.lead = _shared(_lead(expr if source.startswith("re:") else
                                      expr[len(_PHRASE_HEAD):-len(_PHRASE_TAIL)]))
        # Texts every match holds one of each of (see _needed_texts).
        self.texts = None if forms is not None else _shared(_needed_texts(expr, self.checks))
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
    unbounded = [0, 0]     # unbounded class repeats: others, atomic ones (see _atomic)

    def risky(seq, inside: bool) -> bool:
        for i, (op, av) in enumerate(seq):
            if op in _REPEATS:
                lo, hi, sub = av
                many = hi > 1
                if many and inside:
                    return True
                if hi == _sre.MAXREPEAT or hi > 16:
                    single = len(sub) == 1 and sub[0][0] == _sre.LITERAL
                    if not single:
                        unbounded[1 if _atomic(list(seq), i) else 0] += 1
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
    if risky(tree, False):
        return False
    # All atomic: each gives characters back at most once per place, and
    # every give-back fails at once. One other alone: linear. But an atomic
    # one after another kind is entered again for each of its choices.
    others, atomic = unbounded
    return others == 0 or others + atomic <= 1


_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~")    # ASCII, not \w, not \s, not \d
_ASCII_SPACE = frozenset(" \t\n\r\f\v")


def _char_class(item) -> tuple | None:
    """A one-character item as ("set", chars) or ("cat", category); None
    for anything else (negated sets, mixed classes, groups)."""
    op, av = item
    if op == _sre.LITERAL:
        return "set", frozenset(chr(av))
    if op == _sre.IN:
        if len(av) == 1 and av[0][0] == _sre.CATEGORY:
            return "cat", av[0][1]
        chars = _set_chars(av)
        return ("set", frozenset(chars)) if chars else None
    return None


def _set_chars(items) -> set[str] | None:
    """The characters of a parsed [...] set of letters and small ranges;
    None for negated sets, categories and wide ranges."""
    chars: set[str] = set()
    for kind, v in items:
        if kind == _sre.LITERAL:
            chars.add(chr(v))
        elif kind == _sre.RANGE and v[1] - v[0] < 256:
            chars.update(map(chr, range(v[0], v[1] + 1)))
        else:
            return None
    return chars


def _outside(category, ch: str) -> bool:
    """Is `ch` surely not in \\s, \\w or \\d (as `regex` reads them)?"""
    if category == _sre.CATEGORY_SPACE:
        return ch.isalnum() or ch in _PUNCT
    if category == _sre.CATEGORY_WORD:
        return ch in _PUNCT or ch in _ASCII_SPACE
    if category == _sre.CATEGORY_DIGIT:
        return ch.isalpha() or ch in _PUNCT or ch in _ASCII_SPACE
    return False


def _disjoint(a: tuple, b: tuple) -> bool:
    if a[0] == "set" and b[0] == "set":
        return a[1].isdisjoint(b[1])
    if a[0] == "cat" and b[0] == "cat":
        return {a[1], b[1]} in ({_sre.CATEGORY_SPACE, _sre.CATEGORY_WORD}, {_sre.CATEGORY_SPACE, _sre.CATEGORY_DIGIT})
    cat, chars = (a[1], b[1]) if a[0] == "cat" else (b[1], a[1])
    return all(_outside(cat, ch) for ch in chars)


def _atomic(seq: list, i: int) -> bool:
    """Is the repeat seq[i] of one character class followed by something
    that cannot begin with a character of that class ("\\s+on", "\\w+\\s")?
    Then giving characters back can never help: every give-back fails at
    the next character."""
    sub = seq[i][1][2]
    cls = _char_class(sub[0]) if len(sub) == 1 else None
    if cls is None:
        return False
    after = _firsts(seq[i + 1:])
    # Nothing after it in this group: what follows is unknown here.
    return after is not None and not after[1] and all(_disjoint(cls, c) for c in after[0])


def _firsts(seq: list) -> tuple[list, bool] | None:
    """The classes (see _char_class) the first character matched by `seq`
    can be in, and whether `seq` can match nothing; None when unsure."""
    classes: list = []
    for op, av in seq:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue                     # zero width
        one = _char_class((op, av))
        if one is not None:
            return classes + [one], False
        if op in _REPEATS:
            got = _firsts(list(av[2]))
            if got is None:
                return None
            classes += got[0]
            if av[0] >= 1 and not got[1]:
                return classes, False
        elif op == _sre.SUBPATTERN:
            got = _firsts(list(av[-1]))
            if got is None:
                return None
            classes += got[0]
            if not got[1]:
                return classes, False
        elif op == _sre.BRANCH:
            empty = False
            for alt in av[1]:
                got = _firsts(list(alt))
                if got is None:
                    return None
                classes += got[0]
                empty = empty or got[1]
            if not empty:
                return classes, False
        else:
            return None
    return classes, True


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
    tree = _parse_plain(expr) if "\\p" not in expr and "\\P" not in expr else None
    if tree is None:
        return None
    found = _seq_lead(list(tree), LEAD_CHARS)
    if not found:
        return None
    found = {a.rstrip(_STOP) for a in found}
    return None if "" in found else tuple(sorted(found))


def _parse_plain(expr: str):
    """Python's parse of a regex that means the same to `regex` (no
    flags, no syntax only `regex` has); None otherwise."""
    if any(x in expr for x in ("(?i", "(?f", "(?V", "(?x", "\\N", "\\X", "[[", "--", "&&", "~~", "||")):
        return None
    try:
        tree = _sre_parser.parse(expr)
    except Exception:
        return None
    if tree.state.flags & (_sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_VERBOSE):
        return None
    return tree


_STOP = "\uffff"   # ends a beginning: what follows is not worked out
_UNICODE_CLASS = regex.compile(r"\\([pP])\{[^}]*\}")


def _needed_texts(expr: str, checks: tuple = ()) -> tuple[tuple[str, ...], ...] | None:
    """Texts every match of regex `expr` contains: one of each tuple, less
    those its word `checks` ensure. A pattern is tried only when the draft
    has them, so "(jammer|spyt) om te" is not scanned for where neither
    word occurs, the Cyrillic swear words not in a Greek draft, nor
    "[*@#]+" where nothing is starred out. None when nothing is certain,
    or for syntax that `regex` reads differently from Python's parser."""
    # \p{L} and the like count as any word character (they need nothing).
    tree = _parse_plain(_UNICODE_CLASS.sub(lambda m: "\\w" if m.group(1) == "p" else "\\W", expr))
    if tree is None:
        return None
    found = [n for n in dict.fromkeys(_seq_texts(list(tree))) if len(n) <= NEEDED_ALTERNATIVES]
    # The matcher tests texts only once the pattern's word checks hold (see
    # Pattern.checks): a group they ensure ("jammer" is in every text with a
    # word starting "jammer") is not worth testing.
    words = [(*exact, *starts) for exact, starts in checks if exact or starts]
    found = [n for n in found if not any(all(any(t in w for t in n) for w in ws) for ws in words)]
    # The likeliest to be missing first: long words, then rare characters.
    found.sort(key=lambda n: (-min(map(len, n)), any(t in _COMMON for t in n), len(n)))
    return tuple(found[:NEEDED_MAX]) or None


NEEDED_MAX = 2             # texts checked per pattern
NEEDED_ALTERNATIVES = 12  # beyond this many alternatives a check costs more than it saves
_COMMON = frozenset("abcdefghijklmnopqrstuvwxyz \n")


def _seq_texts(seq: list) -> list[tuple[str, ...]]:
    """Texts of which a match of `seq` holds one each (alternatives sorted).
    Characters in a row join up, a set of them too while the choices stay
    few: "[хx][уy]" needs one of "xy", "xу", "хy", "ху", where "x" and "y"
    alone are in nearly every draft."""
    out: list[tuple[str, ...]] = []
    run: list[str] = []   # the texts the characters in a row so far spell

    def flush() -> None:
        if run:
            out.append(tuple(sorted(run)))
            run.clear()

    for op, av in seq:
        if op == _sre.LITERAL:
            chars = (chr(av),)
        elif op == _sre.IN:
            chars = _set_chars(av)    # None for negated sets, categories: anything
        else:
            chars = None
        if chars:
            if run and len(run) * len(chars) <= NEEDED_ALTERNATIVES:
                run[:] = [a + c for a in run for c in chars]
            else:
                flush()
                run.extend(chars)
            continue
        flush()
        if op == _sre.SUBPATTERN:
            if not av[1] & _sre.SRE_FLAG_IGNORECASE:
                out += _seq_texts(list(av[-1]))
        elif op in _REPEATS:
            if av[0] >= 1:
                out += _seq_texts(list(av[2]))
        elif op == _sre.BRANCH:
            # one of the alternatives: the union of what each needs most
            each = [max(_seq_texts(list(alt)), key=lambda n: (min(map(len, n)), -len(n)), default=None)
                    for alt in av[1]]
            if each and all(each):
                out.append(tuple(sorted({t for n in each for t in n})))
    flush()
    return out


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
            nxt = _set_chars(av) or {_STOP}     # negated sets, categories: not worked out
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
        if forms is not None:
            forms = pack_forms(forms)
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
    compare with the draft's words (see phrasetrie): a tuple of items
    tuples (see _items), in the order the regex tries them (alternatives
    left to right, an optional part first taken), so the first found at a
    place is the regex's match there. Items are joined by white space
    unless punctuation is written between them ("don't"); an item may end
    in "*" (runs on through letters, "'" and "-"). None when `p` expands to
    more than FORMS_MAX texts, or to something the items cannot say the
    regex's way (a wildcard inside a word or before punctuation, two
    white-space runs in a row)."""
    if _FORM_SEP in p or _ITEM_SEP in p:
        return None
    texts = _expand(p, 0, top=True)
    if texts is None:
        return None
    forms: dict[tuple, None] = {}
    for t in texts[0]:
        items = _items(t)
        if items is None:
            return None
        forms[items] = None
    return tuple(forms)


# Pattern.forms is kept as one string (a pack has ~30,000 forms; as tuples
# they cost ~6 MB, as text ~1 MB) and split when a matcher is built.
_FORM_SEP, _ITEM_SEP = "\x1e", "\x1f"


def pack_forms(forms: tuple[tuple[str, ...], ...]) -> str:
    return _FORM_SEP.join(_ITEM_SEP.join(items) for items in forms)


def unpack_forms(packed: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(f.split(_ITEM_SEP)) for f in packed.split(_FORM_SEP))


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
class WordIndex:
    """The words of one normalised text, built once per check and shared by
    every list and pack: where each word starts, and which words occur."""

    def __init__(self, text: str):
        self.text = text
        found = list(_TOKEN.finditer(text))
        self.starts: list[int] = [m.start() for m in found]   # every word's start, in order
        self.tokens: list[str] = [m.group() for m in found]   # and the word
        self.positions: dict[str, list[int]] = {}
        for w, pos in zip(self.tokens, self.starts):
            at = self.positions.get(w)
            if at is None:
                self.positions[w] = [pos]
            else:
                at.append(pos)
        self._after: dict[int, str] | None = None
        # Sentence-sized chunks: matches are cached per chunk, so as a user
        # types only the chunk being edited is matched again.
        self.chunks: list[tuple[int, int]] = []
        start = 0
        for m in _CHUNK_END.finditer(text):
            self.chunks.append((start, m.end()))
            start = m.end()
        if start < len(text) or not self.chunks:
            self.chunks.append((start, len(text)))

    def followed_by(self, starts: list[int], second: tuple[frozenset, tuple]) -> list[int]:
        """The places of `starts` whose next word is one of `second`."""
        after = self._after
        if after is None:   # few patterns ask: built on the first that does
            after = self._after = dict(zip(self.starts, self.tokens[1:]))
        exact, prefixes = second
        return [p for p in starts
                if (w := after.get(p)) is not None and (w in exact or (prefixes and w.startswith(prefixes)))]

    def has_texts(self, texts: tuple[tuple[str, ...], ...]) -> bool:
        """Does the text hold one of each group of `texts` (Pattern.texts)?"""
        text = self.text
        for need in texts:
            for alternative in need:
                if alternative in text:
                    break
            else:
                return False
        return True


def _may_begin(lead: tuple[str, ...], word: str) -> bool:
    """Can a match with one of these beginnings (Pattern.lead) start at
    this word? A beginning longer than the word is decided at the place."""
    for start in lead:
        if word.startswith(start) if len(start) <= len(word) else start.startswith(word):
            return True
    return False


class Matcher:
    """Many phrase lists matched in one pass over a text's words.

    Phrases with word forms are found by walking the draft's words down one
    trie (phrasetrie). Any other pattern that starts with literal words is
    tried only where one of them stands; one with no such start is scanned
    for, but only when its required word occurs. Thousands of patterns cost
    a few dict look-ups per word of the draft, not a regex per pattern."""

    def __init__(self, lists: list[PhraseList]):
        self._exact: dict[str, list[tuple]] = {}
        self._prefix: dict[str, list[tuple]] = {}
        self._scan_list: list[tuple] = []
        self._entry: list[tuple] = []          # by order: (pattern, list name, order)
        self._trie = PhraseTrie()
        # The word groups of the patterns' checks (Pattern.checks), one bit
        # each: a draft's words set the bits of the groups they satisfy,
        # and a pattern is tried only when all its bits (_need) are set.
        bits: dict[tuple, int] = {}
        self._group_words: dict[str, int] = {}    # whole word -> its groups' bits
        self._group_starts: dict[str, int] = {}   # word start -> its groups' bits
        self._need: list[int] = []                # by order
        order = 0
        for plist in lists:
            for pat in plist.patterns:
                entry = (pat, plist.name, order)
                self._entry.append(entry)
                order += 1
                need = 0
                if pat.forms is None:
                    for group in pat.checks:
                        bit = bits.setdefault(group, 1 << len(bits))
                        need |= bit
                        exact, starts = group
                        for w in exact:
                            self._group_words[w] = self._group_words.get(w, 0) | bit
                        for w in starts:
                            self._group_starts[w] = self._group_starts.get(w, 0) | bit
                self._need.append(need)
                if pat.anchor is None:
                    self._scan_list.append(entry)
                    continue
                if pat.forms is not None:
                    self._trie.add(entry[2], unpack_forms(pat.forms))
                    continue
                for word, exact in pat.anchor:
                    (self._exact if exact else self._prefix).setdefault(word, []).append(entry)
        self._trie.freeze()
        self._lengths = sorted({len(w) for w in self._prefix})
        self._start_lengths = sorted({len(w) for w in self._group_starts})
        self._by_word: dict[str, tuple] = {}
        self._chunks: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def _word(self, word: str) -> tuple:
        """(bits of the groups `word` satisfies, *the patterns that may start
        at it), in one tuple; cached, as drafts reuse the same few thousand
        words."""
        hit = self._by_word.get(word)
        if hit is None:
            # A regex anchored on a letter ("\bf[u*@#]ck") is listed under
            # every word starting with it: keep those the word can begin.
            found = [e for entries in listed(word, self._exact, self._prefix, self._lengths)
                     for e in entries if e[0].lead is None or _may_begin(e[0].lead, word)]
            groups = 0
            for bits in listed(word, self._group_words, self._group_starts, self._start_lengths):
                groups |= bits
            hit = (groups, *found) if groups or found else _NOTHING
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

        # The groups of words the whole text satisfies (see __init__); each
        # distinct word looked up once, however often it occurs.
        known = {word: self._word(word) for word in index.positions}
        have = 0
        for hit in known.values():
            have |= hit[0]
        need = self._need
        # Per pattern whose words the text holds, the words of the new
        # chunks it may start at.
        plan: dict[int, list] = {}
        if every:
            words = index.positions
        else:
            words = {}
            for rs, re_ in runs:
                lo, hi = bisect_left(index.starts, rs), bisect_left(index.starts, re_)
                words.update(dict.fromkeys(index.tokens[lo:hi]))
        for word in words:
            hit = iter(known[word])
            next(hit)   # the bits
            for entry in hit:
                order = entry[2]
                at = plan.get(order)
                if at is None:
                    plan[order] = [entry, word] if have & need[order] == need[order] else False
                elif at and at[-1] != word:
                    at.append(word)
        positions = index.positions
        for at in plan.values():
            if not at:
                continue
            pat, name, order = at[0]
            if pat.texts is not None and not index.has_texts(pat.texts):
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
        if self._trie.phrases:
            self._walk(out, index, runs, every, chunk)
        for pat, name, order in self._scan_list:
            if have & need[order] == need[order] and (pat.texts is None or index.has_texts(pat.texts)):
                self._scan(out, runs, chunk, pat, name, order, text)
        keep = [True] * len(todo)
        for i, (cs, ce, _) in enumerate(todo):
            far = max((-h[1] for h in out[i]), default=0)
            if far > ce:
                keep[i] = far <= ce + CONTEXT
                if i + 1 < len(todo) and todo[i + 1][0] == ce:
                    keep[i + 1] = False
        return out, keep

    def _walk(self, out: list, index: WordIndex, runs: list, every: bool, chunk) -> None:
        """The word-form phrases' hits in the new chunks: at each word, the
        best form of each phrase standing there (phrasetrie)."""
        text, tokens, starts = index.text, index.tokens, index.starts
        at, firsts, gates = self._trie.at, self._trie.firsts, self._trie.gates
        entry = self._entry
        count = len(tokens)
        last: dict[int, int] = {}   # phrase -> end of its previous hit
        spans = [(0, len(tokens))] if every else \
            [(bisect_left(starts, rs), bisect_left(starts, re_)) for rs, re_ in runs]
        for lo, hi in spans:
            for i in range(lo, hi):
                tok = tokens[i]
                first = firsts(tok)
                if not first:
                    continue
                gate = gates.get(tok)
                if gate is not None:
                    # Most places a first word stands lead nowhere: seen
                    # from the next word when a plain space comes before it.
                    k = i + 1
                    if k == count:
                        continue
                    end = starts[i] + len(tok)
                    if starts[k] == end + 1 and text[end] == " " and tokens[k] not in gate:
                        continue
                found = at(text, tokens, starts, i, first)
                pos = starts[i]
                # As a scan would: a place inside this phrase's previous hit
                # ("apolog* for" running on through "apologise--...-apolog
                # for") starts no other hit of it.
                for order, (_, end) in found.items():
                    if pos >= last.get(order, -1):
                        pat, name, _ = entry[order]
                        out[chunk(pos)].append((pos, -end, order, pat, name))
                        last[order] = end

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
