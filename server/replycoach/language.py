"""Language identification for drafts and reviews (langdetect profiles + priors).

Why not just ``langdetect.detect_langs``: its Monte-Carlo trials keep
re-sampling the same few n-grams until one language reaches 0.99999, so even a
two-word text comes out "certain" and a review-language prior can never
outweigh it. We use langdetect's own profiles, text cleaning and n-gram
extraction, but sum the smoothed log-likelihoods of *all* n-grams exactly (the
quantity the trials approximate). That is deterministic, fast, and gives a
graded score that a prior can be weighed against:

    posterior(l) ~ exp(loglik(l) / TEMPERATURE) * prior(l)

- ``TEMPERATURE`` undoes the overconfidence of counting 1-, 2- and 3-grams of
  the same characters as independent evidence (fitted on the even-numbered
  lines of the benchmark data only; see benchmarks/langid_accuracy.py).
- ``prior(l)`` puts most mass on the supported languages and their close
  neighbours (so Afrikaans is not reported as Dutch by accident), a little on
  every other langdetect language (a genuinely French draft is still ``fr``),
  and ``REVIEW_PRIOR`` on the review's language when it is known.
- Script heuristics run first: only letters of the dominant script are scored
  (a Russian reply naming "Hotel Plaza" stays Russian), Latin look-alikes inside
  Cyrillic words are repaired (Ukrainian typed with a Latin "i"), and letters
  that one language has and its neighbours lack (ы/э/ё vs і/ї/є/ґ) settle
  Russian vs Ukrainian.
"""
from __future__ import annotations

import json
import math
from array import array
import struct
import os
import threading
from collections import OrderedDict
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from bisect import bisect_left
from itertools import islice

import regex
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils.ngram import NGram

from . import cachefiles

CORE = ("en", "ru", "af", "el", "et")

# Languages a draft in a supported language is most easily mistaken for (and
# which a writer of that language may really use). Only those langdetect has a
# profile for count; "be" is recognised by its letters instead.
NEIGHBOURS = {
    "en": ("nl", "de"),
    "af": ("nl", "de"),
    "nl": ("af", "de"),
    "de": ("nl",),
    "ru": ("uk", "bg", "mk"),
    "uk": ("ru", "bg"),
    "bg": ("ru", "mk"),
    "et": ("fi", "lv", "lt"),
    "fi": ("et",),
    "lv": ("lt", "et"),
    "lt": ("lv",),
    "el": (),
}

TEMPERATURE = 4.0       # fitted: benchmarks/langid_accuracy.py --fit (even lines only)
REVIEW_PRIOR = 0.9      # P(draft is in the review's language) before reading it
OTHER_MASS = 0.002      # total prior of all languages outside the candidate set
SUPPORTED_WEIGHT = 3.0  # a supported language is this much likelier than a neighbour
MIN_LETTERS = 2         # fewer letters than this is "too little text"

_ALPHA = 0.5 / 10000    # langdetect's smoothing (ALPHA_DEFAULT / BASE_FREQ)
_CODE = regex.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")

_URL = regex.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+")
_MENTION = regex.compile(r"(?<!\w)[@#][\w.]+")
_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|['’][\p{L}]+")
_LETTER = regex.compile(r"\p{L}")
# Scripts we tell apart (hiragana and katakana together: both mean Japanese).
_SCRIPTS = tuple(
    (name, regex.compile(r"\p{Script=%s}" % name))
    for name in ("Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul",
                 "Arabic", "Hebrew", "Thai", "Devanagari", "Bengali", "Gujarati", "Gurmukhi",
                 "Kannada", "Malayalam", "Tamil", "Telugu", "Georgian", "Armenian")
)
_SCRIPT_GROUP = {"Hiragana": "Kana", "Katakana": "Kana"}
ELIGIBLE_SHARE = 0.1    # a language is possible if >= 10% of its letters are in the text's script

# Scripts langdetect has no profile for: the script alone names the language.
_SCRIPT_ONLY = (
    (regex.compile(r"\p{Script=Georgian}"), "ka"),
    (regex.compile(r"\p{Script=Armenian}"), "hy"),
    (regex.compile(r"\p{Script=Ethiopic}"), "am"),
    (regex.compile(r"\p{Script=Khmer}"), "km"),
    (regex.compile(r"\p{Script=Lao}"), "lo"),
    (regex.compile(r"\p{Script=Myanmar}"), "my"),
    (regex.compile(r"\p{Script=Sinhala}"), "si"),
    (regex.compile(r"\p{Script=Tibetan}"), "bo"),
)

# Latin letters that look like Cyrillic ones, and back: mixed-script words are
# typos or keyboard habits (Ukrainian "вiн" with a Latin i) and would otherwise
# break the n-grams.
_LAT_TO_CYR = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
_CYR_TO_LAT = str.maketrans("асеіорхуАВСЕНІКМОРТХУ", "aceiopxyABCEHIKMOPTXY")

_RU_ONLY = frozenset("ыэёЫЭЁ")        # not in uk, bg, mk
_UK_ONLY = frozenset("іїєґІЇЄҐ")      # not in ru, bg, mk
_BE_ONLY = frozenset("ўЎ")
_HARD_SIGN = frozenset("ъЪ")          # ru, bg; never uk, mk
_MK_ONLY = frozenset("ѓќѕљњџјЃЌЅЉЊЏЈ")
_LETTER_PENALTY = 30.0                # nats of log-likelihood per telling letter


@dataclass(frozen=True)
class LanguageResult:
    code: str            # "" when unknown (empty/too little text)
    confidence: float    # 0..1
    source: str          # "detected" | "given" | "review" | "unknown"
    supported: bool      # code in the supported set

    def to_dict(self) -> dict:
        return {"code": self.code, "confidence": round(self.confidence, 4),
                "source": self.source, "supported": self.supported}


def normalize_code(code: str | None) -> str | None:
    """'RU', 'ru-RU', 'en_GB' -> primary subtag; None/''/'auto' -> None.

    Raises ValueError for anything that is not a language code."""
    if code is None:
        return None
    if not isinstance(code, str):
        raise ValueError(f"language code must be a string, not {type(code).__name__}")
    c = code.strip().lower()
    if c in ("", "auto"):
        return None
    m = _CODE.match(c)
    if not m:
        raise ValueError(f"not a language code: {code!r}")
    return m.group(1)


class _Profiles:
    """langdetect's profiles as a sparse table of log-likelihood gains per
    n-gram (most entries are zero), plus a DetectorFactory made on first use.

    The tables are built from langdetect's JSON files once per machine, in a
    child process, and kept in the cache folder (marshal): parsing the JSON
    left ~12 MB of fragmented heap behind that the process could not give
    back. Without a writable cache folder they are built in process."""

    def __init__(self, seed: int, cache_dir: str | None = "", share: _Profiles | None = None):
        # cache_dir: "" the per-machine cache folder, None no cache file.
        # share: a loaded _Profiles (another seed) whose tables to reuse.
        self.seed = seed
        self._factory = None
        if share is not None:
            self.langs, self.gain, self.scripts = share.langs, share.gain, share.scripts
        else:
            tables = self._from_cache(cache_dir) if cache_dir is not None else None
            langs, gain, unigrams = tables or self._read_profiles()
            self.langs: list[str] = langs
            self.gain = _GainTable(*gain)
            self.scripts = self._letter_scripts(unigrams)
        self.index = {lang: i for i, lang in enumerate(self.langs)}

    @property
    def factory(self) -> DetectorFactory:
        # langdetect's Detector is used only to clean text and extract
        # n-grams (ngrams(): tests, benchmarks); it needs to know which
        # n-grams exist.
        factory = self._factory
        if factory is None:
            factory = DetectorFactory()
            factory.set_seed(self.seed)      # Detectors it creates are reproducible too
            factory.langlist = list(self.langs)
            factory.word_lang_prob_map = self.gain
            self._factory = factory
        return factory

    @staticmethod
    def _read_profiles() -> tuple[list[str], tuple[bytes, bytes, bytes], list[tuple[str, bytes]]]:
        """(langs, gain, unigrams) from langdetect's JSON files. gain: the
        parts of a _GainTable. unigrams:
        per language its letters and their probabilities (array "d" bytes),
        in file order, for _letter_scripts."""
        # Profiles are read one at a time straight into packed bytes, not
        # through DetectorFactory.load_json_profile: its 55-float list per
        # n-gram cost ~90 MB of memory that fragmentation kept.
        # Sorted, so language order (and tie-breaking) does not depend on the
        # file system's directory order.
        names = sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))
        base = math.log(_ALPHA)
        gain: dict[str, bytearray] = {}
        langs: list[str] = []
        unigrams: list[tuple[str, bytes]] = []
        for i, name in enumerate(names):
            with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as fh:
                profile = json.load(fh)
            langs.append(profile["name"])
            n_words = profile["n_words"]
            chars: list[str] = []
            probs = array("d")
            for gram, count in profile["freq"].items():
                size = len(gram)
                if not 1 <= size <= 3 or not count:
                    continue
                p = count / n_words[size - 1]   # langdetect's own estimate
                # log(alpha + p) - log(alpha): relative to "never seen";
                # float32 is ample for summed log gains.
                buf = gain.get(gram)
                if buf is None:
                    buf = gain[gram] = bytearray()
                buf += _PAIR.pack(i, math.log(_ALPHA + p) - base)
                if size == 1:
                    chars.append(gram)
                    probs.append(p)
            unigrams.append(("".join(chars), probs.tobytes()))
            del profile
        # A language alone in its script (Greek, Korean, Thai, Hebrew...) is
        # the only candidate for text in that script, so its n-grams never
        # change a result: _score names it without scoring. Dropping the
        # n-grams only it has halves the table (Korean alone has 23,000).
        scripts = _Profiles._letter_scripts(unigrams)
        alone = {i for i, own in enumerate(scripts) if len(own) == 1 and
                 sum(1 for other in scripts if own & other) == 1}
        kept = {g: bytes(b) for g, b in gain.items() if not all(i in alone for i, _ in _PAIR.iter_unpack(b))}
        return langs, _GainTable.parts(kept), unigrams

    @staticmethod
    def _letter_scripts(unigrams: list[tuple[str, bytes]]) -> list[frozenset]:
        """Per language, the scripts it writes in (>= ELIGIBLE_SHARE of its
        letters' probability mass). Computed here, not cached, so it follows
        _char_script."""
        scripts = []
        for chars, probs in unigrams:
            letters = Counter()
            for ch, p in zip(chars, array("d", probs)):
                letters[_char_script(ch)] += p
            scripts.append(frozenset(s for s, m in letters.items()
                                     if m >= ELIGIBLE_SHARE * sum(letters.values())))
        return scripts

    @staticmethod
    def _cache_key() -> str:
        """Changes with the table format, the Python version, langdetect's
        version and its profile files (names, sizes, mtimes). Kept whole in
        the file; its name has a checksum of it."""
        import sys
        package = os.path.dirname(os.path.abspath(PROFILES_DIRECTORY))
        version = [n for n in os.listdir(os.path.dirname(package))
                   if n.startswith("langdetect-") and n.endswith((".dist-info", ".egg-info"))]
        if not version:
            try:
                from importlib.metadata import version as dist_version
                version = [dist_version("langdetect")]
            except Exception:
                version = ["?"]
        files = []
        for name in sorted(os.listdir(PROFILES_DIRECTORY)):
            st = os.stat(os.path.join(PROFILES_DIRECTORY, name))
            files.append((name, st.st_size, st.st_mtime_ns))
        return repr((_CACHE_FORMAT, _ALPHA, _PAIR.format, sys.version_info[:2], sorted(version),
                     package, files))

    @classmethod
    def _cache_path(cls, cache_dir: str) -> tuple[str, str]:
        if not cache_dir:
            from .config import _cache_dir
            cache_dir = _cache_dir()
        key = cls._cache_key()
        name = f"profiles-{cachefiles.checksum(key.encode('utf-8', 'surrogateescape'))}.marshal"
        return os.path.join(cache_dir, "langdetect", name), key

    @classmethod
    def _from_cache(cls, cache_dir: str):
        """(langs, gain, unigrams) from the cache file, made first by a child
        process if missing; None if that fails (no writable folder...)."""
        import marshal
        try:
            path, key = cls._cache_path(cache_dir)
            for attempt in (0, 1):
                try:
                    with open(path, "rb") as fh:
                        data = fh.read()
                    tables = marshal.loads(data)
                    del data
                    if (isinstance(tables, tuple) and len(tables) == 5 and tables[:2] == (_CACHE_FORMAT, key)
                            and isinstance(tables[3], tuple) and len(tables[2]) == len(tables[4])):
                        return tables[2:]
                except (OSError, ValueError, EOFError, TypeError):
                    pass
                if attempt or not cls._build_in_child(os.path.dirname(path)):
                    return None
        except Exception:   # a cache problem must never cost language detection
            return None
        return None

    @staticmethod
    def _build_in_child(folder: str) -> bool:
        """Writes the cache file from a child process, so this process never
        parses the JSON (its heap stays compact)."""
        code = "import sys; from replycoach.language import _Profiles; _Profiles._write_cache(sys.argv[1])"
        return cachefiles.build_in_child(folder, code, [os.path.dirname(folder)], _CACHE_BUILD_TIMEOUT)

    @classmethod
    def _write_cache(cls, cache_dir: str) -> str:
        """Builds the tables and writes them atomically (runs in the child)."""
        import marshal
        path, key = cls._cache_path(cache_dir)
        langs, gain, unigrams = cls._read_profiles()
        data = marshal.dumps((_CACHE_FORMAT, key, langs, gain, unigrams))
        cachefiles.write_atomic(path, data)
        cachefiles.remove_stale(path, "profiles-", ".marshal")
        return path

    def ngrams(self, text: str) -> list[str]:
        detector = self.factory.create()
        detector.append(text)
        detector.cleaning_text()
        return extract_ngrams(detector.text, self.gain)

    def loglik(self, grams: list[str]) -> list[float]:
        scores = [0.0] * len(self.langs)
        for gram, count in Counter(grams).items():
            entry = self.gain.get(gram)
            if entry:
                for i, g in _PAIR.iter_unpack(entry):
                    scores[i] += count * g
        return scores


_NGRAM_CHAR: dict[str, str] = {}


def extract_ngrams(text: str, known) -> list[str]:
    """langdetect 1.0.9's Detector._extract_ngrams (pinned), with its
    per-character normalisation cached: the same n-grams, several times
    faster (tests/test_language.py compares the two)."""
    result: list[str] = []
    grams = " "
    capital = False
    for raw in text:
        ch = _NGRAM_CHAR.get(raw)
        if ch is None:
            ch = _NGRAM_CHAR[raw] = NGram.normalize(raw)
        last = grams[-1]
        if last == " ":
            grams = " "
            capital = False
            if ch == " ":
                continue
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        for n in (1, 2, 3):
            if len(grams) < n:
                break
            w = grams[-n:]
            if w != " " and w in known:
                result.append(w)
    return result


_PAIR = struct.Struct("<Bf")   # (language index, log gain) packed: 5 bytes an entry


def _gram_code(gram: str) -> int:
    """An n-gram (1-3 characters, never NUL) as one number, in text order."""
    code = 0
    for k, ch in enumerate(gram):
        code |= ord(ch) << (42 - 21 * k)
    return code


class _GainTable:
    """n-gram -> packed (language index, log gain) entries, in three flat
    arrays: sorted n-gram codes, where each entry ends, and the entries.
    A dict of 40,000 short strings cost ~5.5 MB; this ~1.5 MB, and a look-up
    (only for words not yet scored) is a bisect."""

    def __init__(self, codes: bytes, ends: bytes, blob: bytes):
        self._codes = array("Q", codes)
        self._ends = array("I", ends)
        self._blob = blob
        if len(self._ends) != len(self._codes) + 1 or self._ends[-1] != len(blob):
            raise ValueError("inconsistent n-gram table")

    @staticmethod
    def parts(gain: dict[str, bytes]) -> tuple[bytes, bytes, bytes]:
        items = sorted((_gram_code(g), b) for g, b in gain.items())
        ends = array("I", [0])
        for _, b in items:
            ends.append(ends[-1] + len(b))
        return array("Q", [c for c, _ in items]).tobytes(), ends.tobytes(), b"".join(b for _, b in items)

    def _find(self, gram: str) -> int:
        if not 1 <= len(gram) <= 3:
            return -1
        code = _gram_code(gram)
        i = bisect_left(self._codes, code)
        return i if i < len(self._codes) and self._codes[i] == code else -1

    def get(self, gram: str, default=None):
        i = self._find(gram)
        return default if i < 0 else self._blob[self._ends[i]:self._ends[i + 1]]

    def __contains__(self, gram) -> bool:
        return isinstance(gram, str) and self._find(gram) >= 0

    def __len__(self) -> int:
        return len(self._codes)

    def items(self):
        for i, code in enumerate(self._codes):
            gram = "".join(chr(code >> (42 - 21 * k) & 0x1FFFFF) for k in range(3)).rstrip("\0")
            yield gram, self._blob[self._ends[i]:self._ends[i + 1]]

    def keys(self):
        return [g for g, _ in self.items()]

    def values(self):
        return [b for _, b in self.items()]

    def __eq__(self, other) -> bool:
        return isinstance(other, _GainTable) and (self._codes, self._ends, self._blob) == \
            (other._codes, other._ends, other._blob)

    __hash__ = None
_CACHE_FORMAT = 3               # of the profile cache file; bump when _read_profiles changes
_CACHE_BUILD_TIMEOUT = 120.0    # s for the child process that writes it (~1 s)
_PROFILES: dict[int, _Profiles] = {}
_PROFILES_LOCK = threading.Lock()


def _profiles(seed: int) -> _Profiles:
    with _PROFILES_LOCK:
        if seed not in _PROFILES:
            # The tables do not depend on the seed: share them.
            _PROFILES[seed] = _Profiles(seed, share=next(iter(_PROFILES.values()), None))
        return _PROFILES[seed]


def clean(text: str) -> str:
    """The words worth scoring: no URLs, e-mails, @mentions, #tags, digits,
    emoji or punctuation; look-alike letters repaired; SHOUTED words lowered
    (langdetect skips all-caps words)."""
    text = unicodedata.normalize("NFC", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    return " ".join(map(_clean_word, _WORD.findall(text)))


@lru_cache(maxsize=4096)
def _clean_word(word: str) -> str:
    word = _fix_lookalikes(word)
    if len(word) > 1 and word.isupper():
        word = word.lower()
    return word


def _fix_lookalikes(word: str) -> str:
    cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
    if not cyr or cyr == len(word):
        return word
    lat = sum(1 for ch in word if ch.isascii())
    if not lat:
        return word
    if cyr >= lat:
        return word.translate(_LAT_TO_CYR)
    return word.translate(_CYR_TO_LAT)


@lru_cache(maxsize=4096)
def _char_script(ch: str) -> str:
    for name, rx in _SCRIPTS:
        if rx.match(ch):
            return _SCRIPT_GROUP.get(name, name)
    return "Other"


def _dominant(letters: Counter) -> str:
    """The script to score. Replies in other scripts often name Latin-script
    brands and places ("Radisson Blu Hotel"); Latin-script replies rarely
    contain Cyrillic or Greek words. So a non-Latin script with at least half
    as many letters as the Latin one wins."""
    script = letters.most_common(1)[0][0]
    if script == "Latin":
        rivals = [(n, s) for s, n in letters.items() if s not in ("Latin", "Other")]
        if rivals and max(rivals)[0] * 2 >= letters["Latin"]:
            return max(rivals)[1]
    return script


def _script(word: str) -> str:
    return Counter(map(_char_script, word)).most_common(1)[0][0]


@lru_cache(maxsize=4096)
def _script_letters(word: str) -> tuple[str, int]:
    """A word's script and how many letters it has (words recur)."""
    return _script(word), len(_LETTER.findall(word))


CACHE_SIZE = 512
# Per-word log likelihood ratios of "the dictionary knows it" vs a language
# without a dictionary: P(known | L) ~ 0.95 against ~0.3 by chance.
LEX_KNOWN = math.log(0.95 / 0.3)
LEX_UNKNOWN = math.log(0.05 / 0.7)
LEX_CAP = 20.0
LEX_MAX_WORDS = 25
_LEX_WORD = regex.compile(r"[\p{L}][\p{L}'’]+")
SAMPLE_CHARS = 600
# A long text's first words nearly always settle its language: the rest is
# read only when they do not. On texts of ~700 characters in 12 languages,
# the first 160 reach this confidence in ~99%, and stopping there named the
# wrong language no more often than reading 600 (benchmarks/langid_accuracy.py).
QUICK_CHARS = 160
QUICK_CONFIDENCE = 0.9999
PRIORS_MAX = 256   # (eligible languages, prior) pairs: scripts x review languages
# Cached per-word scores: a user's vocabulary, so a new draft is mostly
# known words (float32 for the languages of the word's script: ~0.25 KB each).
WORD_SCORES_MAX = 8192
_NO_GRAMS = array("f")
_LD_LATIN = regex.compile(r"[A-z]")
# At or above U+0300, except the block "Latin Extended Additional".
_LD_OTHER = regex.compile(r"[^\x00-\u02ff\u1e00-\u1eff]")


def _strip_latin(words: list[str]) -> bool:
    """langdetect's cleaning_text drops Latin letters from a text that is
    mostly another script; the same decision, over all the words."""
    text = "".join(words)
    if not _LD_OTHER.search(text):
        return False     # the usual case for Latin-script words: no counting
    return len(_LD_LATIN.findall(text)) * 2 < len(_LD_OTHER.findall(text))


def _langdetect_text(word: str, strip: bool) -> str:
    """One word as langdetect's Detector.append and cleaning_text leave it."""
    text = Detector.URL_RE.sub(" ", word)
    text = Detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    if strip:
        text = "".join(ch for ch in text if ch < "A" or "z" < ch)
    return text


def _sample(text: str, chars: int = SAMPLE_CHARS) -> str:
    """The first `chars` characters of `text`, cut at a space."""
    if not text or len(text) <= chars:
        return text
    cut = text.rfind(" ", 0, chars)
    return text[:cut if cut > chars // 2 else chars]


class LanguageDetector:
    def __init__(self, supported=CORE, seed: int = 0, lexicon=None):
        # lexicon(word, lang) -> True/False/None: a dictionary look-up
        # (SpellChecker.known), used on short texts only.
        self.lexicon = lexicon
        self.supported = frozenset(c for c in map(normalize_code, supported) if c)
        self.seed = seed
        self._lock = threading.Lock()
        self._p: _Profiles | None = None
        wanted = set(self.supported) | set(CORE)
        for code in list(wanted):
            wanted.update(NEIGHBOURS.get(code, ()))
        self.candidates = frozenset(wanted)
        self._cache: OrderedDict = OrderedDict()
        self._cache_lock = threading.Lock()
        self._word_scores: dict[str, array] = {}
        self._lanes: dict[tuple, int] = {}   # the eligible-language tuples seen, numbered
        self._priors: dict[tuple, dict[int, float]] = {}   # see _log_prior

    def _load(self) -> _Profiles:
        # Profiles load lazily (~0.5 s) and once per process and seed, behind a lock.
        with self._lock:
            if self._p is None:
                self._p = _profiles(self.seed)
            return self._p

    def _result(self, code: str, confidence: float, source: str) -> LanguageResult:
        return LanguageResult(code, float(min(max(confidence, 0.0), 1.0)), source,
                              code in self.supported)

    def detect(self, text: str, *, hint: str | None = None, prior: str | None = None) -> LanguageResult:
        given = normalize_code(hint)
        if given:
            return self._result(given, 1.0, "given")
        # The first few hundred characters decide as well as the whole text,
        # and as the user types the same review is detected again and again.
        text = _sample(text)
        key = (text, prior)
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        head = _sample(text, QUICK_CHARS)
        result = None
        if head is not text:
            result = self._detect(head, prior, part=True)
        if result is None or result.confidence < QUICK_CONFIDENCE:
            result = self._detect(text, prior)
        with self._cache_lock:
            self._cache[key] = result
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def _detect(self, text: str, prior: str | None, part: bool = False) -> LanguageResult:
        """`part`: `text` is the start of a longer text. Its words are many, so
        letter statistics alone decide (no lexicon), and its last word has
        more text after it, as the others do."""
        prior_code = normalize_code(prior)
        scored = self._score(text, part)
        if isinstance(scored, LanguageResult):
            return scored
        p, z = scored
        if not part and self.lexicon is not None:
            z = self._with_lexicon(text, p, z)
        # The best language without the review's prior (a softmax keeps the order).
        logp = self._log_prior(p, tuple(z), None)
        best = max(z, key=lambda i: z[i] + logp[i])
        prior_idx = self._prior_index(p, prior, prior_code)
        if prior_idx not in z:  # no prior, unknown to langdetect, or another script
            return self._result(p.langs[best], self._posterior(p, z, None)[best], "detected")
        post = self._posterior(p, z, prior_idx)
        best_p = max(post, key=post.__getitem__)
        source = "review" if best_p == prior_idx and best != prior_idx else "detected"
        return self._result(p.langs[best_p], post[best_p], source)

    def _with_lexicon(self, text: str, p: _Profiles, z: dict[int, float]) -> dict[int, float]:
        """Letter statistics are weak on a few words ("We don't believe you."
        reads as Afrikaans to them): add, per word, the evidence of each
        supported language's dictionary knowing it or not."""
        # Stop reading at the first word too many: a long text is left as is.
        found = [m.group() for m in islice(_LEX_WORD.finditer(text), LEX_MAX_WORDS + 1)]
        if len(found) > LEX_MAX_WORDS:
            return z
        words = [w for k, w in enumerate(found) if k == 0 or not w[:1].isupper()]
        if not words:
            return z
        z = dict(z)
        for i in z:
            lang = p.langs[i]
            if lang not in self.supported:
                continue
            score = 0.0
            judged = False
            for w in words:
                known = self.lexicon(w.lower(), lang)
                if known is None:
                    continue
                judged = True
                score += LEX_KNOWN if known else LEX_UNKNOWN
            if judged:
                z[i] += max(-LEX_CAP, min(LEX_CAP, score))
        return z

    def posteriors(self, text: str, *, prior: str | None = None) -> dict[str, float]:
        """All eligible languages' probabilities (for benchmarks and debugging)."""
        scored = self._score(text)
        if isinstance(scored, LanguageResult):
            return {scored.code: scored.confidence} if scored.code else {}
        p, z = scored
        prior_idx = self._prior_index(p, prior, normalize_code(prior))
        post = self._posterior(p, z, prior_idx if prior_idx in z else None)
        return {p.langs[i]: v for i, v in sorted(post.items(), key=lambda kv: -kv[1])}

    @staticmethod
    def _prior_index(p: _Profiles, prior: str | None, code: str | None) -> int | None:
        if not code:
            return None
        # A detected review language may be langdetect's "zh-cn" itself.
        return p.index.get(prior.strip().lower(), p.index.get(code))

    def _score(self, text: str, part: bool = False):
        """A final LanguageResult (nothing to score, or decided by script), or
        (profiles, {language index: tempered log-likelihood})."""
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        unknown = LanguageResult("", 0.0, "unknown", False)

        # Score only the dominant script's words: the names, brands and quotes
        # in another script say little about the language of the reply.
        by_script: dict[str, list[str]] = {}
        letters: Counter = Counter()
        for w in clean(text).split():
            s, n = _script_letters(w)
            by_script.setdefault(s, []).append(w)
            letters[s] += n
        if sum(letters.values()) < MIN_LETTERS:
            return unknown
        script = _dominant(letters)
        scored = " ".join(by_script[script])

        p = self._load()
        eligible = [i for i, scripts in enumerate(p.scripts) if script in scripts]
        if len(eligible) == 1 and len(p.scripts[eligible[0]]) == 1:
            # The only language of this script (its n-grams are not even
            # kept): what scoring would say, with certainty.
            return self._result(p.langs[eligible[0]], 1.0, "detected")
        loglik = self._loglik(p, by_script[script], tuple(eligible), part) if eligible else None
        if loglik is None:
            for rx, code in _SCRIPT_ONLY:
                n = len(rx.findall(scored))
                if n * 2 >= letters[script]:
                    return self._result(code, n / letters[script], "detected")
            return unknown
        if script == "Cyrillic":
            special = self._cyrillic(p, scored, loglik)
            if special:
                return special
        return p, {i: loglik[i] / TEMPERATURE for i in eligible}

    def _loglik(self, p: _Profiles, words: list[str], eligible: tuple[int, ...],
                part: bool = False) -> list[float] | None:
        """langdetect's log-likelihood of the words joined by spaces, for
        the `eligible` languages (others 0), or None when no n-gram is
        known. Its n-grams never cross a space, so the sum is taken per
        word and each word's share is cached: drafts reuse the same words,
        and scoring is most of detection's time. `part`: more text follows
        the last word (a space after it too, and its share is cached)."""
        if not words:
            return None
        strip = _strip_latin(words)
        cache = self._word_scores
        lanes = self._lanes.setdefault(eligible, len(self._lanes))
        tag = 4 * lanes + 2 * strip
        vecs = []
        # Each distinct word once; the last of a whole text has no space after it.
        for word, count in (Counter(words).items() if part else (*Counter(words[:-1]).items(), (words[-1], -1))):
            # a string key (a tuple would cost 64 bytes more)
            key = f"{word}\0{chr(0x30 + tag + (count < 0))}"
            vec = cache.get(key)
            if vec is None:
                text = _langdetect_text(word, strip) + ("" if count < 0 else " ")
                grams = extract_ngrams(text, p.gain)
                if grams:
                    every = p.loglik(grams)
                    vec = array("f", [every[i] for i in eligible])
                else:
                    vec = _NO_GRAMS
                with self._cache_lock:
                    if len(cache) >= WORD_SCORES_MAX:
                        # the older half goes: a draft's words stay cached
                        for old in list(islice(cache, WORD_SCORES_MAX // 2)):
                            del cache[old]
                    cache[key] = vec
            if vec is not _NO_GRAMS:
                vecs += [vec] * abs(count)
        if not vecs:
            return None
        scores = [0.0] * len(p.langs)
        for i, column in zip(eligible, zip(*vecs)):
            scores[i] = sum(column)
        return scores

    def _cyrillic(self, p: _Profiles, text: str, loglik: list[float]) -> LanguageResult | None:
        """Letters only one neighbour has. Penalties, not verdicts: a stray
        letter in a long text is outweighed by the rest of it."""
        chars = Counter(text)
        count = lambda letters: sum(chars[c] for c in letters)  # noqa: E731
        ru, uk, be, hard, mk = (count(_RU_ONLY), count(_UK_ONLY), count(_BE_ONLY),
                                count(_HARD_SIGN), count(_MK_ONLY))
        if be or (uk and ru and not hard):
            # ў, or і together with ы/э: Belarusian, which langdetect lacks.
            return self._result("be", 0.9, "detected")
        for lang, against in (("uk", ru + hard + mk), ("ru", uk + mk), ("bg", ru + uk + mk),
                              ("mk", ru + uk + hard)):
            if lang in p.index:
                loglik[p.index[lang]] -= _LETTER_PENALTY * against
        return None

    def _posterior(self, p: _Profiles, z: dict[int, float], prior_idx: int | None) -> dict[int, float]:
        """Softmax of tempered log-likelihood + log prior over the eligible
        languages."""
        logp = self._log_prior(p, tuple(z), prior_idx)
        scores = {i: z[i] + logp[i] for i in z}
        top = max(scores.values())
        e = {i: math.exp(v - top) for i, v in scores.items()}
        norm = sum(e.values())
        return {i: v / norm for i, v in e.items()}

    def _log_prior(self, p: _Profiles, eligible: tuple[int, ...], prior_idx: int | None) -> dict[int, float]:
        """Log prior of each eligible language. Prior mass: the review's
        language REVIEW_PRIOR, candidates most of the rest, all other
        languages OTHER_MASS together. It depends only on which languages
        are eligible (a script's) and the prior: a few cases, each cached."""
        key = (eligible, prior_idx)
        hit = self._priors.get(key)
        if hit is not None:
            return hit
        weight = {}
        for i in eligible:
            if i == prior_idx:
                continue
            lang = p.langs[i]
            weight[i] = (SUPPORTED_WEIGHT if lang in self.supported else 1.0) \
                if lang in self.candidates else None
        cand = {i: w for i, w in weight.items() if w is not None}
        other = [i for i, w in weight.items() if w is None]
        cand_mass = (1.0 - OTHER_MASS) if other else 1.0
        other_mass = (OTHER_MASS if cand else 1.0) if other else 0.0
        left = 1.0 - REVIEW_PRIOR if prior_idx is not None else 1.0
        logp = {}
        if prior_idx is not None:
            logp[prior_idx] = math.log(REVIEW_PRIOR if weight else 1.0)
        cand_total = sum(cand.values())
        for i, w in cand.items():
            logp[i] = math.log(left * cand_mass * w / cand_total)
        for i in other:
            logp[i] = math.log(left * other_mass / len(other)) if other_mass > 0 else -math.inf
        with self._cache_lock:
            if len(self._priors) >= PRIORS_MAX:
                self._priors.clear()
            self._priors[key] = logp
        return logp
