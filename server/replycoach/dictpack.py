"""Compact copies of hunspell dictionaries that accept exactly the same words.

Hunspell keeps every .dic line as its own heap entry (~50 bytes plus the
word) and, without flag aliases, a separately allocated flag array per word.
Debian's el_GR lists 828,000 inflected forms with no affixes (58 MB
resident) and et_EE gives each of its 282,000 words its own flag array
(31 MB). Two rewrites, both exact:

- flag aliases (``AF``): every distinct flag set is stored once in the .aff
  and the words refer to it by number (hunspell's own mechanism);
- for a dictionary without any flags (el_GR), words are folded into a stem
  plus a set of suffixes: one ``SFX`` rule (no strip, any condition) per
  distinct ending, stems that are not words themselves get ``NEEDAFFIX``.
  A stem carries a suffix's flag only if stem + suffix was in the list, so
  the accepted word set is unchanged.

Copies are written once to a cache folder, named after the source files'
path, size and mtime; anything unexpected falls back to the original files.
tests/test_spelling.py compares verdicts of both on every dictionary word
and on misspellings of them.
"""
from __future__ import annotations

import os
from collections import Counter

from . import cachefiles

__all__ = ["cached", "compact"]

_VERSION = b"1"
_MAX_SUFFIX = 6      # longest ending split off (Greek: -ούμαστε is 7)
_MIN_STEM = 2
_MIN_ENDING = 200   # words sharing an ending before it gets a rule


def _paths(aff: str, dic: str, cache_dir: str) -> str:
    st_a, st_d = os.stat(aff), os.stat(dic)
    key = cachefiles.checksum(b"|".join([
        _VERSION, os.fsencode(os.path.abspath(dic)),
        str((st_a.st_size, st_a.st_mtime_ns, st_d.st_size, st_d.st_mtime_ns)).encode()]))
    return os.path.join(cache_dir, os.path.basename(dic)[:-4] + "-" + key)


def cached(aff: str, dic: str, cache_dir: str) -> tuple[str, str] | None:
    """The files to load if the compact copy is already made (or known not
    to help: then the originals); None if it still has to be made."""
    try:
        stem = _paths(aff, dic, cache_dir)
        if os.path.isfile(stem + ".aff") and os.path.isfile(stem + ".dic"):
            return stem + ".aff", stem + ".dic"
        if os.path.isfile(stem + ".none"):
            return aff, dic
    except OSError:
        return aff, dic
    return None


def compact(aff: str, dic: str, cache_dir: str) -> tuple[str, str]:
    """Paths of the compact copy of (aff, dic), made now if needed (el_GR:
    ~10 s); the originals when no rewrite applies or anything fails."""
    try:
        done = cached(aff, dic, cache_dir)
        if done:
            return done
        stem = _paths(aff, dic, cache_dir)
        with open(aff, "rb") as fh:
            aff_lines = fh.read().split(b"\n")
        with open(dic, "rb") as fh:
            dic_lines = fh.read().split(b"\n")
        made = _rewrite(aff_lines, dic_lines)
        os.makedirs(cache_dir, exist_ok=True)
        if made is None:
            open(stem + ".none", "wb").close()  # nothing to gain: don't try again
            return aff, dic
        # .dic first, .aff last: cached() sees both only when complete
        for path, lines in ((stem + ".dic", made[1]), (stem + ".aff", made[0])):
            cachefiles.write_atomic(path, b"\n".join(lines) + b"\n")
        return stem + ".aff", stem + ".dic"
    except Exception:  # a cache problem must never cost spelling
        return aff, dic


def _directive(line: bytes) -> bytes:
    return line.lstrip(b"\xef\xbb\xbf").split(None, 1)[0] if line.strip() else b""


def _rewrite(aff: list[bytes], dic: list[bytes]):
    keys = {_directive(x) for x in aff}
    if b"AF" in keys or b"AM" in keys:
        return None  # already aliased
    words = [x.rstrip(b"\r") for x in dic[1:] if x.strip()]
    if any(b"\\" in w for w in words):
        return None  # escaped slashes: not worth parsing
    if not any(b"/" in w for w in words):
        if any(b" " in w or b"\t" in w for w in words):
            return None
        return _fold(aff, keys, words)
    return _alias(aff, words)


def _alias(aff: list[bytes], words: list[bytes]):
    ids: dict[bytes, int] = {}

    def alias(flags: bytes) -> bytes:
        i = ids.get(flags)
        if i is None:
            i = ids[flags] = len(ids) + 1
        return str(i).encode()

    out_dic = [str(len(words)).encode()]
    for w in words:
        cut = w.find(b"/")
        if cut <= 0:
            out_dic.append(w)
            continue
        end = cut + 1
        while end < len(w) and w[end] not in b" \t":
            end += 1
        flags = w[cut + 1:end]
        out_dic.append(w[:cut + 1] + alias(flags) + w[end:] if flags else w)
    out_aff = []
    for line in aff:
        f = line.split()
        # affix entries: "SFX flag strip append[/flags] condition [morph]"
        if len(f) >= 5 and f[0] in (b"SFX", b"PFX") and b"/" in f[3]:
            app, _, flags = f[3].partition(b"/")
            f[3] = app + b"/" + alias(flags)
            line = b" ".join(f)
        out_aff.append(line)
    if len(ids) < 2:
        return None
    head = [b"AF %d" % len(ids)] + [b"AF " + fl for fl in ids]
    return _insert_after_set(out_aff, head), out_dic


def _insert_after_set(aff: list[bytes], block: list[bytes]) -> list[bytes]:
    for i, line in enumerate(aff):
        if _directive(line) == b"SET":
            return aff[:i + 1] + block + aff[i + 1:]
    return block + aff


# Directives whose argument is a flag: meaningless in a dictionary without
# flags, and unreadable once the flag type becomes numeric.
_FLAG_DIRECTIVES = {
    b"FLAG", b"PFX", b"SFX", b"COMPOUNDFLAG", b"COMPOUNDBEGIN", b"COMPOUNDMIDDLE", b"COMPOUNDEND",
    b"COMPOUNDLAST", b"COMPOUNDPERMITFLAG", b"COMPOUNDFORBIDFLAG", b"COMPOUNDROOT", b"ONLYINCOMPOUND",
    b"NOSUGGEST", b"KEEPCASE", b"FORCEUCASE", b"WARN", b"NEEDAFFIX", b"PSEUDOROOT", b"CIRCUMFIX",
    b"FORBIDDENWORD", b"LEMMA_PRESENT", b"SUBSTANDARD", b"COMPOUNDRULE", b"COMPOUNDSYLLABLE",
}


def _fold(aff: list[bytes], keys: set[bytes], words: list[bytes]):
    """Stems and suffix flags for a flat word list."""
    if keys & {b"COMPOUNDRULE", b"COMPOUNDFLAG", b"COMPOUNDBEGIN", b"FORBIDDENWORD", b"CIRCUMFIX"}:
        return None
    uniq = sorted(set(words))
    # Endings worth a rule: those at least _MIN_ENDING words share. A word's
    # stem: of its prefixes that leave such an ending, the one the most
    # words share; ties: the longer.
    counts: Counter = Counter()
    for w in uniq:
        n = len(w)
        for k in range(1, min(_MAX_SUFFIX, n - _MIN_STEM) + 1):
            counts[w[n - k:]] += 1
    allowed = {e for e, c in counts.items() if c >= _MIN_ENDING}
    del counts
    cover: Counter = Counter()
    for w in uniq:
        n = len(w)
        cover[w] += 1
        for k in range(1, min(_MAX_SUFFIX, n - _MIN_STEM) + 1):
            if w[n - k:] in allowed:
                cover[w[:n - k]] += 1
    stems: dict[bytes, list[bytes]] = {}
    for w in uniq:
        n = len(w)
        best, best_c = w, cover[w]
        for k in range(1, min(_MAX_SUFFIX, n - _MIN_STEM) + 1):
            if w[n - k:] in allowed:
                c = cover[w[:n - k]]
                if c > best_c:
                    best, best_c = w[:n - k], c
        stems.setdefault(best, []).append(w[len(best):])
    del cover
    endings: Counter = Counter(e for ends in stems.values() for e in ends if e)
    flag = {e: i + 1 for i, (e, _) in enumerate(sorted(endings.items(), key=lambda kv: (-kv[1], kv[0])))}
    needaffix = len(flag) + 1
    if needaffix > 65000:
        return None
    ids: dict[bytes, int] = {}
    out_dic = [str(len(stems)).encode()]
    for s in sorted(stems):
        ends = stems[s]
        fl = sorted(flag[e] for e in ends if e)
        if not fl:
            out_dic.append(s)
            continue
        if b"" not in ends:
            fl.append(needaffix)
        key = b",".join(b"%d" % f for f in fl)
        i = ids.get(key)
        if i is None:
            i = ids[key] = len(ids) + 1
        out_dic.append(s + b"/%d" % i)
    out_aff = [line for line in aff if _directive(line) not in _FLAG_DIRECTIVES]
    head = [b"FLAG num", b"NEEDAFFIX %d" % needaffix, b"AF %d" % len(ids)] + [b"AF " + k for k in ids]
    rules = []
    for e, f in flag.items():
        rules.append(b"SFX %d N 1" % f)
        rules.append(b"SFX %d 0 %s ." % (f, e))
    return _insert_after_set(out_aff, head) + rules, out_dic
