"""replycoach.facts: what the context fact says about the draft."""
from __future__ import annotations

import random

from replycoach.facts import _index_stems, _stems
from replycoach.matching import WordIndex
from replycoach.textutil import normalize


def test_stems_from_the_word_index_equal_those_read_from_the_text():
    # The draft's stems (for its overlap with the review) come from the
    # words the index already split; a text with combining marks splits
    # differently, and is read again.
    rnd = random.Random(4)
    pieces = ["room", "rooms", "номере", "dirty", "1234", "12ab", "café", "cafe\u0301", "e\u0301té", "a", "we",
              "thank", "ευχαριστουμε", " ", " ", ". ", "-", "'", "5", "ab\u0308cd", "staff"]
    stop = {"thank", "staff"}
    seen_marks = 0
    for _ in range(3000):
        text = normalize("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))).text
        assert _index_stems(WordIndex(text), stop) == _stems(text, stop), text
        seen_marks += "\u0301" in text or "\u0308" in text
    assert seen_marks > 100
    assert _index_stems(WordIndex("the rooms were dirty, room 1234."), {"were"}) == {"room", "dirt"}
