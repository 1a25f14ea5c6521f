"""British spellings from a word list instead of the en_GB dictionary
(replycoach/variants.py): the list against the real hunspell dictionaries.

The reference is what the spell checker did before the list: ask the
en_GB dictionary about the word and its lower case (`old_ok`).
"""
from __future__ import annotations

import glob
import os
import random
import time

import pytest
import yaml

from replycoach import variants
from replycoach.spelling import _TOKEN, SpellChecker, _Handle, _library

from .conftest import ROOT

GB = ("/usr/share/hunspell/en_GB.aff", "/usr/share/hunspell/en_GB.dic")
US = ("/usr/share/hunspell/en_US.aff", "/usr/share/hunspell/en_US.dic")


@pytest.fixture(scope="module")
def gb():
    return _Handle(_library(), *GB)


@pytest.fixture(scope="module")
def us():
    return _Handle(_library(), *US)


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    """A SpellChecker whose British list was made (in a child process) in a
    fresh cache folder."""
    sc = SpellChecker(cache_dir=str(tmp_path_factory.mktemp("variants")))
    sc.preload(["en"])
    sc.wait_compact(300)
    assert sc._regional["en_gb"].words is not None, "the British list was not made"
    return sc


@pytest.fixture(scope="module")
def words(listed):
    return listed._regional["en_gb"].words


def old_ok(gb, word: str) -> bool:
    """The check before the list: the en_GB dictionary itself."""
    return bool(gb.spell(word) or gb.spell(word.lower()))


# Typical British spellings, with inflections; the nouns licence/practice
# and the verbs license/practise are spelled differently in British English.
BRITISH = """
colour colours coloured colouring colourful colourless discoloured favourite favourites favour
favoured favourable honour honoured honourable dishonour neighbour neighbours neighbourhood
neighbouring behaviour behavioural labour laboured rumour humour humoured flavour flavoured
flavourings odour vapour vigour splendour harbour armour glamour saviour endeavour endeavoured
apologise apologised apologises apologising organisation organisations organise organised
reorganised disorganised realise realised realising recognise recognised unrecognisable
specialise specialised criticise criticised emphasise emphasised minimise prioritise prioritised
customise customised personalised summarise analyse analysed analysing paralyse catalyse
travelled travelling traveller travellers cancelled cancelling cancellation labelled labelling
modelling modelled fuelled counsellor counselling jewellery levelled signalled marvellous
centre centres centred theatre theatres metre metres litre litres fibre calibre sombre spectre
catalogue catalogues dialogue analogue defence offence pretence licence licences practise
practised programme programmes grey greyer greyish tyre tyres aluminium paediatric
paediatrician anaemia anaesthetic encyclopaedia oestrogen manoeuvre manoeuvres manoeuvring
manoeuvred cheque cheques kerb storey storeys plough ploughed moustache sceptical mould mouldy
smoulder enrol enrolment enrolled fulfil fulfilment instalment skilful wilful judgement ageing
whisky pyjamas sulphur artefact cosy cosier doughnut draught draughts gaol gaoled sizeable
likeable acknowledgement arbour candour clamour fervour parlour rancour rigour valour tumour
""".split()
# How they reach the list at check time: sentence start, capitals,
# hyphenated, possessive (typographic apostrophe too).
SHAPES = ["Colour", "Favourite", "Apologise", "Centre", "COLOURFUL", "FAVOURITES", "BEHAVIOURAL",
          "ORGANISATION", "colour-coded", "Colour-coded", "well-organised", "COLOUR-CODED",
          "neighbour's", "neighbour’s", "Theatre's", "centre-left", "re-organised",
          "honour-bound", "jewellery-making", "grey-green", "anti-colour"]


def pack_words() -> list[str]:
    """Every word of the English rule pack's examples (drafts, reviews,
    good replies) and templates."""
    out: set[str] = set()

    def walk(node):
        if isinstance(node, str):
            out.update(_TOKEN.findall(node))
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in sorted(glob.glob(os.path.join(ROOT, "rules", "reply-guidelines", "lang", "en*.yaml"))):
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        for key in ("examples", "good_replies", "templates"):
            walk(doc.get(key))
    return sorted(w for w in out if not any(c.isdigit() for c in w))


def _edits(word: str, rnd: random.Random, n: int) -> list[str]:
    out = []
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(n):
        i = rnd.randrange(len(word))
        k = rnd.randrange(4)
        if k == 0:
            w = word[:i] + rnd.choice(letters) + word[i:]
        elif k == 1:
            w = word[:i] + word[i + 1:]
        elif k == 2:
            w = word[:i] + rnd.choice(letters) + word[i + 1:]
        else:
            w = word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]
        if len(w) > 1 and w != word:
            out.append(w)
    return out


# ---- 1. the expansion makes no junk ------------------------------------------

def test_every_generated_form_is_accepted_by_en_gb(gb):
    forms = set(variants.expand(*GB))
    assert len(forms) > 250_000
    bad = [w for w in forms if not gb.spell(w)]
    assert bad == []


def test_every_listed_word_is_accepted_by_en_gb_and_rejected_by_en_us(words, gb, us):
    assert len(words) > 100_000
    bad = [w for w in words if not gb.spell(w) or us.spell(w)]
    assert bad == []


@pytest.mark.parametrize("name", ["en_US", "ru_RU", "el_GR"])
def test_expansion_of_other_dictionaries_makes_no_junk(name, tmp_path):
    # the same expansion on dictionaries with other features (en_US:
    # ONLYINCOMPOUND, ru_RU: many rules, cross products): every 10th stem
    aff, dic = f"/usr/share/hunspell/{name}.aff", f"/usr/share/hunspell/{name}.dic"
    with open(dic, "rb") as fh:
        lines = fh.read().split(b"\n")
    part = tmp_path / "part.dic"
    part.write_bytes(b"\n".join([lines[0]] + lines[1::10]))
    h = _Handle(_library(), aff, dic)
    forms = set(variants.expand(aff, str(part)))
    assert len(forms) > 10_000
    assert [w for w in forms if not h.spell(w)] == []


def test_stems_affixes_and_special_flags_like_hunspell(tmp_path):
    # NEEDAFFIX, ONLYINCOMPOUND, cross products allowed or not, a strip,
    # conditions, a mixed-case word: the expansion against the library
    aff = tmp_path / "xx_XX.aff"
    dic = tmp_path / "xx_XX.dic"
    aff.write_text("SET UTF-8\nNEEDAFFIX X\nONLYINCOMPOUND O\n"
                   "PFX U Y 1\nPFX U 0 un .\n"
                   "PFX R N 1\nPFX R 0 re [^e]\n"
                   "SFX S Y 2\nSFX S y ies [^aeiou]y\nSFX S 0 s [^y]\n"
                   "SFX D N 2\nSFX D 0 ed [^ey]\nSFX D 0 d e\n", encoding="utf-8")
    dic.write_text("6\ncarry/SU\nwalk/SDRU\nstem/XS\nonly/O\nMcDonald/S\nedge/RD\tmorph: x\n", encoding="utf-8")
    expected = {"carry", "carries", "uncarry", "uncarries",
                "walk", "walks", "walked", "rewalk", "unwalk", "unwalks",
                "stems", "McDonald", "McDonalds", "edge", "edged"}
    got = set(variants.expand(str(aff), str(dic)))
    assert got == expected
    h = _Handle(_library(), str(aff), str(dic))
    assert all(h.spell(w) for w in expected)
    for w in ["rewalks", "unwalked", "stem", "only", "carrys", "reedge", "uncarryies", "walkies"]:
        assert not h.spell(w), w  # what the expansion left out, hunspell rejects


def test_unmodelled_features_mean_no_list(tmp_path):
    aff = tmp_path / "a.aff"
    dic = tmp_path / "a.dic"
    dic.write_text("1\nwalk/A\n", encoding="utf-8")
    for head in ["SFX A Y 1\nSFX A 0 s/B .\n",               # continuation class
                 "KEEPCASE A\nSFX A Y 1\nSFX A 0 s .\n",    # a used special flag
                 "COMPOUNDRULE 1\nCOMPOUNDRULE A*\n"]:      # compounds of letter words
        aff.write_text("SET UTF-8\n" + head, encoding="utf-8")
        with pytest.raises(variants.Unsupported):
            list(variants.expand(str(aff), str(dic)))
    aff.write_text("SET UTF-8\nKEEPCASE K\nSFX A Y 1\nSFX A 0 s .\n", encoding="utf-8")
    assert set(variants.expand(str(aff), str(dic))) == {"walk", "walks"}  # declared, unused: fine


# ---- 2. same answers as the en_GB dictionary ---------------------------------

def _compare(listed, gb, us, sample):
    """(compared, differences) over the words that reach _variant_ok in a
    check: en_US rejects them, they have no digit (10am, 1st: skipped) and
    are not in mixed case (iPhone, McDonald: skipped as names)."""
    diffs, n = [], 0
    for w in sample:
        letters = [c for c in w if c.isalpha()]
        if (us.spell(w) or any(c.isdigit() for c in w)
                or any(c.isupper() for c in letters[1:]) and not all(c.isupper() for c in letters)):
            continue
        n += 1
        new = listed._variant_ok("en", w)
        if new != old_ok(gb, w):
            diffs.append((w, new))
    return n, diffs


def test_british_spellings_as_before(listed, gb, us):
    n, diffs = _compare(listed, gb, us, BRITISH + SHAPES)
    assert diffs == []
    assert n >= 150  # the sample is British: en_US rejects most of it
    assert all(listed._variant_ok("en", w) for w in BRITISH + SHAPES if us.spell(w) is False)
    assert not listed._variant_ok("en", "colour-colr")


def test_pack_example_words_as_before(listed, gb, us):
    sample = pack_words()
    assert len(sample) > 500
    shapes = sample + [w.upper() for w in sample if len(w) > 5] + [w.capitalize() for w in sample]
    n, diffs = _compare(listed, gb, us, shapes)
    assert diffs == []


def test_capitals_and_names_as_before(listed, gb, us):
    # en_GB's own forms (every 25th) in capitals and capitalised: hunspell's
    # case rules (McDonald -> MCDONALD, NIMBY's -> NIMBY'S, not MACDONALDS)
    forms = sorted(set(variants.expand(*GB)))[::25]
    sample = [f.upper() for f in forms] + [f[:1].upper() + f[1:] for f in forms]
    n, diffs = _compare(listed, gb, us, sample)
    assert n > 5_000
    assert diffs == []


def test_checks_as_before(listed):
    old = SpellChecker()  # no cache folder: the en_GB dictionary serves
    texts = [
        "We apologise: the colour of the centre was grey, and our favourite theatre cancelled the "
        "programme. Colour-coded signs, a neighbour’s cheque and travelled recognised.",
        "COLOURFUL FAVOURITES. Organisation of the jewellery counsellor was marvellous; manoeuvre "
        "the tyre kerb. We realise the behaviour was unacceptible, sory.",
    ] + [" ".join(pack_words()[i:i + 40]) for i in range(0, len(pack_words()), 40)]
    for t in texts:
        # flagged words and places (suggestions depend on a time budget)
        assert ([(m.start, m.end, m.word) for m in listed.check(t, "en")]
                == [(m.start, m.end, m.word) for m in old.check(t, "en")])
    assert [m.word for m in listed.check(texts[1], "en")] == ["unacceptible", "sory"]


# ---- 3. misspellings stay misspelled -------------------------------------------

def test_misspellings_rejected_as_before(listed, gb, us):
    rnd = random.Random(7)
    sample = [e for w in BRITISH + pack_words() for e in _edits(w, rnd, 3)]
    sample += [e.capitalize() for e in sample[::5]] + [e.upper() for e in sample[::7] if len(e) > 5]
    n, diffs = _compare(listed, gb, us, sample)
    assert diffs == []
    rejected = sum(1 for w in sample if not us.spell(w) and not listed._variant_ok("en", w))
    assert rejected > 1000


# ---- 4. how the list is made, kept and used ------------------------------------

def test_list_replaces_the_dictionary(listed, tmp_path):
    assert "en_gb" not in listed.loaded()  # made, so the dictionary was dropped
    path = variants.cache_path(listed.cache_dir, GB, US)
    assert os.path.isfile(path)
    assert not [f for f in os.listdir(listed.cache_dir) if f.endswith(".tmp")]
    # the next start reads it: no en_GB dictionary at all, no child
    sc = SpellChecker(cache_dir=listed.cache_dir)
    t = time.perf_counter()
    sc.preload(["en"])
    assert time.perf_counter() - t < 5
    assert sc._regional["en_gb"].words is not None
    assert sc.check("We apologise for the colour.", "en") == []
    assert sc.loaded() == ["en"]


def test_without_cache_folder_the_dictionary_serves():
    sc = SpellChecker()
    assert sc.check("We apologise for the colour of the centre.", "en") == []
    assert sc._regional["en_gb"].words is None
    assert "en_gb" in sc.loaded()
    assert [m.word for m in sc.check("We apologise for the colr.", "en")] == ["colr"]


def test_region_dictionary_checked_directly_keeps_its_own_verdicts(listed):
    # text checked as en-GB: its own dictionary judges, American spellings
    # are not let in by the list (made against en_US)
    sc = SpellChecker(cache_dir=listed.cache_dir)
    assert [m.word for m in sc.check("The color of the centre.", "en-GB")] == ["color"]
    assert sc.check("The colour of the center.", "en") == []


def _tiny(folder, gb_words="3\ncolour/S\ngrey\ntheatre\n"):
    os.makedirs(folder, exist_ok=True)
    for name, words in (("en_US", "6\ncolor/S\ngray\ntheater\nthe\nof\nand\n"), ("en_GB", gb_words)):
        with open(os.path.join(folder, name + ".aff"), "w") as fh:
            fh.write("SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n")
        with open(os.path.join(folder, name + ".dic"), "w") as fh:
            fh.write(words)


def test_list_named_by_the_dictionaries(tmp_path):
    d = str(tmp_path / "dicts")
    _tiny(d)
    cache = str(tmp_path / "cache")
    sc = SpellChecker(dict_dirs=[d], cache_dir=cache)
    sc.preload(["en"])
    sc.wait_compact(120)
    words = sc._regional["en_gb"].words
    assert sorted(words) == ["colour", "colours", "grey", "theatre"]
    assert sc.check("The grey colours of the theater.", "en") == []
    first = [f for f in os.listdir(cache) if f.endswith(".words")]
    # a changed en_US means another list
    st = os.stat(os.path.join(d, "en_US.dic"))
    os.utime(os.path.join(d, "en_US.dic"), ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    sc2 = SpellChecker(dict_dirs=[d], cache_dir=cache)
    assert sc2.check("The grey colr.", "en")[0].word == "colr"  # the dictionary serves meanwhile
    sc2.wait_compact(120)
    second = [f for f in os.listdir(cache) if f.endswith(".words")]
    assert len(second) == 2 and set(first) < set(second)
    assert "en_gb" not in sc2.loaded()  # dropped once the list was made
    assert sc2.check("The grey colours.", "en") == []


def test_unmodelled_dictionary_keeps_the_dictionary(tmp_path):
    d = str(tmp_path / "dicts")
    _tiny(d)
    with open(os.path.join(d, "en_GB.aff"), "w") as fh:
        fh.write("SET UTF-8\nSFX S Y 1\nSFX S 0 s/T .\nSFX T Y 1\nSFX T 0 y .\n")
    cache = str(tmp_path / "cache")
    sc = SpellChecker(dict_dirs=[d], cache_dir=cache)
    sc.preload(["en"])
    sc.wait_compact(120)
    path = variants.cache_path(cache, (os.path.join(d, "en_GB.aff"), os.path.join(d, "en_GB.dic")),
                               (os.path.join(d, "en_US.aff"), os.path.join(d, "en_US.dic")))
    assert variants.unsupported(path) and not os.path.exists(path)
    assert sc._regional["en_gb"].words is None
    assert sc.check("The colours and colour.", "en") == []
    assert "en_gb" in sc.loaded()
    # the marker spares the next start a child process
    sc2 = SpellChecker(dict_dirs=[d], cache_dir=cache)
    sc2.preload(["en"])
    assert sc2._compacting == []


# ---- the lookups ---------------------------------------------------------------

def test_word_list():
    w = variants.WordList.of(["zebra", "apple", "café", "apple", "Émile", "mango"])
    assert len(w) == 5
    assert list(w) == ["apple", "café", "mango", "zebra", "Émile"]
    for x in ["apple", "café", "mango", "zebra", "Émile"]:
        assert x in w
    for x in ["", "appl", "apples", "Apple", "cafe", "zzz", "a", "\ud800", 3]:
        assert x not in w
    assert "x" not in variants.WordList.of([])


def test_accepts_like_hunspell():
    w = variants.WordList.of(["colour", "coded", "Anglicise", "MCDONALD", "neighbour's"])
    us = {"color", "coded", "well", "a", "big"}.__contains__
    ok = lambda x: variants.accepts(w, x, us)  # noqa: E731
    assert ok("colour") and ok("Colour") and ok("COLOUR")
    assert ok("Anglicise") and ok("ANGLICISE") and not ok("anglicise")
    assert ok("MCDONALD") and not ok("mcdonald")
    assert ok("neighbour’s") and ok("neighbourʼs")
    assert ok("colour-coded") and ok("well-colour-coded") and ok("colour‐coded")
    assert ok("colour-color")  # parts known to either dictionary
    assert not ok("colour-colr") and not ok("colr")
    assert not ok("-".join(["colour"] * 11))  # hunspell gives up at 10 hyphens
    assert ok("-".join(["colour"] * 10))
