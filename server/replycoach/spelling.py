"""Spelling with the system's hunspell dictionaries (`SpellChecker`).

Binding: ctypes over Debian's ``libhunspell-1.7.so.0`` (package
``libhunspell-1.7-0``). No PyPI binding builds here without a compiler and
headers (pyhunspell, cyhunspell), and spylls is pure Python (10-100x slower
per lookup); the C API is tiny and ``Hunspell_spell`` costs 1-4 us a call.

Dictionaries are in their own 8-bit encodings on Debian (el_GR: ISO8859-7,
et_EE: ISO8859-15), so every word is encoded with the encoding the library
reports for that dictionary, and suggestions are decoded with it.

Latency: ``Hunspell_suggest`` takes 20-100 ms a word, far over the budget of
a whole check, so suggestions come from our own edit-distance-1 search
(every candidate checked with the fast ``Hunspell_spell``, ranked by how
people actually misspell), computed for the first few misspellings within a
time budget and cached. Words with no quick candidate are handed to a
background thread that tries every edit-1 candidate and then two slips at
once, and caches the result, so the next check of the draft (the extension
re-checks as the user types) has them. It makes only short spell calls:
hunspell's own suggest holds the dictionary for 10-120 ms, and a request in
that language would wait for it; it runs only for an explicit suggest().

Memory: dictionaries are loaded from compact copies that accept the same
words (dictpack.py: el_GR 58 -> 9 MB, all six 131 -> 63 MB), and a language
unused for ``idle_unload_s`` is unloaded (reloading takes < 0.1 s). British
spellings in English drafts are looked up in a list of the forms en_GB
accepts and en_US rejects (variants.py, ~2 MB), not in a second dictionary.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import queue
import threading
import time
import unicodedata
from dataclasses import dataclass
from typing import Iterable

import regex

from . import dictpack, variants

__all__ = ["Misspelling", "SpellChecker"]


@dataclass(frozen=True)
class Misspelling:
    start: int  # code-point offsets into the checked text
    end: int
    word: str
    suggestions: tuple[str, ...]


DEFAULT_DICT_DIRS = [
    "/usr/share/hunspell",
    "/usr/share/myspell/dicts",
    "/usr/share/myspell",
    "/usr/local/share/hunspell",
    "/opt/homebrew/share/hunspell",
]

# Preferred dictionary per language when several regions are installed.
_PREFERRED = {"en": "en_US", "ru": "ru_RU", "af": "af_ZA", "el": "el_GR", "et": "et_EE"}
# Other regional dictionaries whose words are also right (installed by
# scripts/install-system-deps.sh): looked up in a list of their forms the
# preferred dictionary rejects (variants.py), the dictionary itself serving
# until the list is made. And languages that compound freely.
_VARIANTS = {"en": ("en_GB",)}
_COMPOUNDING = {"af", "et", "nl", "de"}

# Script a language's words are written in: a word in another script (a
# Latin brand in Russian text, a Cyrillic name in English) is not this
# dictionary's to judge.
_SCRIPT = {"ru": "Cyrillic", "uk": "Cyrillic", "bg": "Cyrillic", "el": "Greek"}

# Tokens: letters, marks, digits and _ joined by inner apostrophes or hyphens.
# Digits are matched so "10am" is one token (skipped), not "am".
_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}_]+(?:['’ʼ\-‐][\p{L}\p{M}\p{N}_]+)*")
# Spans never spell-checked: URLs, e-mails, @handles, #hashtags, domains.
_SKIP_SPANS = regex.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|(?<![\w@#])[@#][\p{L}\p{N}_][\p{L}\p{N}_.\-]*",
    regex.IGNORECASE,
)
# Domains, file names and abbreviations (Booking.com, e.g., т.е.) are found
# per token instead: a word glued to a dot and another word is skipped.
_HAS_DIGIT = regex.compile(r"[\p{N}_]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‐": "-"})
_OPENERS = set("\"'«„“‘”’(<[{*-–—•·")
_VOWELS = set("aeiouyäöüõëêïîôûéèáàâíóúαεηιουωάέήίόύώϊϋΐΰаеёиоуыэюя")

_MAX_WORD = 48
_CACHE_MAX = 8192   # per language: the hot words of recent drafts
_SUGGEST_CACHE_MAX = 4096
_IDLE_BEFORE_SEARCH_S = 0.05   # background searches run after this long without a check

# Keyboard rows (QWERTY, ЙЦУКЕН, Greek) for "the finger slipped" replacements.
_ROWS = [
    "qwertyuiopüõ", "asdfghjklöä", "zxcvbnm",
    "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю",
    ";ςερτυθιοπ", "ασδφγηξκλ", "ζχψωβνμ",
]
_ADJ: dict[str, set[str]] = {}
for _i, _row in enumerate(_ROWS):
    for _j, _c in enumerate(_row):
        near = _ADJ.setdefault(_c, set())
        for _k in (_j - 1, _j + 1):
            if 0 <= _k < len(_row):
                near.add(_row[_k])
        block = _i - _i % 3
        for _r in (_i - 1, _i + 1):  # rows above/below, same keyboard block
            if block <= _r < block + 3:
                for _k in (_j - 1, _j, _j + 1):
                    if 0 <= _k < len(_ROWS[_r]):
                        near.add(_ROWS[_r][_k])


def _base(ch: str) -> str:
    """A letter without its diacritics ('ά' -> 'α', 'ä' -> 'a')."""
    d = unicodedata.normalize("NFD", ch)
    return d[0] if d else ch


def _py_encoding(name: str) -> str:
    n = name.strip().lower()
    if n.startswith("microsoft-"):
        n = n[len("microsoft-"):]
    if n.startswith("iso") and not n.startswith("iso-") and not n.startswith("iso8859"):
        n = n.replace("iso", "iso-", 1)
    try:
        "".encode(n)
    except LookupError:
        return "utf-8"
    return n


def _load_library():
    """(lib, fast): `lib` is a CDLL (releases the GIL: used for create and the
    slow suggest, so the background thread runs in parallel); `fast` is a
    PyDLL of the same library for spell, which keeps the GIL: a 2 us call
    that released it would wait up to the 5 ms switch interval to get it
    back whenever another thread is busy (a convoy)."""
    names = ["libhunspell-1.7.so.0", "libhunspell-1.7.so", "libhunspell.so",
             "libhunspell-1.7.0.dylib", "libhunspell-1.7.dylib"]
    for cand in ("hunspell-1.7", "hunspell"):
        found = ctypes.util.find_library(cand)
        if found:
            names.append(found)
    for name in names:
        try:
            lib = ctypes.CDLL(name)
            fast = ctypes.PyDLL(name)
        except OSError:
            continue
        _plist = ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p))
        for L in (lib, fast):
            L.Hunspell_create.restype = ctypes.c_void_p
            L.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
            L.Hunspell_destroy.restype = None
            L.Hunspell_destroy.argtypes = [ctypes.c_void_p]
            L.Hunspell_spell.restype = ctypes.c_int
            L.Hunspell_spell.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
            L.Hunspell_get_dic_encoding.restype = ctypes.c_char_p
            L.Hunspell_get_dic_encoding.argtypes = [ctypes.c_void_p]
            L.Hunspell_suggest.restype = ctypes.c_int
            L.Hunspell_suggest.argtypes = [ctypes.c_void_p, _plist, ctypes.c_char_p]
            L.Hunspell_free_list.restype = None
            L.Hunspell_free_list.argtypes = [ctypes.c_void_p, _plist, ctypes.c_int]
        return lib, fast
    return None


_LIB = None
_LIB_TRIED = False
_LIB_LOCK = threading.Lock()


def _library():
    global _LIB, _LIB_TRIED
    with _LIB_LOCK:
        if not _LIB_TRIED:
            _LIB_TRIED = True
            try:
                _LIB = _load_library()
            except Exception:  # a broken library must not take the server down
                _LIB = None
        return _LIB


class _Handle:
    """One Hunspell instance. Hunspell is not thread-safe (the affix manager
    keeps per-call state), so every call holds the lock. Spell calls take
    microseconds; suggest 10-120 ms, so checks never call it (only an
    explicit SpellChecker.suggest does). One handle per language: a second
    one would double the dictionary's memory."""

    def __init__(self, libs, aff: str, dic: str):
        lib, self.fast = libs
        self.libs = libs
        self.lib = lib
        self.lock = threading.Lock()
        self.ptr = lib.Hunspell_create(os.fsencode(aff), os.fsencode(dic))
        if not self.ptr:
            raise OSError(f"hunspell could not load {dic}")
        raw = lib.Hunspell_get_dic_encoding(self.ptr) or b"UTF-8"
        self.encoding = _py_encoding(raw.decode("ascii", "replace"))
        # set when closed: the handle now in use (swapped for the compact
        # copy), or None (unloaded); a thread still holding this one asks it
        self.replaced_by: _Handle | None = None

    def close(self, replacement: "_Handle | None" = None) -> bool:
        """Free the dictionary; False if it already was (unloaded)."""
        with self.lock:
            if not self.ptr:
                return False
            self.lib.Hunspell_destroy(self.ptr)
            self.ptr = None
            self.replaced_by = replacement
            return True

    def spell(self, word: str) -> bool | None:
        """True/False, or None when the word can't be written in the
        dictionary's encoding (so it can't be judged)."""
        try:
            b = word.encode(self.encoding)
        except UnicodeEncodeError:
            return None
        with self.lock:
            if self.ptr:
                return self.fast.Hunspell_spell(self.ptr, b) != 0
        nxt = self.replaced_by
        return nxt.spell(word) if nxt is not None else None

    def suggest(self, word: str) -> list[str]:
        try:
            b = word.encode(self.encoding)
        except UnicodeEncodeError:
            return []
        lst = ctypes.POINTER(ctypes.c_char_p)()
        with self.lock:
            if not self.ptr:
                return []
            n = self.lib.Hunspell_suggest(self.ptr, ctypes.byref(lst), b)
            try:
                return [lst[i].decode(self.encoding, "replace") for i in range(n)]
            finally:
                if n:
                    self.lib.Hunspell_free_list(self.ptr, ctypes.byref(lst), n)


_UNSEEN = object()


class _Lang:
    """A loaded language: spell handle, caches, alphabet for candidates."""

    def __init__(self, lib, code: str, aff: str, dic: str, cache_dir: str | None = None):
        self.code = code
        self.aff, self.dic = aff, dic
        self.last_used = time.monotonic()
        self.cached = dictpack.cached(aff, dic, cache_dir) if cache_dir else None
        self.handle = _Handle(lib, *(self.cached or (aff, dic)))
        self.spelled: dict[str, bool | None] = {}
        self.suggested: dict[str, tuple[str, ...]] = {}
        self.pending: set[str] = set()
        self.alphabet = self._alphabet()
        self.vowels = "".join(c for c in self.alphabet if c in _VOWELS)
        self.variants: dict[str, str] = {}  # base letter -> its accented forms
        for c in self.alphabet:
            self.variants[_base(c)] = self.variants.get(_base(c), "") + c
        self.variants = {b: v for b, v in self.variants.items() if len(v) > 1 or v != b}
        self.script = _SCRIPT.get(code, "Latin")
        self._script_re = regex.compile(r"\p{Script=%s}" % self.script)
        self._script_ok: dict[str, bool] = {}
        self.good: set[str] = set()  # raw tokens that are correct in any context

    def compact_later(self, cache_dir: str) -> threading.Thread | None:
        """No compact copy yet: make it in the background (el_GR: ~10 s,
        once per machine) and swap it in; until then the original serves."""
        if self.cached or not cache_dir:
            return None

        def run():
            try:
                files = dictpack.compact(self.aff, self.dic, cache_dir)
                if files == (self.aff, self.dic):
                    return
                new = _Handle(self.handle.libs, *files)
                old = self.handle
                if old.close(new):
                    self.handle = new
                else:
                    new.close()  # unloaded meanwhile
            except Exception:
                pass  # the original stays in use

        t = threading.Thread(target=run, name=f"spelling-compact-{self.code}", daemon=True)
        t.start()
        return t

    def in_script(self, ch: str) -> bool:
        r = self._script_ok.get(ch)
        if r is None:
            r = self._script_ok[ch] = bool(self._script_re.match(ch))
        return r

    def _alphabet(self) -> str:
        """Lower-case letters to try, in the dictionary's TRY order (most
        frequent first), plus the language's accented letters."""
        try_line = ""
        try:
            with open(self.aff, "rb") as f:
                for raw in f:
                    if raw.startswith(b"TRY"):
                        try_line = raw[3:].decode(self.handle.encoding, "replace").strip()
                        break
        except OSError:
            pass
        seen: list[str] = []
        for ch in try_line:
            lo = ch.lower()
            # no "-": hunspell accepts any two words joined by a hyphen, so
            # inserting one "corrects" everything (rec-eve)
            if (lo.isalpha() or lo == "'") and lo not in seen and len(lo) == 1:
                seen.append(lo)
        return "".join(seen)

    def spell(self, word: str) -> bool | None:
        r = self.spelled.get(word, _UNSEEN)
        if r is not _UNSEEN:   # False too: a misspelling recurs as the user types
            return r  # type: ignore[return-value]
        r = self.handle.spell(word)
        if len(self.spelled) >= _CACHE_MAX:
            self.spelled.clear()  # cheap bound; refills with the hot words
        self.spelled[word] = r
        return r


class _Regional:
    """Another regional dictionary's words (en_GB for en) as a word list
    (variants.WordList; None: not made, the dictionary serves)."""

    __slots__ = ("words", "primary")

    def __init__(self):
        self.words: variants.WordList | None = None
        self.primary: tuple[str, str] | None = None   # (aff, dic) it was made against


def _unknown(word: str) -> bool:
    return False


def _slips(lo: str) -> list[str]:
    """One slip of the hand: a doubled letter undoubled or a letter doubled,
    two neighbours swapped."""
    out = []
    for i, ch in enumerate(lo):
        if i + 1 < len(lo):
            if lo[i + 1] == ch:
                out.append(lo[:i] + lo[i + 1:])
            else:
                out.append(lo[:i] + lo[i + 1] + ch + lo[i + 2:])
        if ch.isalpha():
            out.append(lo[:i] + ch + lo[i:])
    return list(dict.fromkeys(out))


def _case_like(word: str, cand: str) -> str:
    if word.isupper() and len(word) > 1:
        return cand.upper()
    if word[:1].isupper():
        return cand[:1].upper() + cand[1:]
    return cand


class SpellChecker:
    def __init__(
        self,
        dict_dirs: list[str] | None = None,
        *,
        max_suggested: int = 5,
        suggest_budget_ms: float = 6.0,
        background_suggest: bool = True,
        cache_dir: str | None = None,
        idle_unload_s: float | None = None,
    ):
        """dict_dirs: folders holding <lang>_<REGION>.aff/.dic (default: the
        DICPATH environment variable, then the usual system folders).
        max_suggested / suggest_budget_ms: per check, edit-1 suggestions are
        computed for at most this many uncached misspellings and within this
        time; the rest come from cache or, later, the background thread.
        cache_dir: where compact copies of the dictionaries are kept (None:
        load the originals). idle_unload_s: unload a language not used for
        this long (None: never)."""
        if dict_dirs is None:
            env = [d for d in os.environ.get("DICPATH", "").split(os.pathsep) if d]
            dict_dirs = env + DEFAULT_DICT_DIRS
        self.dict_dirs = list(dict_dirs)
        self.max_suggested = max_suggested
        self.suggest_budget = suggest_budget_ms / 1000.0
        self.background_suggest = background_suggest
        self._last_check = 0.0   # monotonic time of the latest check()
        self.cache_dir = cache_dir
        self.idle_unload_s = idle_unload_s
        self._next_sweep = time.monotonic() + (idle_unload_s or 0)
        self._compacting: list[threading.Thread] = []
        self._regional: dict[str, _Regional] = {}   # variant key -> its word list
        self._regional_lock = threading.Lock()
        self._langs: dict[str, _Lang | None] = {}
        self._load_lock = threading.Lock()
        self._queue: queue.Queue | None = None
        self._worker: threading.Thread | None = None

    # ---- dictionaries -------------------------------------------------

    def _find(self, lang: str) -> tuple[str, str] | None:
        lang = lang.replace("-", "_")
        base = lang.split("_")[0].lower()
        names = []
        if "_" in lang:
            names.append(base + "_" + lang.split("_", 1)[1].upper())
        if base in _PREFERRED:
            names.append(_PREFERRED[base])
        names.append(base)
        for d in self.dict_dirs:
            for n in names:
                aff, dic = os.path.join(d, n + ".aff"), os.path.join(d, n + ".dic")
                if os.path.isfile(aff) and os.path.isfile(dic):
                    return aff, dic
        for d in self.dict_dirs:  # any region: en_GB when en_US is not there
            for dic in sorted(glob.glob(os.path.join(glob.escape(d), base + "_*.dic"))):
                aff = dic[:-4] + ".aff"
                if os.path.isfile(aff):
                    return aff, dic
        return None

    def preload(self, langs: Iterable[str]) -> None:
        """Load dictionaries now (el_GR takes ~0.3 s), e.g. at server start,
        so the first check in each language is not the slow one."""
        for lang in langs:
            self._get(lang)
            base = (lang or "").lower().replace("-", "_").split("_")[0]
            for variant in _VARIANTS.get(base, ()):
                self._regional_for(base, variant)  # the list, or its build started

    def known(self, word: str, lang: str) -> bool | None:
        """Is the word in the language's dictionary? None without one. Used
        as lexical evidence by language detection on short texts."""
        L = self._get(lang) if self.available(lang) else None
        if L is None:
            return None
        return L.spell(word)

    def available(self, lang: str) -> bool:
        if not lang or _library() is None:
            return False
        key = lang.lower()
        if key in self._langs:
            return self._langs[key] is not None
        return self._find(lang) is not None

    def _get(self, lang: str) -> _Lang | None:
        key = (lang or "").lower()
        L = self._langs.get(key, 0)
        if L == 0:
            L = self._load(key, lang)
        if L is not None:
            now = time.monotonic()
            L.last_used = now
            if self.idle_unload_s is not None and now >= self._next_sweep:
                self._unload_idle(now)
        return L

    def _load(self, key: str, lang: str) -> _Lang | None:
        with self._load_lock:
            if key in self._langs:
                return self._langs[key]
            loaded = None
            lib = _library()
            found = self._find(lang) if lib is not None and lang else None
            if found:
                for other in self._langs.values():
                    if other is not None and (other.aff, other.dic) == found:
                        self._langs[key] = other  # en and en_US: one dictionary
                        return other
                try:
                    loaded = _Lang(lib, key.replace("-", "_").split("_")[0], *found, cache_dir=self.cache_dir)
                except Exception:
                    loaded = None  # unreadable dictionary: report unavailable
                if loaded is not None and self.cache_dir:
                    t = loaded.compact_later(self.cache_dir)
                    if t is not None:
                        self._compacting.append(t)
            self._langs[key] = loaded
            return loaded

    def _unload_idle(self, now: float) -> None:
        """Drop dictionaries nobody used for idle_unload_s: a user writing
        English should not keep Greek resident. The next use reloads it."""
        with self._load_lock:
            self._next_sweep = now + max(1.0, self.idle_unload_s / 10)
            idle = {id(L) for L in self._langs.values()
                    if L is not None and now - L.last_used > self.idle_unload_s}
            if not idle:
                return
            gone = []
            for key in [k for k, L in self._langs.items() if L is not None and id(L) in idle]:
                gone.append(self._langs.pop(key))
        for L in {id(x): x for x in gone}.values():
            L.handle.close()
            for variant in _VARIANTS.get(L.code, ()):
                R = self._regional.get(variant.lower())
                if R is not None and R.words is not None:
                    self._regional.pop(variant.lower(), None)  # reloaded on use (~30 ms)

    def loaded(self) -> list[str]:
        """Language keys with a dictionary in memory (for tests and stats)."""
        return sorted(k for k, L in self._langs.items() if L is not None)

    def wait_compact(self, timeout: float = 60.0) -> None:
        """Block until compact copies and word lists being made are in use
        (benchmarks, tests)."""
        end = time.monotonic() + timeout
        for t in list(self._compacting):
            t.join(max(0.0, end - time.monotonic()))

    # ---- checking -----------------------------------------------------

    def check(self, text: str, lang: str, accept: Iterable[str] = ()) -> list[Misspelling]:
        self._last_check = time.monotonic()
        try:
            L = self._get(lang)
        except Exception:
            return []
        if L is None or not text:
            return []
        accepted = self._accept_set(accept)
        # the URL/e-mail/handle regex costs ~0.2 ms per 1,000 chars; most
        # drafts have none of its marker characters
        skip = ([m.span() for m in _SKIP_SPANS.finditer(text)]
                if ("@" in text or "#" in text or "/" in text or "www." in text) else [])
        good = L.good
        n = len(text)
        out: list[tuple[int, int, str]] = []
        si = 0
        found = list(_TOKEN.finditer(text))
        # Words known correct whatever the context are most of a draft: they
        # are passed over in one comprehension, the rest looked at in turn.
        for m in [m for m in found if m.group() not in good]:
            s, e = m.span()
            while si < len(skip) and skip[si][1] <= s:
                si += 1
            if si < len(skip) and skip[si][0] < e:
                continue  # inside a URL / e-mail / handle / domain
            tok = m.group()
            if (e + 1 < n and text[e] == "." and text[e + 1].isalnum()) or (
                    s > 1 and text[s - 1] == "." and text[s - 2].isalnum()):
                continue
            if self._word_ok(L, text, s, e, tok, accepted):
                continue
            out.append((s, e, tok))
        if out:
            base = (lang or "").lower().replace("-", "_").split("_")[0]
            out = [x for x in out if not self._variant_ok(base, x[2], L) and not self._compound_ok(L, base, x[2])]
        if not out:
            return []
        return self._with_suggestions(L, out, typing_at=n)

    def _variant_ok(self, base: str, word: str, L: "_Lang | None" = None) -> bool:
        """British "apologise", "colour": any regional dictionary will do.
        Looked up in the list of the variant's forms the preferred dictionary
        (en_US) rejects, plus the preferred dictionary itself for the parts
        of hyphenated words; L: the dictionary the text is checked with (the
        list applies to the one it was made against)."""
        for variant in _VARIANTS.get(base, ()):
            R = self._regional.get(variant.lower()) or self._regional_for(base, variant)
            words = R.words
            if words is not None and (L is None or (L.aff, L.dic) == R.primary):
                P = L or self._get(base)
                if variants.accepts(words, word, P.spell if P is not None else _unknown):
                    return True
                continue
            V = self._get(variant)
            if V is not None and (V.spell(word) or V.spell(word.lower())):
                return True
            if words is None and R.words is not None:
                # the list replaced the dictionary during this call
                return self._variant_ok(base, word, L)
        return False

    def _regional_for(self, base: str, variant: str) -> "_Regional":
        """The variant's word list: from the cache folder, or made there by a
        child process (en_GB: ~5 s, once per machine) while the variant's
        dictionary serves as before; it is dropped when the list is ready.
        Without a cache folder (or for a dictionary the list can't model)
        the dictionary serves."""
        key = variant.lower()
        R = self._regional.get(key)
        if R is not None:
            return R
        with self._regional_lock:
            R = self._regional.get(key)
            if R is not None:
                return R
            R = _Regional()
            try:
                primary = self._find(base) if _library() is not None else None
                files = self._find(variant) if primary else None
                if self.cache_dir and files and primary and files != primary:
                    R.primary = primary
                    path = variants.cache_path(self.cache_dir, files, primary)
                    R.words = variants.load(path)
                    if R.words is None and not variants.unsupported(path):
                        t = threading.Thread(target=self._make_regional, args=(R, variant, files, path),
                                             name=f"spelling-variants-{key}", daemon=True)
                        t.start()
                        self._compacting.append(t)
            except Exception:
                R.words = None  # a cache problem must never cost spelling: the dictionary serves
            self._regional[key] = R
            return R

    def _make_regional(self, R: "_Regional", variant: str, files: tuple[str, str], path: str) -> None:
        try:
            assert R.primary is not None and self.cache_dir
            if not variants.build_in_child(self.cache_dir, files, R.primary):
                return  # the dictionary keeps serving
            words = variants.load(path)
            if words is None:
                return
            R.words = words
        except Exception:
            return
        # Drop the variant's dictionary now the list answers for it (a check
        # of text in that language itself would just load it again).
        key = variant.lower()
        with self._load_lock:
            V = self._langs.get(key)
            if V is None:
                return
            for k in [k for k, x in self._langs.items() if x is V]:
                del self._langs[k]
        V.handle.close()

    @staticmethod
    def _compound_ok(L: _Lang, base: str, word: str) -> bool:
        """Afrikaans and Estonian write new compounds freely
        ("skoonmaakspan", "saatmiskulu"): two known words, optionally joined
        by a linking s or e, are a word."""
        if base not in _COMPOUNDING or len(word) < 8 or not word.isalpha():
            return False
        w = word.lower()
        # Both parts of four letters or more: "resenie" is no "rese" + "nie".
        for i in range(4, len(w) - 3):
            left, right = w[:i], w[i:]
            if not L.spell(right):
                continue
            if L.spell(left) or (left[-1] in "se" and len(left) > 3 and L.spell(left[:-1])):
                return True
        return False

    @staticmethod
    def _accept_set(accept: Iterable[str]) -> set[str]:
        acc: set[str] = set()
        for a in accept or ():
            if not a:
                continue
            a = unicodedata.normalize("NFC", str(a)).translate(_APOSTROPHES).casefold()
            acc.add(a)
            for t in _TOKEN.findall(a):  # "Hotel Adlon" accepts both words
                acc.add(t)
        return acc

    def _word_ok(self, L: _Lang, text: str, s: int, e: int, tok: str, accepted: set[str]) -> bool:
        if len(tok) < 2 or len(tok) > _MAX_WORD:
            return True  # single letters ('n, "a") and run-on garbage: no verdict
        if _HAS_DIGIT.search(tok):
            return True
        letters = [c for c in tok if c.isalpha()]
        if not letters:
            return True
        word = unicodedata.normalize("NFC", tok).translate(_APOSTROPHES)
        if not L.in_script(letters[0]):
            return True
        upper = [c.isupper() for c in letters]
        if all(upper):
            if len(letters) <= 5:
                return True  # acronym: SMS, GPS, ВТБ
        elif any(upper[1:]):
            return True  # mixed case: iPhone, WiFi, McDonald
        elif upper[0] and not self._sentence_start(text, s):
            return True  # capitalised mid-sentence: a proper name
        folded = word.casefold()
        if folded in accepted:
            return True
        if accepted and self._accepted_inflection(folded, accepted):
            return True
        r = L.spell(word)
        if r is None or r:
            # correct in any context (a capitalised word mid-sentence was
            # skipped above, before reaching here): remember the raw token
            if len(L.good) >= _CACHE_MAX:
                L.good.clear()
            L.good.add(tok)
            return True
        # Apostrophes at the edges belong to some words: Afrikaans 'n/'t,
        # Greek elision (σ' αγαπώ, απ' το), English dialect ('em, goin').
        if s > 0 and text[s - 1] in "'’ʼ" and L.spell("'" + word):
            return True
        if e < len(text) and text[e] in "'’ʼ" and L.spell(word + "'"):
            return True
        if all(upper) and L.code == "el":
            # Greek capitals are written without accents: ΕΥΧΑΡΙΣΤΟΥΜΕ.
            return bool(self._edit1(L, word.lower(), accents_only=True))
        return False

    @staticmethod
    def _accepted_inflection(folded: str, accepted: set[str]) -> bool:
        # Names decline in ru/et/el (Анна -> Анне, Anna -> Annale): accept an
        # accepted word (4+ letters) plus a short ending, and English 's.
        if folded.endswith("'s") and folded[:-2] in accepted:
            return True
        for cut in (1, 2, 3):
            stem = folded[:-cut]
            if len(stem) >= 4 and stem in accepted:
                return True
            # the stem's last vowel may itself change: Анна -> Анной
            if len(stem) >= 3 and any(a.startswith(stem) and len(a) - len(stem) <= 1
                                      and len(a) >= 4 for a in accepted if a[:1] == stem[:1]):
                return True
        return False

    @staticmethod
    def _sentence_start(text: str, s: int) -> bool:
        i = s - 1
        while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
            if text[i] in "\n\r\u2029":
                return True
            i -= 1
        if i < 0:
            return True
        return text[i] in ".!?…;:\u037e" and (i + 1 >= s or not text[i + 1].isalnum())

    # ---- suggestions --------------------------------------------------

    def _with_suggestions(self, L: _Lang, found: list[tuple[int, int, str]],
                          typing_at: int = -1) -> list[Misspelling]:
        deadline = time.perf_counter() + self.suggest_budget
        computed = 0
        result = []
        for s, e, tok in found:
            word = unicodedata.normalize("NFC", tok).translate(_APOSTROPHES)
            sug = L.suggested.get(word)
            if sug is None:
                if computed < self.max_suggested and time.perf_counter() < deadline:
                    computed += 1
                    sug = tuple(self._edit1(L, word, tier3=False)[:3])
                    if sug or e != typing_at:
                        # cached even when empty, so the next check doesn't
                        # redo the search; the background result replaces it
                        self._store(L, word, sug)
                    # A word that ends the text may be half typed ("accomm"):
                    # the deeper search waits until it is finished.
                    if not sug and e != typing_at:
                        self._queue_background(L, word)
                else:
                    # over budget: a later check (the extension re-checks as
                    # the user types) computes them with a fresh budget
                    sug = ()
            result.append(Misspelling(s, e, tok, sug))
        return result

    @staticmethod
    def _store(L: _Lang, word: str, sug: tuple[str, ...]) -> None:
        if len(L.suggested) >= _SUGGEST_CACHE_MAX:
            L.suggested.clear()
        L.suggested[word] = sug

    def suggest(self, word: str, lang: str) -> tuple[str, ...]:
        """Up to 3 suggestions for one word, computed now (may take 100 ms
        when hunspell's own suggest is needed); cached."""
        L = self._get(lang)
        if L is None or not word:
            return ()
        word = unicodedata.normalize("NFC", word).translate(_APOSTROPHES)
        if word in L.suggested:
            return L.suggested[word]
        sug = tuple(self._edit1(L, word)[:3]) or tuple(self._full_suggest(L, word, L.handle))
        self._store(L, word, sug)
        return sug

    def _edit1(self, L: _Lang, word: str, accents_only: bool = False, tier3: bool = True) -> list[str]:
        """Dictionary words one edit away, best first, in tiers so the common
        case stays cheap (a 12-letter word has ~1,000 edit-1 strings):
        1. a missing or wrong accent (Greek ευχαριστουμε, Estonian tanan);
        2. how people slip: swapped neighbours, vowel for vowel, a neighbouring
           key, a doubled or undoubled letter, a missing apostrophe;
        3. any other replacement, deletion, insertion, or a missing space.
        Tier 3 is tried only when tiers 1-2 found nothing, and not inside
        check() (tier3=False): with ~1,000 lookups for a long word it costs
        5-10 ms; the background thread covers those words."""
        lo = word.lower()
        n = len(lo)
        alpha = L.alphabet or "abcdefghijklmnopqrstuvwxyz"
        good: list[str] = []
        seen: set[str] = {lo}

        def run(cands: list[tuple[float, int, str]]) -> bool:
            cands.sort()
            for _, _, c in cands:
                if c in seen:
                    continue
                seen.add(c)
                if c[:1] in "-'" or c[-1:] in "-'" or "''" in c:
                    continue
                # Candidates go to hunspell directly: caching a thousand
                # one-off strings per search would push the hot words out.
                spell = L.handle.spell
                if " " in c:
                    ok = all(len(p) > 1 and spell(p) for p in c.split(" "))
                else:
                    ok = bool(spell(_case_like(word, c))) or bool(spell(c))
                if ok:
                    good.append(_case_like(word, c))
                    if len(good) >= 3:
                        return True
            return False

        t1 = []
        for i, ch in enumerate(lo):
            for k, a in enumerate(L.variants.get(_base(ch), ())):
                if a != ch:
                    t1.append((0.0, k, lo[:i] + a + lo[i + 1:]))
        if run(t1) or accents_only:
            return good
        t2 = []
        for i, ch in enumerate(lo):
            if i + 1 < n and lo[i + 1] != ch:
                t2.append((1.0, i, lo[:i] + lo[i + 1] + ch + lo[i + 2:]))
            if 0 < i and "'" in alpha:
                t2.append((1.05, i, lo[:i] + "'" + lo[i:]))  # "dont"
            if ch in _VOWELS:
                for k, a in enumerate(L.vowels):
                    if a != ch and _base(a) != _base(ch):
                        t2.append((1.1, k, lo[:i] + a + lo[i + 1:]))
            if i > 0 and lo[i - 1] == ch:
                t2.append((1.15, i, lo[:i] + lo[i + 1:]))  # "recieeve"
            if ch.isalpha():
                t2.append((1.15, i, lo[:i] + ch + lo[i:]))  # "acomodation"
            for a in _ADJ.get(ch, ()):
                t2.append((1.2, i, lo[:i] + a + lo[i + 1:]))
        if run(t2) or good or not tier3:
            return good
        t3 = []
        for i, ch in enumerate(lo):
            for k, a in enumerate(alpha):
                if a != ch:
                    t3.append((2.0, k, lo[:i] + a + lo[i + 1:]))
            t3.append((2.2, i, lo[:i] + lo[i + 1:]))
        for i in range(n + 1):
            for k, a in enumerate(alpha):
                t3.append((2.1, k, lo[:i] + a + lo[i:]))
        for i in range(2, n - 1):  # run-together words: "thankyou"
            t3.append((2.5, i, lo[:i] + " " + lo[i:]))
        run(t3)
        return good

    def _background_suggest(self, L: _Lang, word: str) -> tuple[str, ...]:
        """For a word with no quick fix, off the request path: every edit-1
        candidate, then two slips at once (a doubled letter and a swapped or
        undoubled one: "recomendd"). Only short spell calls: hunspell's own
        suggest would hold the dictionary's lock for 10-120 ms, and a
        request in that language would wait for it."""
        found = self._edit1(L, word)
        if found:
            return tuple(found[:3])
        lo = word.lower()
        seen = {lo}
        out: list[str] = []
        for first in _slips(lo):
            for cand in _slips(first):
                if cand in seen:
                    continue
                seen.add(cand)
                if L.handle.spell(_case_like(word, cand)) or L.handle.spell(cand):
                    out.append(_case_like(word, cand))
                    if len(out) >= 3:
                        return tuple(out)
        return tuple(out)

    def _full_suggest(self, L: _Lang, word: str, handle: _Handle) -> list[str]:
        out = []
        for c in handle.suggest(word):
            if c != word and c not in out:
                out.append(c)
            if len(out) >= 3:
                break
        return out

    def _queue_background(self, L: _Lang, word: str) -> None:
        if not self.background_suggest or word in L.pending:
            return
        if self._queue is None:
            with self._load_lock:
                if self._queue is None:
                    self._queue = queue.Queue(maxsize=1000)
                    self._worker = threading.Thread(
                        target=self._work, name="spelling-suggest", daemon=True)
                    self._worker.start()
        try:
            self._queue.put_nowait((L, word))
            L.pending.add(word)
        except queue.Full:
            pass

    def _work(self) -> None:
        assert self._queue is not None
        while True:
            L, word = self._queue.get()
            # A search is ~10-20 ms of Python holding the GIL: it waits for a
            # pause in the checks, so requests never queue behind it.
            while time.monotonic() - self._last_check < _IDLE_BEFORE_SEARCH_S:
                time.sleep(_IDLE_BEFORE_SEARCH_S)
            try:
                if L.suggested.get(word):
                    continue
                self._store(L, word, self._background_suggest(L, word))
            except Exception:
                pass
            finally:
                L.pending.discard(word)
                self._queue.task_done()

    def wait_background(self, timeout: float = 10.0) -> None:
        """Block until queued background suggestions are done (tests, CLI)."""
        q = self._queue
        if q is None:
            return
        end = time.monotonic() + timeout
        while q.unfinished_tasks and time.monotonic() < end:
            time.sleep(0.005)
