"""Behaviour of replycoach.language.LanguageDetector."""
from __future__ import annotations

import threading

import pytest

from replycoach.language import LanguageDetector, LanguageResult, clean, normalize_code


@pytest.fixture(scope="module")
def det() -> LanguageDetector:
    return LanguageDetector()


SENTENCES = {
    "en": "Thank you for your kind review, we are glad you enjoyed your stay and hope to see you again soon.",
    "ru": "Спасибо за ваш отзыв, нам очень приятно, что вам понравилось, будем рады видеть вас снова.",
    "af": "Baie dankie vir jou vriendelike resensie, ons is bly dat jy jou verblyf geniet het en hoop om jou gou weer te sien.",
    "el": "Σας ευχαριστούμε για την κριτική σας, χαιρόμαστε που απολαύσατε τη διαμονή σας.",
    "et": "Aitäh teie tagasiside eest, meil on väga hea meel, et teile meeldis, ootame teid jälle külla.",
}


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_core_sentence_detected_without_prior(det, lang):
    r = det.detect(SENTENCES[lang])
    assert r.code == lang
    assert r.source == "detected"
    assert r.supported is True
    assert r.confidence > 0.9


@pytest.mark.parametrize("text, review_lang", [
    ("Спасибо!", "ru"),
    ("Aitäh!", "et"),
    ("Dankie!", "af"),
    ("Ευχαριστούμε!", "el"),
    ("Thanks!", "en"),
    ("Baie dankie!", "af"),
    ("Suur aitäh 🙂", "et"),
])
def test_short_draft_follows_review_language(det, text, review_lang):
    r = det.detect(text, prior=review_lang)
    assert r.code == review_lang
    assert r.source in ("review", "detected")
    assert r.supported is True


@pytest.mark.parametrize("text", ["Thanks!", "Dankie!", "Спасибо!", "Aitäh!", "Baie dankie", "Thank you",
                                  "Ok", "Super", "Excellent", "Amazing"])
def test_short_text_without_prior_stays_among_likely_languages(det, text):
    # Two to ten letters fit some of langdetect's 55 languages by chance;
    # the candidate prior keeps "Thanks!" from coming out as Somali or Welsh.
    assert det.detect(text).code in det.candidates


def test_belarusian_by_its_letters(det):
    r = det.detect("Дзякуй, мы вельмі рады, што вам спадабалася ў нас.")
    assert (r.code, r.supported) == ("be", False)


def test_prior_decides_only_ambiguous_text(det):
    # "Tere!" alone is too short for the n-gram model; the Estonian review settles it.
    alone = det.detect("Tere!")
    with_review = det.detect("Tere!", prior="et")
    assert alone.code != "et"
    assert (with_review.code, with_review.source) == ("et", "review")
    assert with_review.confidence > 0.5
    # When the text alone already says Estonian, the source stays "detected".
    assert det.detect("Aitäh teile!", prior="et").source == "detected"


def test_prior_does_not_override_clear_text(det):
    r = det.detect(SENTENCES["en"], prior="et")
    assert (r.code, r.source) == ("en", "detected")
    r = det.detect(SENTENCES["et"], prior="en")
    assert (r.code, r.source) == ("et", "detected")


def test_prior_in_other_script_is_ignored(det):
    # A Russian review does not make a Latin-script "Ok" Russian.
    assert det.detect("Ok thanks", prior="ru").code != "ru"
    assert det.detect("Спасибо большое", prior="en").code == "ru"


def test_hint_wins_and_is_normalised(det):
    r = det.detect("Thank you very much for the review", hint="RU")
    assert r == LanguageResult("ru", 1.0, "given", True)
    assert det.detect("", hint="et-EE").code == "et"
    assert det.detect("Thank you", hint="auto").source == "detected"
    assert det.detect("anything", hint="fr").supported is False
    with pytest.raises(ValueError):
        det.detect("x", hint="english!")
    with pytest.raises(ValueError):
        det.detect("x", prior="r")


@pytest.mark.parametrize("text", ["", "   ", "!!! ... ???", "👍🙏🎉", "12345 67", "https://example.com/a?b=1",
                                  "@anna #hotel", "a", None])
def test_unknown_for_empty_or_no_letters(det, text):
    r = det.detect(text, prior="en")
    assert r == LanguageResult("", 0.0, "unknown", False)
    assert r.to_dict() == {"code": "", "confidence": 0.0, "source": "unknown", "supported": False}


def test_noise_is_stripped_before_detection(det):
    noisy = ("@hotel_tallinn Спасибо за отзыв 🙏🙏 https://booking.example.com/r/12345 "
             "ждём вас снова #отпуск2026 12/05")
    assert det.detect(noisy).code == "ru"
    cleaned = clean(noisy)
    assert "http" not in cleaned and "12" not in cleaned and "hotel_tallinn" not in cleaned
    assert "🙏" not in cleaned


def test_mixed_script_reply_keeps_the_reply_language(det):
    r = det.detect("Спасибо, что выбрали Radisson Blu Hotel Tallinn!")
    assert r.code == "ru"
    r = det.detect("Dear Наталья, thank you for your lovely review of our restaurant.")
    assert r.code == "en"
    r = det.detect("Σας ευχαριστούμε πολύ για τη διαμονή σας στο Hotel Grande Bretagne.")
    assert r.code == "el"


def test_mixed_language_text_picks_the_dominant_one(det):
    text = ("Thank you so much for staying with us and for the wonderful review. "
            "Baie dankie!")
    assert det.detect(text).code == "en"


def test_ukrainian_is_not_russian(det):
    r = det.detect("Дякуємо за ваш відгук, будемо раді бачити вас знову!")
    assert (r.code, r.supported) == ("uk", False)
    # Even with a Russian review, a genuinely Ukrainian reply stays Ukrainian.
    assert det.detect("Дякуємо за ваш відгук, будемо раді бачити вас знову!", prior="ru").code == "uk"
    # Ukrainian typed with a Latin "i" (a common keyboard habit).
    assert det.detect("Ми вдячнi вам.").code == "uk"
    assert det.detect("Мiсто гарне.").code == "uk"
    # Short, without і/ї/є: the letters ru lacks still decide.
    assert det.detect("Це дуже приємно.").code == "uk"
    assert det.detect("Мы рады.").code == "ru"
    r = det.detect("Благодарим за отзыв, обязательно учтём ваши пожелания.")
    assert (r.code, r.supported) == ("ru", True)


def test_shouted_text_is_detected(det):
    assert det.detect("СПАСИБО ЗА ОТЗЫВ").code == "ru"
    assert det.detect("THANK YOU FOR THE REVIEW").code == "en"
    # langdetect itself skips all-caps words; we lower them first.
    assert det.detect("AITÄH TAGASISIDE EEST").code == "et"
    assert det.detect("BAIE DANKIE VIR JOU RESENSIE").code == "af"


def test_afrikaans_is_not_dutch(det):
    af = "Ons is baie jammer dat die kamer nie skoon was nie, ons sal dit dadelik regmaak."
    nl = "Het spijt ons zeer dat de kamer niet schoon was, we zullen dit meteen oplossen."
    assert det.detect(af).code == "af"
    r = det.detect(nl)
    assert (r.code, r.supported) == ("nl", False)
    assert det.detect(nl, prior="af").code == "nl"


def test_other_languages_are_not_forced_into_the_supported_set(det):
    assert det.detect("Merci beaucoup pour votre avis, nous espérons vous revoir bientôt.").code == "fr"
    assert det.detect("Vielen Dank für Ihre Bewertung, wir freuen uns auf Ihren nächsten Besuch.").code == "de"
    assert det.detect("Dziękujemy za opinię, zapraszamy ponownie!").code == "pl"
    r = det.detect("谢谢您的评价")
    assert r.code.startswith("zh") and r.supported is False
    assert det.detect("მადლობა შეფასებისთვის").code == "ka"


def test_estonian_neighbours(det):
    assert det.detect("Kiitos arvostelustanne, toivottavasti näemme pian uudelleen.").code == "fi"
    assert det.detect("Paldies par jūsu atsauksmi, ceram drīz jūs atkal redzēt.").code == "lv"
    assert det.detect("Ačiū už jūsų atsiliepimą, tikimės greitai jus vėl pamatyti.").code == "lt"


def test_supported_set_is_respected():
    only_en = LanguageDetector(supported=("en",))
    assert only_en.detect(SENTENCES["en"]).supported is True
    r = only_en.detect(SENTENCES["ru"])
    assert (r.code, r.supported) == ("ru", False)


def test_deterministic_across_calls_and_instances(det):
    texts = list(SENTENCES.values()) + ["Thanks!", "Dankie", "ok", "Aitäh!"]
    first = [det.detect(t, prior=p) for t in texts for p in (None, "af", "et")]
    again = [det.detect(t, prior=p) for t in texts for p in (None, "af", "et")]
    other = LanguageDetector(seed=0)
    third = [other.detect(t, prior=p) for t in texts for p in (None, "af", "et")]
    assert first == again == third


def test_thread_safe(det):
    texts = list(SENTENCES.items()) * 20
    errors: list[str] = []
    fresh = LanguageDetector()  # loads lazily: first calls race on the lock

    def work():
        for lang, text in texts:
            if fresh.detect(text).code != lang:
                errors.append(lang)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_confidence_in_range_and_to_dict(det):
    r = det.detect("Thanks!")
    assert 0.0 < r.confidence < 0.9  # one word alone is not certain
    d = det.detect(SENTENCES["et"]).to_dict()
    assert set(d) == {"code", "confidence", "source", "supported"}
    assert d["code"] == "et" and 0.0 <= d["confidence"] <= 1.0


def test_normalize_code():
    assert normalize_code("RU") == "ru"
    assert normalize_code("en_GB") == "en"
    assert normalize_code("auto") is None
    assert normalize_code("") is None
    with pytest.raises(ValueError):
        normalize_code("russian")


def test_fast_ngram_extraction_equals_langdetects():
    import glob
    import os

    from replycoach.language import _profiles, extract_ngrams
    p = _profiles(0)
    data = os.path.join(os.path.dirname(os.path.dirname(__file__)), "rules", "reply-guidelines", "lang")
    texts = ["Hello WORLD, ÇA va? ș ț “quoted” — 123 😀 Ελληνικά ΚΕΦΑΛΑΙΑ", "  ", "A", "ABC def GHI"]
    for path in glob.glob(os.path.join(data, "*.yaml")):
        with open(path, encoding="utf-8") as fh:
            texts += [line for line in fh.read().splitlines() if len(line) > 20][:200]
    assert len(texts) > 500
    for text in texts:
        detector = p.factory.create()
        detector.append(text)
        detector.cleaning_text()
        assert extract_ngrams(detector.text, p.gain) == detector._extract_ngrams(), text


def test_per_word_scores_equal_whole_text_scores(det):
    # Scoring caches each word's share; the sum must be langdetect's score
    # of the whole text (n-grams never cross a space).
    from replycoach.language import _profiles, _strip_latin, clean
    from replycoach.packs.registry import PackRegistry

    from .conftest import ROOT
    p = _profiles(0)
    texts = ["Thank you, Anna! We are SO sorry — Wi-Fi was down. café naïve https://x.example a@b.example",
             "Спасибо, Анна! Мы исправили Wi-Fi.", "Ευχαριστούμε πολύ, Άννα", "Aitäh, Anna!", "Việt Nam"]
    pack = PackRegistry([f"{ROOT}/rules"]).current.packs["reply-guidelines"]
    texts += [ex.request["text"] for lang in pack.langs.values() for ex in lang.examples]
    assert len(texts) > 500
    for text in texts:
        words = clean(text).split()
        if not words:
            continue
        whole = " ".join(words)
        grams = p.ngrams(whole)
        got = det._loglik(p, words, tuple(range(len(p.langs))))
        if not grams:
            assert got is None, text
            continue
        want = p.loglik(grams)
        assert got is not None and all(abs(a - b) < 1e-6 * max(1.0, abs(b)) for a, b in zip(got, want)), text
        # Only some languages scored (those of the text's script): the same
        # sums for those, nothing for the rest.
        some = tuple(range(1, len(p.langs), 3))
        part = det._loglik(p, words, some)
        assert [part[i] for i in some] == [got[i] for i in some], text
        assert not any(v for i, v in enumerate(part) if i not in some), text
        # The start of a longer text: its last word has a space after it too.
        head = det._loglik(p, words, tuple(range(len(p.langs))), part=True)
        want = p.loglik(p.ngrams(whole + " "))
        assert all(abs(a - b) < 1e-6 * max(1.0, abs(b)) for a, b in zip(head, want)), text
    assert _strip_latin(["Спасибо", "Wi"]) and not _strip_latin(["Thank", "вам"])


@pytest.mark.parametrize("text,code", [
    ("Ευχαριστούμε πολύ για την κριτική σας!", "el"), ("ΕΥΧΑΡΙΣΤΟΥΜΕ", "el"),
    ("소중한 리뷰 감사합니다. 다음에 또 방문해 주세요.", "ko"), ("ขอบคุณมากสำหรับรีวิวค่ะ", "th"),
    ("תודה רבה על הביקורת", "he"), ("Thank you, Anna: 감사합니다 정말 감사합니다 또 오세요", "ko"),
])
def test_a_language_alone_in_its_script_is_named_by_it_whatever_the_prior(det, text, code):
    # Their n-grams are not kept (no other language competes for the script).
    for prior in (None, "en", "ru", code):
        r = det.detect(text, prior=prior)
        assert (r.code, r.confidence, r.source) == (code, 1.0, "detected")


LONG_REPLIES = {
    "en": ("Thank you for taking the time to write such a detailed review. We are sorry that the room was "
           "not ready when you arrived, and we have spoken to the front desk team about it. We are glad that "
           "you enjoyed breakfast and the view from the terrace, and we hope to welcome you back soon."),
    "af": ("Baie dankie dat u die tyd geneem het om so 'n deeglike resensie te skryf. Ons is jammer dat die "
           "kamer nie gereed was toe u aangekom het nie, en ons het met die ontvangspan daaroor gepraat. Ons is "
           "bly dat u die ontbyt en die uitsig van die terras geniet het, en ons hoop om u gou weer te verwelkom."),
}


def _scored_lengths(det, monkeypatch) -> list[int]:
    """The lengths of the texts detection scores, call by call."""
    seen: list[int] = []
    inner = det._detect

    def recording(text, prior, **kw):
        seen.append(len(text))
        return inner(text, prior, **kw)
    monkeypatch.setattr(det, "_detect", recording)
    return seen


@pytest.mark.parametrize("lang", sorted(LONG_REPLIES))
def test_long_reply_is_decided_by_its_first_words(monkeypatch, lang):
    det = LanguageDetector()
    text = LONG_REPLIES[lang]
    whole = det._detect(text, None)
    seen = _scored_lengths(det, monkeypatch)
    r = det.detect(text)
    assert (r.code, whole.code) == (lang, lang)
    assert len(seen) == 1 and seen[0] <= 160 < len(text)


def test_long_reply_with_an_unclear_start_is_read_further(monkeypatch):
    # Names and places say little: the reply after them decides.
    det = LanguageDetector()
    text = ("Maria, Johan, Pieter, Anna, Radisson Blu, Tallinn, Kaapstad, Stellenbosch, Pretoria, Durban, "
            "Oktober, Maart, April, Mei, Junie, Julie, Augustus, September. " + LONG_REPLIES["af"])
    seen = _scored_lengths(det, monkeypatch)
    r = det.detect(text)
    assert r.code == "af"
    assert r.confidence >= 0.9999
    assert len(seen) == 2 and seen[0] <= 160 and seen[1] > 400
