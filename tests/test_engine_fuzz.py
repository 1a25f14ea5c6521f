"""durable-rules must agree with the plain-Python reference evaluator on
random rules and random facts, including fact order and many sessions."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replycoach.conditions import compile_conditions
from replycoach.engine import CompiledRule, Ruleset

from .reference import evaluate as reference

FIELDS = {"chars": "int", "review_rating": "num", "review_negative": "bool",
          "lang": "str", "n_thanks": "int", "n_apology": "int"}
HIT_FIELDS = {"sentence": "int", "text": "str"}
STRINGS = ["en", "ru", "el", "ß", "Ё", "ü", ""]
SETTINGS = {"limit": 3, "low": 1.5}


def value(kind):
    if kind == "int":
        return st.integers(-2, 6)
    if kind == "num":
        return st.one_of(st.integers(-1, 5), st.sampled_from([1.5, 2.0, 4.25, -1.0]))
    if kind == "bool":
        return st.booleans()
    return st.sampled_from(STRINGS)


@st.composite
def term(draw, fields):
    name = draw(st.sampled_from(sorted(fields)))
    kind = fields[name]
    ops = ["eq", "ne"] + (["lt", "lte", "gt", "gte"] if kind in ("int", "num") else []) + ["in"]
    op = draw(st.sampled_from(ops))
    if op == "in":
        return name, {"in": draw(st.lists(value(kind), min_size=1, max_size=3))}
    if kind == "int" and draw(st.booleans()):
        v = "$limit"
    elif kind == "num" and draw(st.booleans()):
        v = "$low"
    else:
        v = draw(value(kind))
    return name, (v if op == "eq" else {op: v})


@st.composite
def condition(draw, fields, depth=0):
    cond = dict(draw(st.lists(term(fields), max_size=3, unique_by=lambda t: t[0])))
    if depth == 0 and draw(st.booleans()):
        cond["any"] = draw(st.lists(condition(fields, depth=1).filter(bool), min_size=1, max_size=3))
    return cond


@st.composite
def rule_set(draw):
    rules = []
    for i in range(draw(st.integers(1, 6))):
        pack = draw(st.sampled_from(["p1", "p2"]))
        for_each = draw(st.sampled_from([None, "thanks", "canned"]))
        when = draw(condition(FIELDS)) or None
        where = (draw(condition(HIT_FIELDS)) or None) if for_each else None
        rules.append((f"{pack}/r{i}#0", pack, SETTINGS, when, for_each, where))
    return rules


@st.composite
def context(draw, pack):
    ctx = {"pack": pack}
    for name, kind in FIELDS.items():
        ctx[name] = draw(value(kind))
    return ctx


@st.composite
def fact_set(draw):
    packs = draw(st.lists(st.sampled_from(["p1", "p2"]), min_size=0, max_size=2, unique=True))
    contexts = [draw(context(p)) for p in packs]
    hits = draw(st.lists(st.fixed_dictionaries({
        "pack": st.sampled_from(["p1", "p2"]), "list": st.sampled_from(["thanks", "canned", "other"]),
        "sentence": st.integers(0, 4), "text": st.sampled_from(STRINGS),
        "start": st.integers(0, 50), "end": st.integers(0, 60)}), max_size=6))
    return contexts, hits


def compile_rules(rules):
    from replycoach.conditions import HIT_FIELDS as HF
    return [CompiledRule(key, pack, key.split("/")[1].split("#")[0], tuple(compile_conditions(when, s)), fe,
                         tuple(compile_conditions(where, s, HF))) for key, pack, s, when, fe, where in rules]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_set(), facts=st.lists(fact_set(), min_size=1, max_size=4), seed=st.integers(0, 1000))
def test_engine_matches_reference(rules, facts, seed):
    ruleset = Ruleset(compile_rules(rules))
    rng = random.Random(seed)
    for contexts, hits in facts:
        expected = reference(rules, contexts, hits)
        got = {(f.key, f.hit) for f in ruleset.evaluate(contexts, hits)}
        assert got == expected, (rules, contexts, hits)
        # The order facts arrive in must not matter.
        order = list(range(len(hits)))
        rng.shuffle(order)
        shuffled = [hits[i] for i in order]
        got2 = {(f.key, order[f.hit] if f.hit is not None else None)
                for f in ruleset.evaluate(list(reversed(contexts)), shuffled)}
        assert got2 == expected


def test_many_sessions_do_not_exhaust_the_engine():
    # durable-rules holds at most 1,024 live sessions: each evaluation must
    # delete its own.
    rules = [("p1/a#0", "p1", SETTINGS, {"chars": {"gt": 2}}, None, None),
             ("p1/b#0", "p1", SETTINGS, None, "thanks", None)]
    ruleset = Ruleset(compile_rules(rules))
    for i in range(3000):
        fired = ruleset.evaluate([{"pack": "p1", "chars": i % 5}], [{"pack": "p1", "list": "thanks", "sentence": 0, "text": "x", "start": 0, "end": 1}])
        assert ("p1/a#0", None) in {(f.key, f.hit) for f in fired} or i % 5 <= 2
        assert ("p1/b#0", 0) in {(f.key, f.hit) for f in fired}


def test_nothing_fires_still_cleans_up():
    # No rule matches: only the sentinel fires, and delete_state must not crash.
    ruleset = Ruleset(compile_rules([("p1/a#0", "p1", SETTINGS, {"chars": {"gt": 100}}, None, None)]))
    for _ in range(1100):
        assert ruleset.evaluate([{"pack": "p1", "chars": 1}], []) == []
    assert ruleset.evaluate([], []) == []


# --- the real pack: facts from random drafts built of its own phrases -----

def _pack_fragments():
    from replycoach.packs.registry import PackRegistry
    from .conftest import ROOT
    registry = PackRegistry([f"{ROOT}/rules"])
    pack = registry.current.packs["reply-guidelines"]
    frags = []
    for lang in pack.langs.values():
        for plist in lang.lists.values():
            frags += [p.source for p in plist.patterns if not p.source.startswith("re:")
                      and not any(c in p.source for c in "()[]|*?")]
    return registry, pack, sorted(set(frags)) or ["thank you", "sorry"]


_REG, _PACK, _FRAGS = _pack_fragments()
_EXTRA = ["!!", "WHAT", " ,", "Anna", "😀", "\n", "info@example.com", "+372 5555 1234", ".", "?"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(_FRAGS + _EXTRA), min_size=1, max_size=12),
       rating=st.one_of(st.none(), st.integers(1, 5)),
       review=st.one_of(st.none(), st.sampled_from(_FRAGS)))
def test_real_pack_engine_matches_reference(parts, rating, review, checker):
    from replycoach import facts as factmod
    from replycoach.request import parse_check
    from replycoach.textutil import normalize, sentences, words
    text = " ".join(parts)
    body = {"text": text, "review": {"rating": rating, "text": review}, "now": "2026-11-24T12:00:00Z"}
    req = parse_check(body)
    lang, review_lang = checker.detect_languages(req)
    a = factmod.Analysis(text, normalize(text), sentences(text), len(words(text)), lang, review_lang, req.now)
    f = factmod.build([_PACK], a, req, None)
    ruleset = _REG.current.ruleset
    got = {(fi.key, fi.hit) for fi in ruleset.evaluate(f.contexts, f.hits)}
    rules = [(f"{_PACK.id}/{r.id}#{r.clause}", _PACK.id, _PACK.settings, r.when, r.for_each, r.where)
             for r in _PACK.rules]
    assert got == reference(rules, f.contexts, f.hits)


_SWITCHING = r"""
import sys, threading, time
sys.setswitchinterval(1e-6)   # a thread switch between almost every bytecode
sys.path.insert(0, sys.argv[1])
from replycoach.engine import CompiledRule, Ruleset
rules = [CompiledRule(f"r{i}", "p", f"R{i}", (), "l" if i % 2 else None, ()) for i in range(6)]
sets = [Ruleset(rules) for _ in range(3)]   # a few reloads' worth of rulesets
end, n = time.monotonic() + 4, 0
while time.monotonic() < end:
    hits = [{"pack": "p", "list": "l"} for _ in range(n % 5)]
    got = sets[n % 3].evaluate([{"pack": "p"}], hits)
    assert len(got) == 3 + 3 * len(hits), (n, got)
    n += 1
assert threading.active_count() == 1, threading.enumerate()
print(n)
"""


def test_no_engine_thread_runs_beside_an_evaluation():
    # durable's Host polls the engine from two timer threads of its own,
    # outside our lock; with frequent thread switches that crashed the
    # process (segfault) within a second. The engine must run only inside
    # evaluate().
    import os
    import subprocess
    import sys
    server = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server")
    out = subprocess.run([sys.executable, "-c", _SWITCHING, server], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert int(out.stdout) > 1000


def test_the_engine_is_given_only_the_fields_some_rule_tests():
    # durable-rules copies and parses every field of a fact several times
    # per firing; the others are left out (the fuzz tests above check that
    # no firing changes).
    from replycoach.engine import _fields
    terms = [{"$or": [{"words": 3}, {"$and": [{"$gt": {"n_thanks": 0}}, {"lang": "en"}]}]}, {"$lt": {"chars": 9}}]
    assert _fields(terms) == {"words", "n_thanks", "lang", "chars"}
    rules = [CompiledRule("p/a#0", "p", "a", tuple(terms), None, ()),
             CompiledRule("p/b#0", "p", "b", (), "thanks", ({"text": "x"},))]
    rs = Ruleset(rules)
    assert rs.ctx_fields == ("pack", "chars", "lang", "n_thanks", "words")
    assert rs.hit_fields == ("pack", "list", "text")
    fired = rs.evaluate([{"pack": "p", "words": 3, "chars": 5, "lang": "ru", "n_thanks": 0, "review_known": True}],
                        [{"pack": "p", "list": "thanks", "text": "x", "start": 0, "end": 1, "sentence": 0},
                         {"pack": "p", "list": "thanks", "text": "y", "start": 2, "end": 3, "sentence": 0}])
    assert [(f.key, f.hit) for f in fired] == [("p/a#0", None), ("p/b#0", 0)]
