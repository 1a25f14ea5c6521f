"""Team packs (`extends: <base id>` in pack.yaml) layered onto their base.

The effective packs of a snapshot are:
- the base, under its own id, with every overlay merged in (in path order,
  later wins): settings overridden, disabled or redefined rules removed, list
  entries appended per language, templates and messages overridden,
  vocabulary and contacts added;
- each overlay, under its own id, holding only its own rules (so warnings
  name the pack that defines the rule) and the merged settings, templates,
  vocabulary and contacts, and only the lists its rules use (so matching is
  not done twice).
"""
from __future__ import annotations

import dataclasses
import os

from ..matching import PhraseList
from .loader import Problem
from .model import Language, Pack

# Lists the facts builder reads besides those named by the rules.
ALWAYS_LISTS = {"greeting", "negative_review", "stopwords", "acronyms"}


def _strip_prefix(rule: str, base_id: str) -> str:
    return rule.split("/", 1)[1] if rule.startswith(base_id + "/") else rule


def _unique(*lists) -> list:
    out: list = []
    for items in lists:
        for x in items:
            if x not in out:
                out.append(x)
    return out


def merge(base: Pack, overlays: list[Pack]) -> Pack:
    """The base pack with the overlays applied, in order (later wins)."""
    settings = dict(base.settings)
    removed: set[str] = set()
    vocabulary, contacts, all_lists = list(base.vocabulary), list(base.contacts), list(base.all_languages_lists)
    messages = {ui: dict(table) for ui, table in base.messages.items()}
    langs = {code: Language(code, dict(lang.lists), dict(lang.templates), list(lang.examples), lang.file)
             for code, lang in base.langs.items()}
    for o in overlays:
        settings.update(o.settings)
        removed.update(_strip_prefix(r, base.id) for r in o.disabled_rules)
        removed.update(o.rule_ids())             # redefined by the team pack
        vocabulary = _unique(vocabulary, o.vocabulary)
        contacts = _unique(contacts, o.contacts)
        all_lists = _unique(all_lists, o.all_languages_lists)
        for ui, table in o.messages.items():
            messages.setdefault(ui, {}).update(table)
        for code, olang in o.langs.items():
            lang = langs.get(code)
            if lang is None:
                continue    # the base does not support it; reported by check_overlay
            for name, plist in olang.lists.items():
                old = lang.lists.get(name)
                lang.lists[name] = PhraseList(name, (old.patterns if old else []) + list(plist.patterns))
            lang.templates.update(olang.templates)
    return dataclasses.replace(
        base, settings=settings, rules=[r for r in base.rules if r.id not in removed],
        vocabulary=vocabulary, contacts=contacts, all_languages_lists=all_lists,
        messages=messages, langs=langs, overlays=[o.id for o in overlays], warnings=list(base.warnings))


def _condition_lists(cond) -> set[str]:
    out: set[str] = set()
    if isinstance(cond, dict):
        for key, value in cond.items():
            if key == "any" and isinstance(value, list):
                for alt in value:
                    out |= _condition_lists(alt)
            elif isinstance(key, str) and key.startswith("n_"):
                out.add(key[2:])
    return out


def used_lists(pack: Pack) -> set[str]:
    names = set(ALWAYS_LISTS)
    for r in pack.rules:
        if r.for_each:
            names.add(r.for_each)
        names |= _condition_lists(r.when)
    return names


def view(overlay: Pack, merged: Pack) -> Pack:
    """The overlay as evaluated: its own rules in the merged base's world."""
    keep = used_lists(overlay)
    langs = {}
    for code, lang in merged.langs.items():
        own = overlay.langs.get(code)
        langs[code] = Language(code, {n: pl for n, pl in lang.lists.items() if n in keep},
                               dict(lang.templates), list(own.examples) if own else [],
                               own.file if own else lang.file)
    messages = {ui: dict(table) for ui, table in merged.messages.items()}
    for ui, table in overlay.messages.items():
        messages.setdefault(ui, {}).update(table)
    return dataclasses.replace(
        overlay, settings=dict(merged.settings), languages=list(merged.languages),
        vocabulary=list(merged.vocabulary), contacts=list(merged.contacts),
        all_languages_lists=[n for n in merged.all_languages_lists if n in keep],
        langs=langs, messages=messages, warnings=list(overlay.warnings))


def _rel(path: str) -> str:
    rel = os.path.relpath(path, os.getcwd())
    return path if rel.startswith("..") else rel


def check_overlay(overlay: Pack, base: Pack) -> list[Problem]:
    """What is wrong with layering this overlay onto this base (errors refuse it)."""
    meta = _rel(os.path.join(overlay.path, "pack.yaml"))
    problems: list[Problem] = []
    for code in overlay.langs:
        if code not in base.langs:
            problems.append(Problem(overlay.langs[code].file, 1,
                                    f"{base.id} has no language {code!r}: this file is ignored", "warning"))
    known = set(base.rule_ids()) | set(overlay.rule_ids())
    for rule in overlay.disabled_rules:
        if _strip_prefix(rule, base.id) not in base.rule_ids():
            problems.append(Problem(meta, 1, f"disabled_rules: {base.id} has no rule {rule!r}", "warning"))
    for lang in overlay.langs.values():
        for ex in lang.examples:
            if ex.rule and ex.rule not in known:
                problems.append(Problem(ex.file, ex.line, f"example for unknown rule {ex.rule!r}"))
    lists = {n for lg in base.langs.values() for n in lg.lists} | {
        n for lg in overlay.langs.values() for n in lg.lists} | {"shouting", "punctuation", "spelling", "private_data"}
    for rule in overlay.rules:
        if rule.for_each and rule.for_each not in lists:
            problems.append(Problem(rule.file, rule.line,
                                    f"rule {rule.id}: no language defines list {rule.for_each!r}; it never fires", "warning"))
    return problems
