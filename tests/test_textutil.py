from replycoach.textutil import normalize, sentences, utf16_offsets, codepoint_offsets


def test_normalize_folds_case_accents_and_yo_but_keeps_short_i():
    n = normalize("ЁЛКА Ευχαριστούμε Tänan МОЙ")
    assert n.text == "елка ευχαριστουμε tanan мой"


def test_normalize_maps_back_to_original_offsets():
    text = "“Straße” ok"
    n = normalize(text)
    assert n.text == '"strasse" ok'
    i = n.text.index("ok")
    assert n.span(i, i + 2) == (text.index("ok"), text.index("ok") + 2)
    j = n.text.index("strasse")
    assert n.span(j, j + 7) == (1, 7)   # "ß" expands to "ss" but maps to one char


def test_zero_width_characters_vanish_for_matching_only():
    text = "th\u200bank you"
    n = normalize(text)
    assert n.text == "thank you"
    assert n.span(0, 5) == (0, 6)


def test_sentences_split_on_marks_and_newlines():
    text = "Hi Anna,\nThank you! We are sorry... It won't happen again.  "
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == ["Hi Anna,", "Thank you!", "We are sorry...", "It won't happen again."]


def test_utf16_offsets_count_astral_characters_twice():
    text = "😀 ok 👍🏽 x"
    u16 = utf16_offsets(text)
    assert u16(text.index("ok")) == 3
    assert u16(text.index("x")) == len(text.encode("utf-16-le")) // 2 - 1
    back = codepoint_offsets(text)
    assert back(3) == text.index("ok")


def test_normalize_equals_the_per_character_rule_on_any_text():
    # normalize() maps whole texts through a table filled as characters are
    # met: it must give what normalising each character on its own gives,
    # offsets included, whatever was normalised before.
    import random
    from replycoach.textutil import _norm_char
    rng = random.Random(7)
    alphabet = ("aZ`ёЁйßﬁİΣςά\u200b\u00a0’“ŉǅ\u0301ΐ" "Tänan Ευχαριστούμε Дякую"
                + "".join(chr(rng.randrange(0x80, 0x3000)) for _ in range(300)))
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        n = normalize(text)
        parts = [_norm_char(ch) for ch in text]
        assert n.text == "".join(parts)
        assert tuple(n.index) == tuple([i for i, p in enumerate(parts) for _ in p] + [len(text)])


def test_sentence_index_is_the_sentence_an_offset_is_in_or_before():
    from replycoach.textutil import sentence_index
    text = "Thank you! We are sorry.  See you soon"
    ends = [s.end for s in sentences(text)]
    assert ends == [10, 24, 38]
    found = [sentence_index(ends, i) for i in range(len(text) + 2)]
    assert found == [0] * 10 + [1] * 14 + [2] * 16
    assert sentence_index([], 5) == 0
