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


def _full_scan(plist, norm, text):
    from replycoach.matching import Match, drop_overlaps
    full = []
    for pat in plist.patterns:
        for m in pat.compiled.finditer(norm.text):
            if m.end() > m.start():
                s, e = norm.span(m.start(), m.end())
                full.append(Match(plist.name, s, e, text[s:e], pat.replace))
    return drop_overlaps(full)


def test_matcher_finds_exactly_what_a_full_scan_finds():
    # The word index only skips work: on every example text of the built-in
    # pack (and those texts glued together, so common first words exceed the
    # per-pattern try limit), every list must give the hits of scanning each
    # pattern everywhere.
    from replycoach.matching import Matcher, WordIndex
    from replycoach.packs.registry import PackRegistry

    from .conftest import ROOT
    pack = PackRegistry([f"{ROOT}/rules"]).current.packs["reply-guidelines"]
    for lang in pack.langs.values():
        texts = [ex.request["text"] for ex in lang.examples]
        texts += [" ".join(texts[i:i + 12]) for i in range(0, len(texts), 12)]
        matcher = Matcher(list(lang.lists.values()))
        for text in texts:
            norm = normalize(text)
            found = matcher.find(norm, text, WordIndex(norm.text))
            for plist in lang.lists.values():
                assert found.get(plist.name, []) == _full_scan(plist, norm, text), (plist.name, text)


def test_phrases_match_without_a_regex_exactly_as_their_regex_would():
    # Most of a pack's entries are matched by comparing the draft's words
    # with the phrase's expanded forms. Every separator and neighbour must
    # give the regex's answer: \s+ is Unicode white space only, a word glued
    # to a letter, digit or mark is another word, a wildcard runs on through
    # "'" and "-", and alternatives are tried in the regex's order.
    import random

    import regex
    from replycoach.matching import Matcher, WordIndex

    phrases = ["we apologise", "thank you so much", "ευχαριστούμε πολύ", "спасибо за отзыв", "baie dankie", "tere",
               "apolog* for", "perfek*", "don't", "hei-hei", "(sorry|we're sorry) you feel", "(we )?apologi[sz]e",
               "(please )?(re-?read|read) (the|our) terms", "thanks|thank you", "(so|very)? sorry"]
    pats = [compile_pattern(p) for p in phrases]
    assert [p.source for p in pats if not p.forms] == ["(so|very)? sorry"]   # " sorry": a leading gap
    assert compile_pattern("apolog*-free").forms is None and compile_pattern("a*b").forms is None
    alone = {pat: Matcher([PhraseList("x", [pat])]) for pat in pats if pat.forms}
    words = [w for p in phrases for w in regex.findall(r"[\w*]+", p)] + ["apologies", "perfekte", "re", "t", "ve"]
    seps = [" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\u3000", "-", "'", "'-", "--", "", "\u200b", "_", ".",
            "\u0301", "1", "’"]
    rnd = random.Random(3)
    for _ in range(2000):
        if rnd.random() < 0.5:
            text = "".join(rnd.choice(seps) + w for p in rnd.sample(phrases, 3) for w in regex.findall(r"\w+", p))
        else:
            text = "".join(rnd.choice(seps) + rnd.choice(words).rstrip("*") for _ in range(8))
        text += rnd.choice(seps)
        norm = normalize(text)
        index = WordIndex(norm.text)
        for pat in pats:
            if not pat.forms:
                continue
            rx = regex.compile(pat.expr, regex.V1)
            want = [norm.span(*m.span()) for m in rx.finditer(norm.text) if m.end() > m.start()]
            got = [(m.start, m.end) for m in alone[pat].find(norm, text, index)
                   .get("x", [])]
            assert got == want, (text, pat.source)
        found = Matcher([PhraseList("x", pats)]).find(norm, text, index).get("x", [])
        assert found == _full_scan(PhraseList("x", pats), norm, text), text


def _patterns_and_texts(attr: str, alphabet: str, size: int, seed: int):
    """The built-in pack's patterns that have `attr`, and the normalised
    example texts of every language plus 50 random ones from `alphabet`."""
    import random

    from replycoach.packs.registry import PackRegistry

    from .conftest import ROOT
    pack = PackRegistry([f"{ROOT}/rules"]).current.packs["reply-guidelines"]
    pats = [p for lang in pack.langs.values() for pl in lang.lists.values() for p in pl.patterns if getattr(p, attr)]
    texts = [ex.request["text"] for lang in pack.langs.values() for ex in lang.examples]
    rnd = random.Random(seed)
    texts += ["".join(rnd.choice(alphabet) for _ in range(size)) for _ in range(50)]
    return pats, [normalize(text).text for text in texts]


def test_a_regex_is_tried_only_when_the_text_has_what_it_needs():
    # Pattern.texts: texts of which every match holds one each, worked out
    # from the regex; a text without them is not scanned. On every example
    # text (and random ones), every match must hold them.
    import regex
    from replycoach.matching import _needed_texts

    # Characters in a row spell short texts, while the choices stay few.
    assert _needed_texts(r"\b\w*[пp][иi1е][з3z][дd]\w*") == (("3d", "3д", "zd", "zд", "зd", "зд"),
                                                            ("p1", "pi", "pе", "pи", "п1", "пi", "пе", "пи"))
    assert _needed_texts(r"\b(на|по)?[хx][уy]\w*") == (("xy", "xу", "хy", "ху"),)
    assert _needed_texts(r"\b(за|на)?[её][б6]?[\*@#]+[\p{L}\*@#]*") == (("е", "ё"), ("#", "*", "@"))
    assert _needed_texts(r"\b((ons|ek)\s+is\s+)?(jammer|spyt)\s+om\s+te\s+(hoor|lees)") == \
        (("jammer", "spyt"), ("hoor", "lees"))
    # A group the pattern's word checks already ensure is not tested again.
    expr = r"\b(jammer|spyt)\s+om\s+te\s+(hoor|lees|verneem)\s+(van|oor)"
    assert _needed_texts(expr) == (("jammer", "spyt"), ("hoor", "lees", "verneem"))
    assert _needed_texts(expr, (((), ("jammer", "spyt")),)) == (("hoor", "lees", "verneem"), ("oor", "van"))
    assert _needed_texts(expr, ((("jammerlik",), ("spyt",)),)) == (("hoor", "lees", "verneem"), ("oor", "van"))
    assert _needed_texts(expr, (((), ("jammer", "ons")),)) == (("jammer", "spyt"), ("hoor", "lees", "verneem"))
    assert _needed_texts(r"(ab)?c|d") == (("c", "d"),) and _needed_texts(r"[^a]b") == (("b",),)
    assert _needed_texts(r"(?i)abc") is None and _needed_texts(r"x?") is None
    assert _needed_texts(r"\p{L}+") is None and _needed_texts(r"[[a-z]--[aeiou]]") is None
    pats, norms = _patterns_and_texts("texts", "ехуйпздб6*@#3 sht!1 ", 120, seed=7)
    assert len(pats) > 500
    found = 0
    for pat in pats:
        rx = regex.compile(pat.expr, regex.V1)
        for norm in norms:
            if rx.search(norm):
                found += 1
                assert all(any(t in norm for t in need) for need in pat.texts), (pat.source, norm[:60])
    assert found > 300


def test_a_regex_is_skipped_only_where_none_of_its_matches_can_begin():
    # Pattern.lead: the first characters every match begins with, worked out
    # from the regex; a place that begins otherwise is not tried. On every
    # example text (and random ones), every match must begin with one.
    import regex
    from replycoach.matching import WordIndex, _lead

    assert _lead(r"\bt[u*#]r(pea)?\b") == ("t#r", "t*r", "tur")
    assert _lead(r"\b(ons|ek)\s+sal") == ("ek", "ons") and _lead(r"\bk[^a]x") == ("k",)
    assert _lead(r"\b\w*pizd") is None and _lead(r"(?i)abc") is None and _lead(r"\p{L}x") is None
    pats, norms = _patterns_and_texts("lead", "tsdkabn*#@$1u ru ", 200, seed=5)
    assert len(pats) > 300
    tried = 0
    starts = [set(WordIndex(norm).starts) for norm in norms]
    for pat in pats:
        rx = regex.compile(pat.expr, regex.V1)
        for norm, at in zip(norms, starts):
            for m in rx.finditer(norm, overlapped=True):
                if m.start() in at:
                    tried += 1
                    assert norm.startswith(pat.lead, m.start()), (pat.source, norm[m.start():m.start() + 20])
    assert tried > 100


def test_pattern_anchor_and_required_words():
    p = compile_pattern("(we )?apologi[sz]e* for (the|any) inconvenience")
    assert p.anchor == (("we", False), ("apologi", False)) and p.required == (("inconvenience", True),)
    p = compile_pattern("sorry? about that")
    assert p.anchor == (("sorr", False),)
    assert compile_pattern("(dear|hi) customer").required == (("customer", True),)
    assert compile_pattern("thanks|thank you").required == (("thanks", False), ("thank", False))
    assert compile_pattern("(please )?call us").required == (("call", True),)
    assert compile_pattern("[abc]x|y").required is None


def test_regex_entries_get_a_required_first_word_when_they_start_with_one():
    assert compile_pattern(r"re:\b(ons|ek)\s+sal").required == (("ons", False), ("ek", False))
    assert compile_pattern(r"re:\bap+ol+og\w*").required == (("ap", False),)
    assert compile_pattern(r"re:\bf[*@#u]ck").required == (("f", False),)
    assert compile_pattern(r"re:(?:a|b)?c").required is None
    assert compile_pattern(r"re:\d+ stars").required is None


def test_cached_chunks_give_what_a_fresh_matcher_gives_while_typing():
    # The extension re-checks the draft as it grows and is edited; results
    # cached per sentence must equal matching the whole text afresh.
    from replycoach.matching import Matcher, WordIndex
    from replycoach.packs.registry import PackRegistry

    from .conftest import ROOT
    pack = PackRegistry([f"{ROOT}/rules"]).current.packs["reply-guidelines"]
    for lang in pack.langs.values():
        lists = list(lang.lists.values())
        warm = Matcher(lists)
        draft = " ".join(ex.request["text"] for ex in lang.examples[:30])
        edits = [draft[:end] for end in range(1, len(draft) + 1, 17)]
        edits += [draft[:k] + "x" + draft[k:] for k in range(0, len(draft), 97)]   # edits in the middle
        for text in edits:
            norm = normalize(text)
            got = warm.find(norm, text, WordIndex(norm.text))
            want = Matcher(lists).find(norm, text, WordIndex(norm.text))
            assert got == want, text


def test_only_patterns_that_cannot_backtrack_badly_run_untimed():
    from replycoach.matching import _linear
    for risky in [r"(a+)+$", r"(a|aa)*b", r"\w*\w*x", r"(\w+\s?)+$", r"\w+a\w+!", r"(\w)\1", r"\p{L}+x",
                  # a repeat that can give back to the next one, or comes after such a one
                  r"\s+\s+x", r"\w+\d+", r"[ab]+[bc]+", r"\s+x\s+\s+y", r"\s+(a|\s)\s+b", r"\w+(\s+)"]:
        assert not _linear(risky), risky
    for safe in [r"\bf[*@#u]ck\w*", r"\bap+ol+og\w*", r"(?<!x)\bfoo\b", r"\bwe (value|love) it\b",
                 # every unbounded repeat followed by what it cannot match: atomic
                 r"\bkahju\s+on\s+(kuulda|lugeda)\b", r"\b\w+\s+\w+\s+x", r"[ab]+[cd]+x", r"\w*(\s*/\s*x)?\s+y"]:
        assert _linear(safe), safe
    # Atomic repeats stay fast on the longest runs a request can hold.
    rx = compile_pattern(r"re:\bkahju\s+on\s+\w+\s+x")
    assert not rx.guarded
    text = "kahju" + " " * 30000 + "on" + " " * 30000 + "a" * 30000 + " " * 30000 + "y"
    started = time.perf_counter()
    assert rx.compiled.match(text) is None
    assert time.perf_counter() - started < 5
    assert compile_pattern(r"re:\bfoo(a+)+$").guarded
    assert not compile_pattern("we value your (feedback|opinion)").guarded
    assert compile_pattern("a*b*c*d").guarded     # four wildcards in one word


def test_an_anchored_runaway_pattern_is_still_stopped():
    plist = PhraseList("x", [compile_pattern(r"re:\bfoo(a+)+$")])
    text = "foo" + "a" * 40 + "!"
    started = time.perf_counter()
    assert plist.find(normalize(text), text) == []
    assert time.perf_counter() - started < 5
