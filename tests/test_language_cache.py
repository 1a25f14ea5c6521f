"""The langdetect tables cached on disk (replycoach.language._Profiles) are
exactly the ones built from langdetect's JSON profiles."""
from __future__ import annotations

import os

import pytest

import replycoach.language as language
from replycoach.language import LanguageDetector, _Profiles

TEXTS = [
    "Thank you for your kind review, we are glad you enjoyed your stay.",
    "Спасибо за ваш отзыв, будем рады видеть вас снова.",
    "Дякуємо за відгук, чекаємо на вас знову!",
    "Baie dankie vir jou vriendelike resensie.",
    "Σας ευχαριστούμε για την κριτική σας.",
    "Aitäh teie tagasiside eest, ootame teid jälle külla.",
    "Merci beaucoup pour votre avis, à bientôt !",
    "Vielen Dank für Ihre Bewertung.",
    "ありがとうございました", "Việt Nam", "ok", "We don't believe you.",
]


@pytest.fixture(scope="module")
def fresh() -> _Profiles:
    return _Profiles(0, cache_dir=None)   # built in process from the JSON files


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def cached(folder) -> _Profiles:
    p = _Profiles(0, cache_dir=folder)   # written by a child process, then read
    return p


def _files(folder):
    sub = os.path.join(folder, "langdetect")
    return sorted(os.listdir(sub)) if os.path.isdir(sub) else []


def _same_tables(a: _Profiles, b: _Profiles):
    assert a.langs == b.langs
    assert a.index == b.index
    assert a.scripts == b.scripts
    assert a.gain.keys() == b.gain.keys()
    assert a.gain == b.gain   # packed (index, float32) bytes: bit for bit


def test_cache_file_is_written_and_equals_a_fresh_build(fresh, cached, folder):
    files = _files(folder)
    assert len(files) == 1 and files[0].startswith("profiles-") and files[0].endswith(".marshal")
    assert len(fresh.langs) == 55 and len(fresh.gain) > 40_000
    # n-grams of languages alone in their script are not kept (they cannot
    # change a result); n-grams those languages share with others are
    alone = {fresh.index[c] for c in ("el", "ko", "th", "he")}
    langs_of = [{i for i, _ in language._PAIR.iter_unpack(b)} for b in fresh.gain.values()]
    assert not any(ls <= alone for ls in langs_of)
    assert any(ls & alone for ls in langs_of)
    _same_tables(fresh, cached)
    # loaded again from the existing file, without parsing any JSON
    real = language.json.load
    language.json.load = None
    try:
        again = _Profiles(0, cache_dir=folder)
    finally:
        language.json.load = real
    _same_tables(fresh, again)
    assert _files(folder) == files


def test_detection_is_identical(fresh, cached):
    a, b = LanguageDetector(), LanguageDetector()
    a._p, b._p = fresh, cached
    for text in TEXTS:
        for prior in (None, "en", "ru"):
            assert a.detect(text, prior=prior) == b.detect(text, prior=prior), (text, prior)
        words = language.clean(text).split()
        if words:
            every = tuple(range(len(fresh.langs)))
            assert a._loglik(fresh, words, every) == b._loglik(cached, words, every), text
        assert cached.loglik(cached.ngrams(text)) == fresh.loglik(fresh.ngrams(text)), text


def test_factory_is_made_on_first_use(folder):
    p = _Profiles(3, cache_dir=folder)
    assert p._factory is None
    assert p.ngrams("Hello") and p._factory is not None
    assert p.factory is p._factory and p.factory.seed == 3
    assert p.factory.word_lang_prob_map is p.gain


def test_seeds_share_tables(fresh):
    other = _Profiles(7, share=fresh)
    assert other.gain is fresh.gain and other.langs is fresh.langs and other.seed == 7


def test_bad_or_foreign_cache_file_is_rebuilt(fresh, tmp_path):
    folder = str(tmp_path)
    _Profiles(0, cache_dir=folder)
    (name,) = _files(folder)
    path = os.path.join(folder, "langdetect", name)
    for junk in (b"", b"\x00garbage", __import__("marshal").dumps((0, "other key", [], {}, []))):
        with open(path, "wb") as fh:
            fh.write(junk)
        _same_tables(fresh, _Profiles(0, cache_dir=folder))
        assert os.path.getsize(path) > 1_000_000


def test_key_follows_format_and_profile_files(monkeypatch, tmp_path):
    path, key = _Profiles._cache_path(str(tmp_path))
    monkeypatch.setattr(language, "_CACHE_FORMAT", language._CACHE_FORMAT + 1)
    assert _Profiles._cache_path(str(tmp_path))[0] != path
    monkeypatch.undo()
    real = os.stat

    def stat(p, *a, **kw):
        st = real(p, *a, **kw)
        if p.endswith(os.sep + "en"):
            return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid,
                                   st.st_size + 1, st.st_atime, st.st_mtime, st.st_ctime))
        return st
    monkeypatch.setattr(language.os, "stat", stat)
    assert _Profiles._cache_key() != key


def test_without_a_usable_cache_it_builds_in_process(fresh, tmp_path, monkeypatch):
    monkeypatch.setattr(_Profiles, "_build_in_child", staticmethod(lambda folder: False))
    p = _Profiles(0, cache_dir=str(tmp_path))
    assert _files(str(tmp_path)) == []
    _same_tables(fresh, p)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.undo()
    _same_tables(fresh, _Profiles(0, cache_dir=str(blocked)))


def test_the_ngram_table_gives_back_what_it_was_built_from():
    from replycoach.language import _GainTable, _PAIR
    gain = {"a": _PAIR.pack(1, -0.5), " ab": _PAIR.pack(2, 1.25) + _PAIR.pack(3, 2.0), "ж": _PAIR.pack(0, 3.0),
            "\U0001F600x": _PAIR.pack(4, 0.5), "ab": _PAIR.pack(5, 0.25)}
    table = _GainTable(*_GainTable.parts(gain))
    assert dict(table.items()) == gain and len(table) == 5
    for gram, entry in gain.items():
        assert gram in table and table.get(gram) == entry
    for missing in ("b", "a ", "abc", "", "abcd", 5, None):
        assert missing not in table and table.get(missing if isinstance(missing, str) else "zz") is None
    with pytest.raises(ValueError):
        _GainTable(b"", b"", b"x")
