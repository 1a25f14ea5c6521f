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
