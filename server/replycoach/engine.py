"""durable-rules wrapper.

Workarounds for durable-rules 2.0.28, each on purpose:
- every rule starts with the trigger pattern and the trigger fact is asserted
  last, so no rule is evaluated on half of the facts;
- a sentinel rule always fires, because delete_state crashes on a session
  where nothing fired;
- each evaluation is its own session with unique fact ids, deleted right
  after (the engine holds at most 1,024 live sessions);
- one lock around every engine call (the engine is not thread-safe), and no
  background threads of durable's Host calling into it;
- rulesets cannot be replaced, so a reload registers a new ruleset under a
  new name and swaps the reference.

durable's Host compiles and registers a ruleset; evaluate() then drives the
engine's own calls (assert, start and complete each action) itself, and
reads which rules fired from the actions' messages.
"""
from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass

import durable.engine as durable
from durable.engine import durable_rules_engine as _engine

SENTINEL = "__sentinel__"
# durable's result codes for asserted facts (Ruleset._handle_result)
_NOT_HANDLED, _OBSERVED, _QUEUED = 1, 2, 3


@dataclass(frozen=True)
class CompiledRule:
    """One clause of a pack rule, ready for the engine."""
    key: str            # unique name inside the ruleset
    pack: str
    rule_id: str
    ctx_terms: tuple    # durable-rules terms on the context fact
    for_each: str | None
    hit_terms: tuple    # durable-rules terms on the hit fact


@dataclass(frozen=True)
class Firing:
    key: str
    hit: int | None     # index into the hits list, None for draft-level rules


class EngineError(RuntimeError):
    pass


_host_lock = threading.Lock()
_host = None


class _Host(durable.Host):
    """A Host without its background threads. durable.Host starts two
    self-rearming timers that call into the engine every 0.2 s (pending
    actions, timers) without our lock: one could run a rule action of a
    session being evaluated, or of one being deleted, and with frequent
    thread switches the process crashed (segfault). We use neither timers
    nor queued actions: evaluate() runs every action itself."""

    def _run(self):
        pass


def _shared_host():
    global _host
    with _host_lock:
        if _host is None:
            _host = _Host()
        return _host


_names = itertools.count(1)


class Ruleset:
    """An immutable compiled ruleset registered in the engine."""

    def __init__(self, rules: list[CompiledRule]):
        self.rules = {r.key: r for r in rules}
        # Hits of other lists match no rule (their counts are on the context
        # fact): asserting them would only cost time.
        self.hit_lists = frozenset(r.for_each for r in rules if r.for_each)
        # The engine copies, serialises and parses every field of a fact, a
        # few times per firing: give it only the fields some rule tests.
        self.ctx_fields = ("pack", *sorted(_fields([r.ctx_terms for r in rules]) - {"pack"}))
        self.hit_fields = ("pack", "list", *sorted(_fields([r.hit_terms for r in rules]) - {"pack", "list"}))
        self.name = f"replycoach_{next(_names)}"
        self._sids = itertools.count(1)
        # The action each rule's firings name: (rule key, fires per hit).
        self._actions = {SENTINEL: (SENTINEL, False)}
        definition = {SENTINEL: {"all": [{"t": {"kind": "trigger"}}], "run": _no_op}}
        for r in rules:
            conds = [{"t": {"kind": "trigger"}},
                     {"c": {"$and": [{"kind": "ctx"}, {"pack": r.pack}, *r.ctx_terms]}}]
            if r.for_each:
                conds.append({"h": {"$and": [{"kind": "hit"}, {"pack": r.pack},
                                             {"list": r.for_each}, *r.hit_terms]}})
            definition[r.key] = {"all": conds, "run": _no_op}
            self._actions[r.key] = (r.key, bool(r.for_each))
        host = _shared_host()
        host.register_rulesets({self.name: definition})
        self._handle = host.get_ruleset(self.name)._handle

    def evaluate(self, contexts: list[dict], hits: list[dict]) -> list[Firing]:
        """contexts: one context fact per pack (with 'pack'); hits: dicts with
        'pack' and 'list'. Returns firings in a stable order."""
        with _engine_lock:
            sid = f"s{next(self._sids)}"
            facts = []
            for i, ctx in enumerate(contexts):
                fact = {k: ctx[k] for k in self.ctx_fields if k in ctx}
                fact.update(kind="ctx", sid=sid, id=f"{sid}c{i}")
                facts.append(fact)
            for i, hit in enumerate(hits):
                if hit["list"] in self.hit_lists:
                    fact = {k: hit[k] for k in self.hit_fields if k in hit}
                    fact.update(kind="hit", hid=i, sid=sid, id=f"{sid}h{i}")
                    facts.append(fact)
            try:
                fired: list[Firing] = []
                if facts:
                    self._assert(_engine.assert_facts, facts, fired)
                self._assert(_engine.assert_fact, {"kind": "trigger", "sid": sid, "id": f"{sid}t"}, fired)
                if not any(f.key == SENTINEL for f in fired):
                    raise EngineError("sentinel rule did not fire")
                return sorted((f for f in fired if f.key != SENTINEL),
                              key=lambda f: (f.key, -1 if f.hit is None else f.hit))
            except EngineError:
                raise
            except Exception as exc:  # the engine's own errors
                raise EngineError(f"rules engine failed: {exc}") from exc
            finally:
                try:
                    _engine.delete_state(self._handle, sid)
                except Exception:
                    pass

    def _assert(self, call, facts, fired: list[Firing]) -> None:
        """Assert facts and collect the firings they complete. This is what
        durable's Host.assert_fact does, less its per-firing costs that buy
        us nothing: a Closure, and the session state serialised and parsed
        back after each action (our actions never change it)."""
        code, state = call(self._handle, json.dumps(facts, ensure_ascii=False))
        if code == _NOT_HANDLED:
            return   # facts no rule looks at yet
        if code == _OBSERVED:
            raise EngineError("rules engine saw these facts already")
        if code == _QUEUED:
            state = 0   # as durable's Ruleset._handle_result
        started = _engine.start_action_for_state(self._handle, state)
        message = started[1] if started else None
        while message:
            for name, matched in json.loads(message).items():
                key, per_hit = self._actions[name]
                fired.append(Firing(key, matched["h"]["hid"] if per_hit else None))
            message = _engine.complete_and_start_action(self._handle, state)


def _no_op(c) -> None:
    """Rules register an action; evaluate() reads the firings itself."""


def _fields(terms) -> set[str]:
    """The fact fields durable-rules terms test ({field: value},
    {"$op": {field: value}}, {"$or"/"$and": [terms]})."""
    found: set[str] = set()
    todo = list(terms)
    while todo:
        t = todo.pop()
        if isinstance(t, dict):
            for key, value in t.items():
                if not key.startswith("$"):
                    found.add(key)
                todo.append(value)
        elif isinstance(t, (list, tuple)):
            todo.extend(t)
    return found


# durable-rules keeps global state in its C extension: serialize everything.
_engine_lock = threading.Lock()
