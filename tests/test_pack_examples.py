"""Every example shipped in the built-in pack runs as a test (the same
runner as `replycoach packs test`), and the full rewrite of every firing
example is free of error-level warnings."""
from __future__ import annotations

import pytest

from replycoach.packs.registry import PackRegistry
from replycoach.packs.testing import EXAMPLE_NOW
from replycoach.packs.testing import _run_one as run_one
from replycoach.request import parse_check

from .conftest import ROOT

_registry = PackRegistry([f"{ROOT}/rules"])
PACK = _registry.current.packs["reply-guidelines"]
EXAMPLES = [(code, ex) for code, lang in PACK.langs.items() for ex in lang.examples]
RULE_IDS = PACK.rule_ids()
CORE = ["en", "ru", "af", "el", "et"]


def _id(item):
    code, ex = item
    return f"{code}-{ex.rule or 'good'}-{ex.expect}-L{ex.line}"


@pytest.mark.parametrize("item", EXAMPLES, ids=[_id(i) for i in EXAMPLES])
def test_example(item, checker):
    code, ex = item
    outcome = run_one(_registry, checker, PACK, code, ex)
    assert outcome.ok, f"{ex.file}:{ex.line}: {outcome.detail}"


@pytest.mark.parametrize("code", CORE)
def test_every_rule_has_three_firing_and_three_passing_examples(code):
    lang = PACK.langs.get(code)
    assert lang is not None, f"no lang/{code}.yaml"
    short = []
    for rule in RULE_IDS:
        fire = sum(1 for e in lang.examples if e.rule == rule and e.expect == "fire")
        passing = sum(1 for e in lang.examples if e.rule == rule and e.expect == "pass")
        if fire < 3 or passing < 3:
            short.append(f"{rule}: {fire} fire, {passing} pass")
    assert not short, short


@pytest.mark.parametrize("code", CORE)
def test_every_rule_has_messages(code):
    table = PACK.messages.get(code, {})
    missing = [r for r in RULE_IDS if r not in table or not table[r].get("explanation")]
    assert not missing, f"messages/{code}.yaml lacks {missing}"


FIRING = [(c, e) for c, e in EXAMPLES if e.expect == "fire" and not e.history]


@pytest.mark.parametrize("item", FIRING, ids=[_id(i) for i in FIRING])
def test_full_rewrite_has_no_errors(item, checker):
    code, ex = item
    body = {**ex.request, "now": ex.now or EXAMPLE_NOW, "packs": [PACK.id]}
    first = checker.check(parse_check(body))
    rewritten = first["rewrite"]["text"]
    again = checker.check(parse_check({**body, "text": rewritten}))
    errors = [w["rule"] for w in again["warnings"] if w["severity"] == "error"]
    assert not errors, f"{ex.file}:{ex.line}: rewrite {rewritten!r} still has {errors}"
