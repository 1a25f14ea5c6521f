"""Regional spellings as a word list instead of a second dictionary.

English drafts are checked with en_US; British spellings ("colour",
"apologise", "travelled", "centre") are right too. Keeping the en_GB
hunspell dictionary loaded only for them cost ~7 MB resident; the forms
en_GB accepts and en_US rejects are 128,000 words, 1.9 MB as a `WordList`
(sorted, in one bytes object; a frozenset of them would take ~14 MB).

The list: every form the en_GB dictionary generates (each .dic stem with
the SFX/PFX rules of its .aff, prefix and suffix together where both allow
cross products; ONLYINCOMPOUND stems skipped, NEEDAFFIX stems only with an
affix) that en_US rejects, plus the capitals hunspell accepts on top of
the case rules `accepts` applies (MCDONALD for McDonald, NIMBY'S; not
MACDONALDS). A dictionary using a feature the expansion does not model
(continuation classes, CIRCUMFIX, FORBIDDENWORD, KEEPCASE, compounding of
words without digits, ...) gets no list: the caller keeps the dictionary.

Made once per machine by a child process (expanding 97,000 stems into
263,000 forms would leave a fragmented heap behind in the server; ~4 s)
and kept in the cache folder, named by a checksum of both dictionaries'
.aff/.dic paths, sizes and mtimes and the format version. The child asks
the real en_GB dictionary about every form and leaves out any it rejects
(none on Debian's: tests/test_variants.py).
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from array import array
from typing import Callable, Iterable, Iterator

from . import cachefiles

__all__ = ["Unsupported", "WordList", "expand", "candidates", "cache_path", "load", "unsupported", "build",
           "build_in_child", "accepts"]

_FORMAT = b"1"
_BUILD_TIMEOUT_S = 300.0   # for the child (en_GB: ~4 s)
_MAX_BREAKS = 10           # hunspell gives up on words with 10+ hyphens
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‐": "-"})


class Unsupported(ValueError):
    """The .aff/.dic use a feature the expansion does not model."""


# ---- expansion -------------------------------------------------------------

# Directives that change which words are accepted in ways not modelled
# here; a dictionary that uses one (with a flag some word carries, for the
# flag-valued ones) gets no list.
_UNMODELLED = {b"CIRCUMFIX", b"FORBIDDENWORD", b"KEEPCASE", b"FORCEUCASE", b"COMPOUNDFLAG",
               b"COMPOUNDBEGIN", b"COMPOUNDMIDDLE", b"COMPOUNDEND", b"COMPOUNDLAST",
               b"COMPOUNDPERMITFLAG", b"SUBSTANDARD"}
_UNMODELLED_ANY = {b"COMPLEXPREFIXES", b"IGNORE", b"CHECKSHARPS", b"BREAK", b"FULLSTRIP", b"AM",
                   b"FORBIDWARN"}
_SPECIAL_LANGS = {"hu", "tr", "az", "crh"}   # LANG values with casing/compounding rules of their own


def _cond(pattern: str) -> list[tuple[bool, str | None]]:
    """A hunspell affix condition as a list of (negated, chars) per
    position; chars None is '.', any character."""
    out: list[tuple[bool, str | None]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "[":
            j = pattern.index("]", i + 1)
            body = pattern[i + 1:j]
            neg = body.startswith("^")
            out.append((neg, body[1:] if neg else body))
            i = j + 1
        else:
            out.append((False, None) if ch == "." else (False, ch))
            i += 1
    return out


def _match(cond: list[tuple[bool, str | None]], text: str) -> bool:
    for (neg, chars), ch in zip(cond, text):
        if chars is not None and (ch in chars) == neg:
            return False
    return True


class _Affix:
    __slots__ = ("strip", "add", "cond", "n")

    def __init__(self, strip: str, add: str, cond: str):
        self.strip = "" if strip == "0" else strip
        self.add = "" if add == "0" else add
        self.cond = [] if cond == "." else _cond(cond)
        self.n = len(self.cond)

    def suffix(self, root: str) -> str | None:
        # hunspell: the root without `strip` is not empty, ends with `strip`,
        # and its last len(cond) characters meet the condition
        if (len(root) > len(self.strip) and len(root) >= self.n and root.endswith(self.strip)
                and _match(self.cond, root[len(root) - self.n:])):
            return root[:len(root) - len(self.strip)] + self.add
        return None

    def prefix(self, root: str) -> str | None:
        if (len(root) > len(self.strip) and len(root) >= self.n and root.startswith(self.strip)
                and _match(self.cond, root)):
            return self.add + root[len(self.strip):]
        return None


def _split_flags(raw: str, kind: str) -> list[str]:
    if kind == "long":
        return [raw[i:i + 2] for i in range(0, len(raw), 2)]
    if kind == "num":
        return [f for f in raw.split(",") if f]
    return list(raw)


def _parse_aff(aff: str):
    with open(aff, "rb") as fh:
        lines = fh.read().split(b"\n")
    enc = "iso-8859-1"
    for line in lines:
        f = line.lstrip(b"\xef\xbb\xbf").split()
        if len(f) >= 2 and f[0] == b"SET":
            enc = f[1].decode("ascii")
            break
    from .spelling import _py_encoding
    enc = _py_encoding(enc)
    kind = "char"
    special: dict[str, str] = {}
    unmodelled: dict[str, str] = {}   # flag -> directive
    aliases: list[str] = []
    rule_flags: set[str] = set()   # flags in COMPOUNDRULE patterns
    sfx: dict[str, tuple[bool, list[_Affix]]] = {}
    pfx: dict[str, tuple[bool, list[_Affix]]] = {}
    for raw in lines:
        f = raw.lstrip(b"\xef\xbb\xbf").decode(enc).split()
        if not f or f[0].startswith("#"):
            continue
        d = f[0].encode()
        if d == b"FLAG" and len(f) > 1:
            kind = {"long": "long", "num": "num"}.get(f[1], "char")
        elif d in (b"NEEDAFFIX", b"PSEUDOROOT", b"ONLYINCOMPOUND") and len(f) > 1:
            special["NEEDAFFIX" if d == b"PSEUDOROOT" else d.decode()] = f[1]
        elif d in _UNMODELLED and len(f) > 1:
            unmodelled[f[1]] = f[0]
        elif d in _UNMODELLED_ANY:
            raise Unsupported(f[0])
        elif d == b"LANG" and len(f) > 1 and f[1].split("_")[0].lower() in _SPECIAL_LANGS:
            raise Unsupported("LANG " + f[1])
        elif d == b"COMPOUNDRULE" and len(f) > 1 and not f[1].isdigit():
            if kind != "char":
                raise Unsupported("COMPOUNDRULE with " + kind + " flags")
            rule_flags |= set(f[1]) - set("*?")
        elif d == b"ICONV" and len(f) > 2:
            if (f[1], f[2]) not in (("’", "'"), ("ʼ", "'")):
                raise Unsupported("ICONV " + f[1])   # input conversions other than ours
        elif d == b"AF" and len(f) > 1:
            if aliases or not f[1].isdigit():
                aliases.append(f[1])
            else:
                aliases.append("")  # the count line; aliases are numbered from 1
        elif d in (b"SFX", b"PFX") and len(f) >= 4:
            table = sfx if d == b"SFX" else pfx
            if f[1] not in table:   # header: flag, cross product, count
                table[f[1]] = (f[2] == "Y", [])
                continue
            if len(f) < 5:
                continue
            add = f[3]
            if "/" in add:
                raise Unsupported("continuation classes")
            table[f[1]][1].append(_Affix(f[2], add, f[4]))
    return enc, kind, special, unmodelled, aliases, rule_flags, sfx, pfx


def _read_dic(dic: str, enc: str) -> Iterator[tuple[str, str]]:
    """(word, raw flags) per .dic line, morphology dropped."""
    with open(dic, "rb") as fh:
        data = fh.read().decode(enc)
    lines = data.lstrip("\ufeff").split("\n")
    for line in lines[1:]:
        line = line.rstrip("\r")
        tab = line.find("\t")
        if tab >= 0:
            line = line[:tab]
        # morphology after a space: "word/flags po:noun"
        m = re.search(r"[ \t]+\S\S:", line)
        if m:
            line = line[:m.start()]
        line = line.strip()
        if not line:
            continue
        cut = 1
        while True:
            cut = line.find("/", cut)
            if cut < 0 or line[cut - 1] != "\\":
                break
            line = line[:cut - 1] + line[cut:]
        word, flags = (line, "") if cut < 0 else (line[:cut], line[cut + 1:])
        yield word, flags


def expand(aff: str, dic: str) -> Iterator[str]:
    """Every word form the dictionary accepts on its own (no compounds, no
    hyphen breaks), in the dictionary's letter case; repeats possible.
    Raises Unsupported for dictionaries using features not modelled."""
    for w, hidden in _expand(aff, dic):
        if not hidden:
            yield w


def _expand(aff: str, dic: str) -> Iterator[tuple[str, bool]]:
    """(form, hidden): hidden forms come from the lower-cased, capitalised
    copy hunspell adds of every mixed-case word and every upper-case word
    with affixes (McDonald -> Mcdonald, NIMBY/S -> Nimby/S), which only
    words written in capitals may match."""
    enc, kind, special, unmodelled, aliases, rule_flags, sfx, pfx = _parse_aff(aff)
    needaffix = special.get("NEEDAFFIX")
    onlyincompound = special.get("ONLYINCOMPOUND")
    entries = []
    used: set[str] = set()
    for word, raw in _read_dic(dic, enc):
        if aliases and raw:
            try:
                raw = aliases[int(raw)]
            except (ValueError, IndexError):
                raise Unsupported("bad AF alias") from None
        flags = set(_split_flags(raw, kind))
        used |= flags
        if flags & rule_flags and not any(c.isdigit() for c in word):
            # COMPOUNDRULE compounds are not expanded: fine while each has a
            # digit (en_GB's 21st, 101th), as tokens with digits are never judged
            raise Unsupported("COMPOUNDRULE on words without digits")
        entries.append((word, flags))
    hit = {d for fl, d in unmodelled.items() if fl in used}
    if hit:
        raise Unsupported(", ".join(sorted(hit)))
    for word, flags in entries:
        if " " in word:
            continue  # a token is never one
        if onlyincompound is not None and onlyincompound in flags:
            continue
        bare = needaffix is None or needaffix not in flags
        for w in _forms_of(word, flags, bare, sfx, pfx):
            yield w, False
        cap = _captype(word)
        if cap == "mixed" or (cap == "upper" and flags):
            low = word.lower()
            for w in _forms_of(low[:1].upper() + low[1:], flags, bare, sfx, pfx):
                yield w, True


def _forms_of(word: str, flags: set[str], bare: bool, sfx, pfx) -> Iterator[str]:
    if bare:
        yield word
    crossed: list[str] = []
    for fl in flags:
        rule = sfx.get(fl)
        if rule is None:
            continue
        cross, rules = rule
        for a in rules:
            w = a.suffix(word)
            if w is not None:
                yield w
                if cross:
                    crossed.append(w)
    for fl in flags:
        rule = pfx.get(fl)
        if rule is None:
            continue
        cross, rules = rule
        for a in rules:
            w = a.prefix(word)
            if w is not None:
                yield w
            if cross:
                # hunspell checks the prefix's condition on the suffixed form
                for s in crossed:
                    w = a.prefix(s)
                    if w is not None:
                        yield w


def _captype(word: str) -> str:
    letters = [c for c in word if c.lower() != c.upper()]
    up = sum(c.isupper() for c in letters)
    if up == 0:
        return "lower"
    if up == len(letters):
        return "upper"
    if up == 1 and letters[0].isupper():
        return "init"
    return "mixed"


def candidates(aff: str, dic: str) -> tuple[set[str], set[str]]:
    """(forms, capitals): expand()'s forms, and the upper-case spellings of
    them and of the hidden forms, which hunspell accepts or not by rules
    of its own (MCDONALD and FDA'S yes, MACDONALDS no): build() asks it.
    Forms with a digit are left out (the spell checker never judges those
    tokens)."""
    out: set[str] = set()
    caps: set[str] = set()
    for w, hidden in _expand(aff, dic):
        if any(c.isdigit() for c in w):
            continue
        if not hidden:
            out.add(w)
        up = w.upper()
        if up != w or hidden:
            caps.add(up)
    return out, caps


# ---- the cache file ---------------------------------------------------------

def cache_path(cache_dir: str, variant: tuple[str, str], primary: tuple[str, str]) -> str:
    parts = [_FORMAT]
    for path in (*variant, *primary):
        st = os.stat(path)
        parts.append(os.fsencode(os.path.abspath(path)) + b"%d:%d" % (st.st_size, st.st_mtime_ns))
    key = cachefiles.checksum(b"|".join(parts))
    name = os.path.basename(variant[1])[:-4] + "-only-" + os.path.basename(primary[1])[:-4]
    return os.path.join(cache_dir, f"{name}-{key}.words")


_HEADER = b"replycoach-variant-words "


class WordList:
    """A sorted word list in one bytes object (UTF-8, one word a line) with
    the offset of each line end: 1.9 MB for en_GB's 127,000 British-only
    forms, where a frozenset of them takes ~11 MB. Lookups bisect (~5 us;
    only words the primary dictionary rejects get here)."""

    __slots__ = ("blob", "ends")

    def __init__(self, blob: bytes):
        if blob and not blob.endswith(b"\n"):
            blob += b"\n"
        self.blob = blob
        self.ends = array("I", _line_ends(blob))

    @classmethod
    def of(cls, words: Iterable[str]) -> "WordList":
        return cls("".join(w + "\n" for w in sorted(set(words)) if w and "\n" not in w).encode("utf-8"))

    def __len__(self) -> int:
        return len(self.ends)

    def __iter__(self) -> Iterator[str]:
        return iter(self.blob.decode("utf-8").split("\n")[:-1])

    def __contains__(self, word: object) -> bool:
        try:
            key = word.encode("utf-8")  # type: ignore[union-attr]
        except (AttributeError, UnicodeEncodeError):
            return False
        blob, ends = self.blob, self.ends
        lo, hi = 0, len(ends)
        while lo < hi:
            mid = (lo + hi) >> 1
            cur = blob[ends[mid - 1] + 1 if mid else 0:ends[mid]]
            if cur < key:
                lo = mid + 1
            elif cur > key:
                hi = mid
            else:
                return True
        return False

    def nbytes(self) -> int:
        return sys.getsizeof(self.blob) + sys.getsizeof(self.ends)


def _line_ends(blob: bytes) -> Iterator[int]:
    i = blob.find(b"\n")
    while i >= 0:
        yield i
        i = blob.find(b"\n", i + 1)


def load(path: str) -> WordList | None:
    """The word list, or None when the file is missing or not ours."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if head != _HEADER + _FORMAT:
        return None
    del data
    return WordList(body)


def unsupported(path: str) -> bool:
    """The build found the dictionary's features unmodelled: don't retry."""
    return os.path.isfile(path + ".none")


def build(cache_dir: str, variant: tuple[str, str], primary: tuple[str, str]) -> str | None:
    """Writes the list of `variant`'s forms that `primary` rejects (atomic);
    its path, or None if the variant is unsupported (a marker is left so
    no later start tries again). Runs in the child process."""
    from .spelling import _Handle, _library
    path = cache_path(cache_dir, variant, primary)
    os.makedirs(cache_dir, exist_ok=True)
    try:
        words, caps = candidates(*variant)
    except (Unsupported, ValueError):   # ValueError: undecodable or malformed files
        open(path + ".none", "wb").close()
        return None
    libs = _library()
    if libs is None:
        raise OSError("no hunspell library")
    primary_h = _Handle(libs, *primary)
    variant_h = _Handle(libs, *variant)
    keep = set()
    for w in words:
        # the variant's check of each form only guards against a misread
        # rule (none on Debian's en_GB)
        if "\n" not in w and not primary_h.spell(w) and variant_h.spell(w):
            keep.add(w)
    for w in caps - words:
        lo = w.lower()
        if lo in keep or (lo[:1].upper() + lo[1:]) in keep or primary_h.spell(lo):
            continue  # found through its lower-case or capitalised form
        if "\n" not in w and not primary_h.spell(w) and variant_h.spell(w):
            keep.add(w)
    keep = sorted(keep)
    primary_h.close()
    variant_h.close()
    data = _HEADER + _FORMAT + b"\n" + "".join(w + "\n" for w in keep).encode("utf-8")
    cachefiles.write_atomic(path, data)
    cachefiles.remove_stale(path, os.path.basename(path).rsplit("-", 1)[0] + "-", ".words")
    return path


def build_in_child(cache_dir: str, variant: tuple[str, str], primary: tuple[str, str],
                   timeout: float = _BUILD_TIMEOUT_S) -> bool:
    """build() in a child process, so this one's heap never holds the
    expansion (~300,000 strings); True if the list (or the marker) is there."""
    code = ("import sys; from replycoach.variants import build; "
            "build(sys.argv[1], tuple(sys.argv[2:4]), tuple(sys.argv[4:6]))")
    ok = cachefiles.build_in_child(cache_dir, code, [cache_dir, *variant, *primary], timeout)
    path = cache_path(cache_dir, variant, primary)
    return ok and (os.path.isfile(path) or unsupported(path))


# ---- lookups ------------------------------------------------------------------

def accepts(words: WordList | frozenset[str], word: str, known: Callable[[str], object]) -> bool:
    """Would the variant dictionary accept `word`, given `words` (its forms
    the primary dictionary rejects) and `known` (the primary's spell)?
    As hunspell does: the word, its lower case, and for a word in capitals
    its capitalised form; then, with hyphens, both sides of a break at the
    second or the first hyphen, each judged the same way."""
    word = unicodedata.normalize("NFC", word).translate(_APOSTROPHES)
    if word.count("-") >= _MAX_BREAKS:
        return _whole(words, word, known)
    return _accepts(words, word, known)


def _whole(words, word: str, known) -> bool:
    if word in words:
        return True
    lo = word.lower()
    if lo in words:
        return True
    if word.isupper() and (word[:1] + lo[1:]) in words:
        return True
    # hunspell tries the lower case of a capitalised word itself
    return bool(known(word))


def _accepts(words, word: str, known) -> bool:
    if _whole(words, word, known):
        return True
    n = len(word)
    if n > 1 and word[0] == "-" and _accepts(words, word[1:], known):
        return True
    if n > 1 and word[-1] == "-" and _accepts(words, word[:-1], known):
        return True
    first = word.find("-")
    if not 0 < first < n - 1:
        return False
    second = word.find("-", first + 1)
    cuts = [second, first] if 0 < second < n - 1 else [first]
    for cut in cuts:
        if _accepts(words, word[cut + 1:], known) and _accepts(words, word[:cut], known):
            return True
    return False
