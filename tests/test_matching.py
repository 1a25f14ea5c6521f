import time

import pytest

from replycoach.matching import PatternError, PhraseList, compile_pattern
from replycoach.textutil import normalize


def find(patterns, text):
    plist = PhraseList("x", [compile_pattern(p) for p in patterns])
    return [(m.start, m.end, m.text) for m in plist.find(normalize(text), text)]


def test_phrase_matches_whole_words_any_case_and_spacing():
    assert find(["we value your (feedback|opinion)"], "WE  VALUE your\nFeedback!") == [(0, 23, "WE  VALUE your\nFeedback")]
    assert find(["sorry"], "sorryful") == []


def test_wildcard_matches_endings():
    assert [m[2] for m in find(["извин*"], "Извините нас, мы извиняемся")] == ["Извините", "извиняемся"]


def test_diacritics_and_yo_are_optional():
    assert find(["ευχαριστούμε"], "Ευχαριστουμε πολύ") == [(0, 12, "Ευχαριστουμε")]
    assert find(["еще раз"], "Ещё раз") == [(0, 7, "Ещё раз")]
    assert find(["tänan"], "Tanan teid") == [(0, 5, "Tanan")]


def test_cyrillic_short_i_is_a_different_letter():
    assert find(["мой"], "мои слова") == []


def test_offsets_survive_emoji_and_zero_width_space():
    text = "👍 Dear\u200b customer"
    assert find(["dear customer"], text) == [(2, len(text), "Dear\u200b customer")]


def test_overlapping_hits_keep_the_longest():
    assert find(["dear customer", "customer"], "Dear customer") == [(0, 13, "Dear customer")]


def test_regex_entry_and_replacement():
    p = compile_pattern({"p": "re:\\bf[*@#u]ck\\w*", "replace": "x"})
    assert p.replace == "x"
    assert find(["re:\\bf[*@#u]ck\\w*"], "what the f*ck") == [(9, 13, "f*ck")]


@pytest.mark.parametrize("bad", ["", {"replace": "x"}, "re:(unclosed", 5])
def test_bad_entries_are_refused(bad):
    with pytest.raises(PatternError):
        compile_pattern(bad)


def test_catastrophic_regex_times_out_instead_of_hanging():
    plist = PhraseList("x", [compile_pattern("re:(a+)+$")])
    text = "a" * 40 + "!"
    started = time.perf_counter()
    assert plist.find(normalize(text), text) == []
    assert time.perf_counter() - started < 5
