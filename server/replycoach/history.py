"""Local SQLite history of sent replies, for the `repeated-reply` rule.

Privacy: nothing is stored until the user enables history (a row in the
`settings` table of the same database, default off); rows older than the
retention setting (default 90 days) are deleted on open, on every record and
at most hourly while checking.

Similarity ("nearly the same after names, numbers and whitespace are set
aside"): both texts are normalised (NFKC, casefold, accents and ё folded,
reviewer names removed, every number -> "#", punctuation and whitespace
dropped) into word sequences; similarity is the Dice coefficient over the
sets of word bigrams: 2|A∩B| / (|A|+|B|). One changed word in a 30-word
reply scores ~0.93, three ~0.8. Bigrams (not single words) keep two replies
made of the same common words in a different order apart.

Speed with thousands of rows: replies with the same normalised text (a
template used 200 times) are one group in memory; candidates come from an
inverted index over bigrams using prefix filtering (a group reaching Dice
0.8 must share at least one of the draft's |A| - ceil(2|A|/3) + 1 rarest
bigrams), then the exact Dice is a C-level set intersection.
"""
from __future__ import annotations

import math
import os
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

import regex

__all__ = ["History", "Similar", "normalise", "similarity"]

THRESHOLD = 0.8
DEFAULT_RETENTION_DAYS = 90
_DAY = 86400.0

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*")
_DIGIT = regex.compile(r"\p{N}")


@dataclass(frozen=True)
class Similar:
    similarity: float
    count: int
    earlier_text: str
    earlier_at: str


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", s).casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))  # й -> и, ё -> е, ά -> α
    return s.replace("’", "'")


def _name_words(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for n in names or ():
        if n:
            out.update(w for w in _WORD.findall(_fold(str(n))) if not _DIGIT.search(w))
    return out


def _is_name(word: str, names: set[str]) -> bool:
    if word in names:
        return True
    # declined names (ru/et/el): Анна -> анне, анной; Anna -> annale; Anna's
    for n in names:
        if len(n) >= 4 and word.startswith(n[:-1]) and len(word) - len(n) <= 2:
            return True
    return False


def normalise(text: str, names: Iterable[str] = ()) -> list[str]:
    """The reply as a word list with names removed and numbers as '#'."""
    nameset = _name_words(names)
    words = []
    for w in _WORD.findall(_fold(text or "")):
        if _DIGIT.search(w):
            if not words or words[-1] != "#":  # "10 000" and "10000" alike
                words.append("#")
        elif nameset and _is_name(w, nameset):
            continue
        else:
            words.append(w)
    return words


def _bigrams(words: list[str]) -> frozenset[str]:
    if len(words) < 2:
        return frozenset(words)  # a one-word reply compares as that word
    return frozenset(a + " " + b for a, b in zip(words, words[1:]))


def similarity(a: str, b: str, names_a: Iterable[str] = (), names_b: Iterable[str] = ()) -> float:
    """Dice over word bigrams of the normalised texts (0..1)."""
    return _dice(_bigrams(normalise(a, names_a)), _bigrams(normalise(b, names_b)))


def _dice(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Group:
    """Stored replies whose normalised text is identical."""
    __slots__ = ("key", "grams", "rows")

    def __init__(self, key: str, grams: frozenset):
        self.key = key
        self.grams = grams
        self.rows: dict[int, tuple[float, str]] = {}  # id -> (created, text)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    text TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT '',
    site TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    norm TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS replies_created ON replies(created);
"""


class History:
    def __init__(self, path: str, *, clock=time.time):
        self.path = path
        self._clock = clock
        self._lock = threading.RLock()
        new = path != ":memory:" and not os.path.exists(path)
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # One connection shared by the server's threads, serialised by the
        # lock; autocommit (isolation_level=None) with explicit transactions.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        if new:
            try:
                os.chmod(path, 0o600)  # private replies; -wal/-shm inherit it
            except OSError:
                pass
        with self._lock:
            self.journal_mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._groups: dict[str, _Group] = {}
            self._by_id: dict[int, _Group] = {}
            self._postings: dict[str, set[str]] = {}  # bigram -> group keys
            self._data_version = None
            self._last_retention = 0.0
            self._apply_retention()
            self._reload()
        # Every check asks whether history is on, and a query on a cold
        # cache costs ~80 us. Each write of a setting appends a byte to this
        # file, so one stat tells whether any process (another worker, the
        # CLI) changed the settings since they were last read.
        self._stamp_path = None if path == ":memory:" else path + ".settings"
        self._settings_seen: tuple | None = None
        self._enabled = False
        if self._stamp_path:
            self._bump_settings()

    # ---- settings -----------------------------------------------------

    def _settings_stamp(self) -> tuple | None:
        if not self._stamp_path:
            return None
        try:
            st = os.stat(self._stamp_path)
        except OSError:
            return None
        return st.st_ino, st.st_size

    def _bump_settings(self) -> None:
        try:
            fd = os.open(self._stamp_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, b".")
            finally:
                os.close(fd)
        except OSError:
            pass   # without the file every read queries the database

    def _setting(self, key: str, default: str) -> str:
        row = self._db.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def _set(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO settings(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))
        if self._stamp_path:
            self._bump_settings()   # after the commit (autocommit): readers then see the new value

    @property
    def enabled(self) -> bool:
        with self._lock:
            stamp = self._settings_stamp()
            if stamp is None or stamp != self._settings_seen:
                # stat first: a change made after it is seen at the next read
                self._enabled = self._setting("enabled", "0") == "1"
                self._settings_seen = stamp
            return self._enabled

    def set_enabled(self, on: bool) -> None:
        # Turning history off stops recording and matching; the rows stay
        # until purge() (an accidental toggle must not lose them).
        with self._lock:
            self._set("enabled", "1" if on else "0")

    @property
    def retention_days(self) -> int:
        with self._lock:
            try:
                return int(self._setting("retention_days", str(DEFAULT_RETENTION_DAYS)))
            except ValueError:
                return DEFAULT_RETENTION_DAYS

    def set_retention_days(self, days: int) -> None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 36500:
            raise ValueError("retention_days must be an integer from 1 to 36500")
        with self._lock:
            self._set("retention_days", str(days))
            self._apply_retention()

    # ---- in-memory index ----------------------------------------------

    def _reload(self) -> None:
        """Rebuild the index from the DB (on open, and when another
        connection, e.g. the CLI, changed the file)."""
        self._groups.clear()
        self._by_id.clear()
        self._postings.clear()
        for rid, created, text, norm in self._db.execute(
                "SELECT id, created, text, norm FROM replies ORDER BY id"):
            self._index(rid, created, text, norm)
        self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]

    def _sync(self) -> None:
        v = self._db.execute("PRAGMA data_version").fetchone()[0]
        if v != self._data_version:
            self._reload()

    def _index(self, rid: int, created: float, text: str, norm: str) -> None:
        g = self._groups.get(norm)
        if g is None:
            g = _Group(norm, _bigrams(norm.split()))
            self._groups[norm] = g
            for gram in g.grams:
                self._postings.setdefault(gram, set()).add(norm)
        g.rows[rid] = (created, text)
        self._by_id[rid] = g

    def _unindex(self, rid: int) -> None:
        g = self._by_id.pop(rid, None)
        if g is None:
            return
        g.rows.pop(rid, None)
        if not g.rows:
            del self._groups[g.key]
            for gram in g.grams:
                keys = self._postings.get(gram)
                if keys is not None:
                    keys.discard(g.key)
                    if not keys:
                        del self._postings[gram]

    def _apply_retention(self) -> int:
        now = self._clock()
        self._last_retention = now
        cutoff = now - self.retention_days * _DAY
        ids = [r[0] for r in self._db.execute("SELECT id FROM replies WHERE created < ?", (cutoff,))]
        if ids:
            self._db.execute("DELETE FROM replies WHERE created < ?", (cutoff,))
            for rid in ids:
                self._unindex(rid)
        if self._data_version is not None:
            # our own change: keep the index instead of reloading it
            self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        return len(ids)

    # ---- public API ---------------------------------------------------

    def record(self, text: str, *, lang: str = "", site: str = "", author: str = "") -> int | None:
        """Store a sent reply; None when history is disabled or the text is blank."""
        with self._lock:
            if not self.enabled or not (text or "").strip():
                return None
            self._sync()
            self._apply_retention()
            norm = " ".join(normalise(text, [author] if author else ()))
            now = self._clock()
            cur = self._db.execute(
                "INSERT INTO replies(created, text, lang, site, author, norm) VALUES(?,?,?,?,?,?)",
                (now, text, lang or "", site or "", author or "", norm))
            rid = int(cur.lastrowid)
            self._index(rid, now, text, norm)
            self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
            return rid

    def similar(self, text: str, *, names: Iterable[str] = ()) -> Similar | None:
        """The closest earlier reply with similarity >= 0.8, and how many
        earlier replies are that similar; None when history is disabled or
        nothing is that close."""
        with self._lock:
            if not self.enabled:
                return None
            self._sync()
            if self._clock() - self._last_retention > 3600:
                self._apply_retention()
            words = normalise(text, names)
            grams = _bigrams(words)
            if not grams or not self._groups:
                return None
            # Prefix filter: Dice >= s needs |A∩B| >= s|A|/(2-s), so a match
            # shares one of the draft's first |A|-t+1 bigrams (rarest first).
            need = max(1, math.ceil(THRESHOLD * len(grams) / (2 - THRESHOLD) - 1e-9))
            post = self._postings
            ranked = sorted(grams, key=lambda g: len(post.get(g, ())))
            keys: set[str] = set()
            for g in ranked[: len(grams) - need + 1]:
                keys.update(post.get(g, ()))
            best = None  # (similarity, created, text)
            count = 0
            n = len(grams)
            for key in keys:
                grp = self._groups[key]
                m = len(grp.grams)
                if 2.0 * min(n, m) / (n + m) < THRESHOLD:
                    continue
                sim = 2.0 * len(grams & grp.grams) / (n + m)
                if sim < THRESHOLD:
                    continue
                count += len(grp.rows)
                created, earlier = max(grp.rows.values(), key=lambda r: r[0])
                if best is None or (sim, created) > (best[0], best[1]):
                    best = (sim, created, earlier)
            if best is None:
                return None
            return Similar(round(best[0], 4), count, best[2], _iso(best[1]))

    def list(self, limit: int = 50, offset: int = 0) -> list[dict]:
        limit = max(0, min(int(limit), 1000))
        offset = max(0, int(offset))
        with self._lock:
            rows = self._db.execute(
                "SELECT id, created, text, lang, site, author FROM replies "
                "ORDER BY created DESC, id DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return [
            {"id": r[0], "created_at": _iso(r[1]), "text": r[2], "lang": r[3], "site": r[4], "author": r[5]}
            for r in rows
        ]

    def purge(self) -> int:
        """Delete every stored reply (settings stay); returns how many."""
        with self._lock:
            n = self._db.execute("DELETE FROM replies").rowcount
            self._reload()
            return n

    def delete(self, id: int) -> bool:
        with self._lock:
            try:
                rid = int(id)
            except (TypeError, ValueError):
                return False
            gone = self._db.execute("DELETE FROM replies WHERE id=?", (rid,)).rowcount > 0
            self._unindex(rid)
            self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
            return gone

    def close(self) -> None:
        with self._lock:
            self._db.close()
