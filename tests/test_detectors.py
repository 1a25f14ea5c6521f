"""The Python detectors that feed hits to the rules engine."""
from __future__ import annotations

import random

from replycoach.detectors import private_data


def _streets(text):
    return [m.text for m in private_data.find(text, [], [])]


def test_street_addresses_in_the_core_languages_are_found():
    assert _streets("Please come to 12 Baker Street tomorrow.") == ["12 Baker Street"]
    assert _streets("Meie kontor on Pärnu mnt 15, Tallinn.") == ["Pärnu mnt 15"]
    assert _streets("Приходите: ул. Ленина, д. 5.") == ["ул. Ленина, д. 5"]
    assert _streets("Ons is by Kerkstraat weg 7.") == ["Kerkstraat weg 7"]
    assert _streets("We were the best. Thank you, 5 stars!") == []


def test_the_street_shortcut_finds_what_the_whole_pattern_finds():
    # Its last form is tried at every letter, so it runs only when a street
    # word and a number occur; the hits must stay those of the whole pattern.
    rnd = random.Random(1)
    pieces = ["12", "5a", " ", "  ", "Main", "main", "Street", "st.", "tänav", "Tn.", "tn", "mnt.", "ул.", "Ленина",
              "д. ", "οδός", "Ερμού", "-", "א", "x", "Abc-Def", ",", "weg", "Laan", "3", "\n", "Pärnu", "1234",
              "TÄNAV", "WEG"]
    texts = ["".join(rnd.choice(pieces) for _ in range(30)) for _ in range(5000)]
    found = 0
    for text in texts:
        want = [m.span() for m in private_data._STREET.finditer(text)]
        rx = private_data._STREET if private_data._STREET_LAST.search(text) else private_data._STREET_FIRST
        assert [m.span() for m in rx.finditer(text)] == want, text
        found += bool(want)
    assert found > 1000


def test_shouting_reads_only_sentences_with_two_capitals_and_finds_the_same():
    # Only sentences holding two capitals in one word are read word by word;
    # the findings must be those of reading every sentence.
    from replycoach.detectors import shouting
    from replycoach.matching import drop_overlaps
    from replycoach.textutil import sentences
    rnd = random.Random(2)
    pieces = ["WE", "ARE", "SORRY", "TÄNAN", "ΕΥΧΑΡΙΣΤΟΥΜΕ", "СПАСИБО", "WhatsApp", "iPhone", "SMS", "OK", "I",
              "a", "we", "Thank", "you", "Baie", "dankie", "!", "!!", "?!", ".", ". ", "... ", "\n", " ", " ", " ",
              "O'NEIL", "Wi-Fi", "WI-FI", "x", "Ab", "AB", "ABCD", "ABCDE"]
    flagged = 0
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 40)))
        sents = sentences(text)
        want = drop_overlaps(shouting._caps(text, sents, {"sms"}) +
                             [m for m in shouting.find(text, [], set())])
        got = shouting.find(text, sents, {"sms"})
        assert [(m.start, m.end, m.replace) for m in got] == [(m.start, m.end, m.replace) for m in want], text
        flagged += any(m.text[:1].isalpha() for m in got)
    assert flagged > 500


def test_shouted_sentence_among_quiet_ones():
    from replycoach.detectors import shouting
    from replycoach.textutil import sentences
    text = "Thank you for your review. WE ARE VERY SORRY ABOUT THIS. The WIFI is fixed now, see WhatsApp."
    got = [(m.text, m.replace) for m in shouting.find(text, sentences(text), set())]
    assert got == [("WE ARE VERY SORRY ABOUT THIS.", "We are very sorry about this."), ("WIFI", "wifi")]


def test_street_and_order_scans_skipped_only_where_they_cannot_match(monkeypatch):
    # The street and order patterns are scanned only when the draft holds
    # one of their words (case-folded); the findings must be those of
    # scanning every draft.
    rnd = random.Random(3)
    pieces = ["12", "5a", " ", "  ", "Main", "Street", "STREET", "st.", "ST.", "Rd.", "tänav", "TÄNAV", "Tn.", "mnt.",
              "ул.", "УЛИЦА", "Ленина", "д. ", "οδός", "ΟΔΌΣ", "ΟΔΟΣ", "Ερμού", "Weg", "Laan", "3", "\n", "Pärnu",
              "Order", "ORDER", "booking", "Заказ", "ΚΡΆΤΗΣΗ", "Tellimus", "no.", "#", "№", "AB-1234", "98765",
              "Anna", "anna", ",", "-", "x", "the", "best"]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25))) for _ in range(4000)]
    got = [[(m.start, m.end) for m in private_data.find(t, [], ["Anna"])] for t in texts]
    skipped = sum(not any(w in t.casefold() for w in private_data._STREET_WORDS) for t in texts)
    monkeypatch.setattr(private_data, "_STREET_WORDS", ("",))   # "" is in every text
    monkeypatch.setattr(private_data, "_ORDER_WORDS", ("",))
    want = [[(m.start, m.end) for m in private_data.find(t, [], ["Anna"])] for t in texts]
    assert got == want
    streets = sum(bool(private_data._STREET.search(t)) for t in texts)
    orders = sum(bool(private_data._ORDER.search(t)) for t in texts)
    assert streets > 300 and orders > 300 and skipped > 300


def test_punctuation_spacing_scan_skipped_only_where_it_cannot_match(monkeypatch):
    import regex
    from replycoach.detectors import punctuation
    from replycoach.textutil import sentences
    rnd = random.Random(5)
    pieces = ["we", "Thank", "you", " ", " ", "  ", "\t", ",", ".", "!", "?", ";", ":", "...", "…", "5", "(", ")",
              "»", '"', "iPhone", "eBay", "спасибо", "www.example.com", "a@b.co", "\n", "x"]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30))) for _ in range(4000)]
    got = [[(m.start, m.end, m.replace) for m in punctuation.find(t, sentences(t))] for t in texts]
    quiet = sum(not punctuation._GAP_MARK.search(t) for t in texts)
    monkeypatch.setattr(punctuation, "_GAP_MARK", regex.compile(""))   # matches every text
    want = [[(m.start, m.end, m.replace) for m in punctuation.find(t, sentences(t))] for t in texts]
    assert got == want
    assert quiet > 500 and sum(map(bool, got)) > 2000


def test_sentences_starting_in_lower_case():
    from replycoach.detectors import punctuation
    from replycoach.textutil import sentences
    text = "thank you! iPhone users, welcome. «quoted» here. спасибо. 5 stars. Ok.\nwe care"
    got = [(m.start, m.text, m.replace) for m in punctuation.find(text, sentences(text))]
    assert got == [(0, "t", "T"), (49, "с", "С"), (71, "w", "W")]


def test_street_and_order_words_cover_every_alternative_of_their_patterns():
    # The word lists repeat the patterns' alternatives by hand: each street
    # or order word a pattern names must hold one of the listed words, or a
    # word added to a pattern would be skipped where it stands alone.
    import regex

    def named(pattern: str, *markers: str) -> list[str]:
        """The alternatives of the (?:...) groups naming one of `markers`, as text."""
        groups = [g for g in regex.findall(r"\(\?:([^()]*)\)", pattern) if any(m in g for m in markers)]
        return [regex.sub(r"\[[^\]]*\]|\\w\*|\?", "", alt).replace("\\.", ".")
                for g in groups for alt in g.split("|")]

    streets = named("".join(private_data._STREET_PARTS), "laan", "улиц")
    orders = named(private_data._ORDER.pattern, "booking")
    assert "οδός" in streets and "st." in streets and "bestelling" in orders and len(streets) > 25
    for name in streets:
        assert any(w in name.casefold() for w in private_data._STREET_WORDS), name
    for name in orders:
        assert any(w in name.casefold() for w in private_data._ORDER_WORDS), name
