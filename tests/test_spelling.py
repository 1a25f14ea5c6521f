"""SpellChecker against the real Debian hunspell dictionaries.

Needs scripts/install-system-deps.sh (libhunspell-1.7-0 and the five
dictionaries): these tests fail, not skip, when they are missing, because
spelling silently turning off is exactly the bug to catch.
"""
import threading
import unicodedata

import pytest

from replycoach.spelling import Misspelling, SpellChecker

LANGS = ["en", "ru", "af", "el", "et"]


@pytest.fixture(scope="module")
def sc():
    return SpellChecker()


def words(found):
    return [m.word for m in found]


@pytest.mark.parametrize("lang", LANGS)
def test_dictionary_installed(sc, lang):
    assert sc.available(lang), f"hunspell dictionary for {lang} missing: run scripts/install-system-deps.sh"


@pytest.mark.parametrize(
    "lang,text,wrong,expected",
    [
        ("en", "We will recieve the parts tomorrow.", "recieve", "receive"),
        ("en", "The accomodation was cleaned again.", "accomodation", "accommodation"),
        ("en", "We are definately going to fix it.", "definately", "definitely"),
        ("ru", "Мы просим извените за задержку.", "извените", "извините"),
        ("ru", "Мы обизательно всё исправим.", "обизательно", "обязательно"),
        ("af", "Baie dankei vir jou terugvoer.", "dankei", "dankie"),
        ("af", "Ons is baie jamer oor die kamer.", "jamer", "jammer"),
        # Missing Greek accents count: people type without them, the
        # dictionary's accented form is the suggestion.
        ("el", "Σας ευχαριστουμε για την κριτική.", "ευχαριστουμε", "ευχαριστούμε"),
        ("el", "Το δωμάτιο ήταν καθαρό και ησυχο.", "ησυχο", "ήσυχο"),
        ("et", "Me tanan teid tagasiside eest.", "tanan", "tänan"),
        ("et", "Parandame selle jargmine kord.", "jargmine", "järgmine"),
    ],
)
def test_misspelling_caught_with_suggestion(sc, lang, text, wrong, expected):
    found = sc.check(text, lang)
    assert words(found) == [wrong]
    m = found[0]
    assert text[m.start:m.end] == wrong
    assert expected in m.suggestions
    assert m.suggestions[0] == expected
    assert 1 <= len(m.suggestions) <= 3


CORRECT = {
    "en": "Hi Anna, thank you for your review. We're sorry the room wasn't ready "
          "when you arrived. Our team has talked to the housekeeping staff, and "
          "we don't want this to happen again. We hope to welcome you back soon.",
    "ru": "Здравствуйте, Анна! Спасибо за ваш отзыв. Приносим извинения за то, что "
          "номер не был готов к вашему приезду. Мы уже поговорили с сотрудниками "
          "и сделаем всё, чтобы это не повторилось. Будем рады видеть вас снова.",
    "af": "Hallo Anna, baie dankie vir jou terugvoer. Ons is jammer dat die kamer "
          "nie gereed was toe jy aangekom het nie. Ons het met die personeel gepraat "
          "en dit sal nie weer gebeur nie. Dit was 'n plesier om jou te ontvang.",
    "el": "Γεια σας Μαρία, σας ευχαριστούμε για την κριτική σας. Λυπούμαστε που το "
          "δωμάτιο δεν ήταν έτοιμο όταν φτάσατε. Μιλήσαμε με το προσωπικό και θα "
          "φροντίσουμε να μην ξανασυμβεί. Ελπίζουμε να σας ξαναδούμε σύντομα.",
    "et": "Tere, Anna! Täname teid tagasiside eest. Vabandame, et tuba ei olnud "
          "teie saabumisel valmis. Rääkisime oma töötajatega ja teeme kõik, et see "
          "ei korduks. Loodame teid varsti jälle näha.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_correct_text_passes(sc, lang):
    assert sc.check(CORRECT[lang], lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_correct_text_with_one_typo_finds_exactly_it(sc, lang):
    # the same text plus one doubled letter: proves the correct text is checked
    text = CORRECT[lang]
    i = text.index(" ", 60) + 1
    j = text.index(" ", i)
    bad = text[:i] + text[i] + text[i:]
    found = sc.check(bad, lang)
    assert [(m.start, m.end) for m in found] == [(i, j + 1)]


def test_offsets_are_code_points(sc):
    text = "🙂🙂 Thank you, we will recieve it."
    (m,) = sc.check(text, "en")
    assert (m.start, m.end) == (text.index("recieve"), text.index("recieve") + 7)
    assert text[m.start:m.end] == m.word == "recieve"
    assert isinstance(m, Misspelling)


def test_accept_is_case_insensitive_and_covers_sentence_start(sc):
    text = "Xanthrielle, thank you. Zzyzxhotel and booking.com staff say hi."
    assert words(sc.check(text, "en")) == ["Xanthrielle", "Zzyzxhotel"]
    assert sc.check(text, "en", accept=["xanthrielle", "ZZYZXHOTEL"]) == []
    # a multi-word vocabulary entry accepts its words
    assert sc.check(text, "en", accept=["XANTHRIELLE", "Zzyzxhotel Riga"]) == []


def test_accepted_name_inflected(sc):
    # at sentence start a declined accepted name is accepted too
    text = "Спасибо. Кристофоровне передадим."
    assert words(sc.check(text, "ru")) == ["Кристофоровне"]
    assert sc.check(text, "ru", accept=["Кристофоровна"]) == []


def test_skipped_tokens(sc):
    text = ("See https://exampel.com/pagez or mail suport@exampel.com, "
            "@hotelz #greatstayy, SMSZ GPSX at 10amm, iPhonez and WiFii. "
            "Ask Gretchenn at the desk.")
    assert sc.check(text, "en") == []


def test_long_all_caps_is_checked(sc):
    assert words(sc.check("It was a WONDERFULL stay.", "en")) == ["WONDERFULL"]
    found = sc.check("It was a WONDERFULL stay.", "en")
    assert found[0].suggestions[0] == "WONDERFUL"


def test_capitalised_word_at_sentence_start_is_checked(sc):
    assert words(sc.check("Thanks. Recieve our apologies.", "en")) == ["Recieve"]
    assert sc.check("Thanks. Recieve our apologies.", "en")[0].suggestions[0] == "Receive"


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "We don't know why it wasn't ready; we're sorry."),
        ("en", "We don’t know why it wasn’t ready."),  # typographic apostrophe
        ("en", "The guests' rooms and the hotel's lobby."),
        ("af", "Dit was 'n lekker dag en ’n mooi aand."),
        ("el", "Σ' ευχαριστούμε απ' την καρδιά μας."),
    ],
)
def test_apostrophes(sc, lang, text):
    assert sc.check(text, lang) == []


def test_english_missing_apostrophe_suggested(sc):
    (m,) = sc.check("We dont know.", "en")
    assert m.suggestions[0] == "don't"


def test_greek_capitals_without_accents_pass(sc):
    assert sc.check("ΣΑΣ ΕΥΧΑΡΙΣΤΟΥΜΕ ΠΟΛΥ για όλα.", "el") == []
    assert words(sc.check("ΣΑΣ ΕΥΧΑΡΙΣΤΟΟΥΜΕ ΠΟΛΥ.", "el")) == ["ΕΥΧΑΡΙΣΤΟΟΥΜΕ"]


def test_russian_yo_optional(sc):
    assert sc.check("Мы всё исправим, и ещё раз спасибо.", "ru") == []
    assert sc.check("Мы все исправим, и еще раз спасибо.", "ru") == []


def test_decomposed_unicode(sc):
    text = unicodedata.normalize("NFD", "Σας ευχαριστούμε, τα λέμε σύντομα.")
    assert sc.check(text, "el") == []
    bad = unicodedata.normalize("NFD", "Σας ευχαριστουμε, τα λέμε σύντομα και ησυχα.")
    assert words(sc.check(bad, "el")) == ["ευχαριστουμε", unicodedata.normalize("NFD", "ησυχα")]


def test_foreign_script_words_are_not_judged(sc):
    assert sc.check("Спасибо за отзыв на Bookingz и TripAdvisorr.", "ru") == []
    assert sc.check("Thanks, Анна, see you.", "en") == []


def test_dictionary_encodings(sc):
    # el_GR and et_EE are 8-bit on Debian; words must be encoded to match.
    assert sc._get("el").handle.encoding.replace("-", "").replace("_", "") in ("iso88597",)
    assert sc._get("et").handle.encoding.replace("-", "").replace("_", "") in ("iso885915",)
    assert sc.check("Täname, et jõudsite meile kirjutada, ööbimine oli õnnestunud.", "et") == []


def test_missing_dictionary_is_unavailable_not_a_crash(tmp_path):
    none = SpellChecker(dict_dirs=[str(tmp_path)])
    for lang in LANGS + ["", "xx"]:
        assert none.available(lang) is False
        assert none.check("We will recieve it.", lang) == []


def test_unknown_language(sc):
    assert sc.available("xx") is False
    assert sc.check("We will recieve it.", "xx") == []
    assert sc.check("", "en") == []


def test_region_codes(sc):
    assert sc.available("en-US") and sc.available("en_us")
    assert words(sc.check("We will recieve it.", "en-US")) == ["recieve"]


def test_broken_dictionary_reports_unavailable(tmp_path):
    (tmp_path / "en_US.aff").write_bytes(b"SET UTF-8\n")
    (tmp_path / "en_US.dic").write_bytes(b"1\nhello\n")
    sc = SpellChecker(dict_dirs=[str(tmp_path)])
    # a tiny dictionary still loads; it just knows one word
    assert sc.check("hello hellp", "en") == [Misspelling(6, 11, "hellp", ("hello",))]


def test_suggestion_budget_and_background(monkeypatch):
    sc = SpellChecker(max_suggested=1)
    found = sc.check("We recieve the accomodation.", "en")
    assert words(found) == ["recieve", "accomodation"]
    assert found[0].suggestions == ("receive",)
    assert found[1].suggestions == ()  # over the per-check budget
    # the next check has a fresh budget; cached words cost nothing
    found = sc.check("We recieve the accomodation.", "en")
    assert [m.suggestions for m in found] == [("receive",), ("accommodation",)]
    # no quick candidate: two slips ("recomendd") are searched in the background
    first = sc.check("We recomendd it.", "en")
    assert words(first) == ["recomendd"] and first[0].suggestions == ()
    sc.wait_background()
    later = sc.check("We recomendd it.", "en")
    assert later[0].suggestions[0] == "recommend"
    assert SpellChecker().suggest("recomendd", "en")[0] == "recommend"


def test_threads_get_consistent_results(sc):
    texts = {lang: CORRECT[lang] + " " + bad for lang, bad in
             [("en", "recieve"), ("ru", "извените"), ("el", "ευχαριστουμε"), ("et", "tanan"), ("af", "dankei")]}
    expected = {lang: sc.check(t, lang) for lang, t in texts.items()}
    errors = []

    def run():
        for _ in range(20):
            for lang, t in texts.items():
                if sc.check(t, lang) != expected[lang]:
                    errors.append(lang)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# ---- memory: compact dictionaries, one handle per language, unloading ----

COMPACT_LANGS = ["en", "en_GB", "ru", "af", "el", "et"]


@pytest.fixture(scope="module")
def compact_sc(tmp_path_factory):
    sc = SpellChecker(cache_dir=str(tmp_path_factory.mktemp("dicts")))
    sc.preload(COMPACT_LANGS)
    sc.wait_compact(120)
    return sc


@pytest.mark.parametrize("lang", COMPACT_LANGS)
def test_compact_dictionary_accepts_the_same_words(sc, compact_sc, lang):
    # dictpack rewrites the files; the verdicts must not change. Sampled:
    # every 7th word in four casings, plus an inserted and a dropped letter.
    import random
    orig, comp = sc._get(lang), compact_sc._get(lang)
    assert comp.handle.ptr and comp.handle.replaced_by is None
    with open(orig.dic, "rb") as fh:
        raw = fh.read().split(b"\n")[1::7]
    rnd = random.Random(lang)
    diffs = []
    for line in raw:
        w = line.split(b"\t")[0].split(b"/")[0].strip().decode(orig.handle.encoding, "replace")
        if not w:
            continue
        i = rnd.randrange(len(w) + 1)
        for t in (w, w.upper(), w.capitalize(), w.lower(), w[:i] + rnd.choice(orig.alphabet or "e") + w[i:],
                  w[:i] + w[i + 1:]):
            if orig.handle.spell(t) != comp.handle.spell(t):
                diffs.append(t)
    assert diffs == []


def test_compact_dictionaries_are_used_and_smaller(compact_sc):
    el = compact_sc._get("el")
    assert el.handle is not None and "replycoach" not in el.dic  # original path kept for TRY
    # the handle now serving was loaded from the cache folder
    from replycoach import dictpack
    aff, dic = dictpack.cached(el.aff, el.dic, compact_sc.cache_dir)
    assert dic != el.dic
    import os
    assert os.path.getsize(dic) < os.path.getsize(el.dic) / 4


def test_compact_checks_like_the_original(compact_sc):
    for lang in LANGS:
        assert compact_sc.check(CORRECT[lang], lang) == []
    (m,) = compact_sc.check("Σας ευχαριστουμε.", "el")
    assert m.suggestions[0] == "ευχαριστούμε"


def test_region_codes_share_one_dictionary(compact_sc):
    assert compact_sc._get("en") is compact_sc._get("en-US") is compact_sc._get("en_us")


def test_background_suggest_uses_the_one_handle():
    sc = SpellChecker()
    sc.check("We recomendd it.", "en")
    sc.wait_background()
    L = sc._get("en")
    assert not hasattr(L, "bg_handle")
    assert sc.check("We recomendd it.", "en")[0].suggestions[0] == "recommend"


def test_idle_dictionary_is_unloaded_and_reloads(monkeypatch):
    import time as _time
    sc = SpellChecker(idle_unload_s=60)
    now = [_time.monotonic()]
    monkeypatch.setattr("replycoach.spelling.time.monotonic", lambda: now[0])
    sc._next_sweep = now[0]
    sc.preload(["en", "af"])
    assert sc.loaded() == ["af", "en"]
    old = sc._get("af").handle
    now[0] += 61
    sc.check("We will recieve it.", "en")  # en used now; af idle for 61 s
    assert "af" not in sc.loaded() and "en" in sc.loaded()
    assert old.ptr is None and old.spell("dankie") is None  # a late caller gets no verdict, no crash
    assert [m.word for m in sc.check("Baie dankei.", "af")] == ["dankei"]  # reloaded on use
    assert "af" in sc.loaded()


def test_a_half_typed_last_word_gets_no_background_search():
    sc = SpellChecker()
    found = sc.check("We recomendd", "en")        # the user may still be typing it
    assert words(found) == ["recomendd"] and found[0].suggestions == ()
    sc.wait_background()
    assert sc.check("We recomendd", "en")[0].suggestions == ()
    sc.check("We recomendd it.", "en")           # finished: now it is searched
    sc.wait_background()
    assert sc.check("We recomendd it.", "en")[0].suggestions[0] == "recommend"


def test_a_misspelling_is_looked_up_in_the_dictionary_once(monkeypatch):
    # As the user types, the same misspelled word is checked again and
    # again: the dictionary's "no" is remembered like its "yes".
    sc = SpellChecker()
    text = "We apreciate your review."
    assert words(sc.check(text, "en")) == ["apreciate"]
    L = sc._get("en")
    asked: list[str] = []
    inner = L.handle.spell

    def counting(word):
        asked.append(word)
        return inner(word)
    monkeypatch.setattr(L.handle, "spell", counting)
    for _ in range(3):
        assert words(sc.check(text + " Thank you", "en")) == ["apreciate"]
    assert "apreciate" not in asked
