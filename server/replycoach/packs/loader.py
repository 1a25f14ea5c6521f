"""Reads a pack folder into a `Pack`, collecting every problem as file:line."""
from __future__ import annotations

import os
import re

from ..conditions import CTX_FIELDS, HIT_FIELDS, ConditionError, compile_conditions
from ..matching import PatternError, PhraseList, compile_pattern
from .model import (DETECTORS, FIX_KINDS, INSERT_AT, SEVERITIES, Example, Language,
                    Pack, Rule)
from . import schema as schemamod
from .yamlsource import YamlError, line_of, load_yaml

ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
LIST_RE = re.compile(r"^[a-z][a-z0-9_]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")


class Problem:
    """One thing wrong in a pack. Errors refuse the pack; warnings do not."""

    def __init__(self, file: str, line: int, message: str, level: str = "error"):
        self.file, self.line, self.message, self.level = file, line, message, level

    def __str__(self) -> str:
        tag = "" if self.level == "error" else f"{self.level}: "
        return f"{self.file}:{self.line}: {tag}{self.message}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message, "level": self.level}


class PackError(Exception):
    def __init__(self, path: str, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.path = path
        self.problems = problems


class _Reader:
    def __init__(self, root: str):
        self.root = root
        self.problems: list[Problem] = []
        self.schema_problems: list[Problem] = []

    def rel(self, path: str) -> str:
        # Relative to the working folder when inside it, as editors like it.
        rel = os.path.relpath(path, os.getcwd())
        return path if rel.startswith("..") else rel

    def add(self, path: str, line: int, message: str, level: str = "error"):
        self.problems.append(Problem(self.rel(path), line, message, level))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def merge_schema_problems(self):
        """Schema errors the hand-written checks already explain (same line,
        same key named) are left out, so each mistake is reported once."""
        for p in self.schema_problems:
            same = [q for q in self.problems if q.file == p.file and q.line == p.line]
            if any(p.key and p.key in q.message for q in same) or any(q.message == p.message for q in same):
                continue
            self.problems.append(p)
        self.schema_problems = []

    def read(self, path: str, required: bool = True, missing_level: str = "error", kind: str | None = None):
        if not os.path.exists(path):
            if required:
                self.add(path, 0, "file is missing", missing_level)
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                data = load_yaml(fh.read())
        except UnicodeDecodeError:
            self.add(path, 0, "file is not UTF-8")
            return None
        except YamlError as exc:
            self.add(path, exc.line, f"YAML syntax: {exc.message}")
            return None
        if kind and data is not None:
            for line, message, key in schemamod.validate(kind, data):
                problem = Problem(self.rel(path), line, f"schema: {message}")
                problem.key = key
                self.schema_problems.append(problem)
        return data


def _str_list(r: _Reader, path, node, key, data) -> list[str]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        r.add(path, line_of(data, key), f"'{key}' must be a list of strings")
        return []
    return list(value)


def load_pack(folder: str) -> Pack:
    """Load and validate one pack folder; raise PackError with every problem."""
    r = _Reader(folder)
    meta_path = os.path.join(folder, "pack.yaml")
    meta = r.read(meta_path, kind="pack")
    if meta is not None and not isinstance(meta, dict):
        r.add(meta_path, 1, "pack.yaml must be a mapping")
        meta = None
    meta = meta or {}
    pid = meta.get("id")
    if not isinstance(pid, str) or not ID_RE.match(pid):
        r.add(meta_path, line_of(meta, "id", 1), "'id' must be lower-case letters, digits and dashes")
        pid = os.path.basename(os.path.normpath(folder))
    version = str(meta.get("version", ""))
    if not VERSION_RE.match(version):
        r.add(meta_path, line_of(meta, "version", 1), "'version' must look like 1.2.3")
    languages = _str_list(r, meta_path, meta, "languages", meta)
    for code in languages:
        if not LANG_RE.match(code):
            r.add(meta_path, line_of(meta, "languages"), f"bad language code {code!r}")
    settings = meta.get("settings") or {}
    if not isinstance(settings, dict):
        r.add(meta_path, line_of(meta, "settings"), "'settings' must be a mapping")
        settings = {}
    extends = meta.get("extends")
    if extends is not None and (not isinstance(extends, str) or not ID_RE.match(extends)):
        r.add(meta_path, line_of(meta, "extends"), "'extends' must be a pack id")
        extends = None

    rules = _load_rules(r, folder, settings, overlay=extends is not None)
    known_lists: set[str] = set(DETECTORS)
    langs: dict[str, Language] = {}
    for code in languages:
        lang = _load_language(r, folder, code, required=extends is None)
        if lang:
            langs[code] = lang
            known_lists.update(lang.lists)
    messages = _load_messages(r, folder)

    rule_ids = {x.id for x in rules}
    for rule in rules:
        if rule.for_each and rule.for_each not in known_lists and extends is None:
            r.add(rule.file, rule.line, f"rule {rule.id}: no language defines list {rule.for_each!r}; it never fires", "warning")
    for lang in langs.values():
        for ex in lang.examples:
            if ex.rule and ex.rule not in rule_ids and extends is None:
                r.add(ex.file, ex.line, f"example for unknown rule {ex.rule!r}")
    disabled = _str_list(r, meta_path, meta, "disabled_rules", meta)
    if disabled and extends is None:
        r.add(meta_path, line_of(meta, "disabled_rules"), "'disabled_rules' needs 'extends' (a team pack switches off rules of the pack it extends)")

    r.merge_schema_problems()
    if r.errors:
        raise PackError(folder, r.problems)
    pack = Pack(
        id=pid, name=str(meta.get("name", pid)), version=version,
        author=str(meta.get("author", "")), description=str(meta.get("description", "")),
        languages=languages, settings=dict(settings),
        all_languages_lists=_str_list(r, meta_path, meta, "all_languages_lists", meta),
        vocabulary=_str_list(r, meta_path, meta, "vocabulary", meta),
        contacts=_str_list(r, meta_path, meta, "contacts", meta),
        rules=rules, langs=langs, messages=messages, path=folder,
        disabled_rules=disabled, extends=extends)
    pack.warnings = [p for p in r.problems if p.level != "error"]
    return pack


def _load_rules(r: _Reader, folder: str, settings: dict, overlay: bool = False) -> list[Rule]:
    path = os.path.join(folder, "rules.yaml")
    data = r.read(path, required=False, kind="rules")
    if data is None:
        return []
    items = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(items, list):
        r.add(path, line_of(data, "rules", 1), "rules.yaml needs a list 'rules'")
        return []
    rules: list[Rule] = []
    clauses: dict[str, int] = {}
    for i, item in enumerate(items):
        line = line_of(items, i)
        if not isinstance(item, dict):
            r.add(path, line, "a rule must be a mapping")
            continue
        rid = item.get("id")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            r.add(path, line_of(item, "id", line), "rule 'id' must be lower-case words joined by dashes")
            continue
        severity = item.get("severity")
        if severity not in SEVERITIES:
            r.add(path, line_of(item, "severity", line), f"rule {rid}: severity must be one of {', '.join(SEVERITIES)}")
        for_each = item.get("for_each")
        if for_each is not None and (not isinstance(for_each, str) or not LIST_RE.match(for_each)):
            r.add(path, line_of(item, "for_each", line), f"rule {rid}: 'for_each' must be a list name")
            for_each = None
        for key, fields in (("when", CTX_FIELDS), ("where", HIT_FIELDS)):
            if key == "where" and item.get("where") is not None and not for_each:
                r.add(path, line_of(item, "where", line), f"rule {rid}: 'where' needs 'for_each'")
            try:
                compile_conditions(item.get(key), settings, fields)
            except ConditionError as exc:
                if overlay and str(exc).startswith("unknown setting"):
                    continue  # may come from the base pack: checked when the registry merges them
                node = item.get(key)
                r.add(path, line_of(node, exc.key, line_of(item, key, line)) if isinstance(node, dict) else line_of(item, key, line),
                      f"rule {rid}: {key}: {exc}")
        fix = item.get("fix") or {"kind": "none"}
        if not isinstance(fix, dict) or fix.get("kind", "none") not in FIX_KINDS:
            r.add(path, line_of(item, "fix", line), f"rule {rid}: fix kind must be one of {', '.join(FIX_KINDS)}")
            fix = {"kind": "none"}
        elif fix.get("kind") == "insert":
            if not isinstance(fix.get("template"), str):
                r.add(path, line_of(item, "fix", line), f"rule {rid}: an insert fix needs a 'template'")
            if fix.get("at", "after-greeting") not in INSERT_AT:
                r.add(path, line_of(item, "fix", line), f"rule {rid}: 'at' must be one of {', '.join(INSERT_AT)}")
        sources = item.get("sources") or []
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            r.add(path, line_of(item, "sources", line), f"rule {rid}: 'sources' must be a list of strings")
            sources = []
        clause = clauses.get(rid, 0)
        clauses[rid] = clause + 1
        rules.append(Rule(rid, severity if severity in SEVERITIES else "warning", list(sources),
                          for_each, item.get("when"), item.get("where"), dict(fix), clause,
                          r.rel(path), line))
    return rules


def _load_language(r: _Reader, folder: str, code: str, required: bool) -> Language | None:
    path = os.path.join(folder, "lang", f"{code}.yaml")
    # A missing language only makes that language unsupported.
    data = r.read(path, required=required, missing_level="warning", kind="lang")
    if data is None:
        return None
    if not isinstance(data, dict):
        r.add(path, 1, "a language file must be a mapping")
        return None
    lists: dict[str, PhraseList] = {}
    raw_lists = data.get("lists") or {}
    if not isinstance(raw_lists, dict):
        r.add(path, line_of(data, "lists", 1), "'lists' must be a mapping of list name to patterns")
        raw_lists = {}
    for name, entries in raw_lists.items():
        if not isinstance(name, str) or not LIST_RE.match(name):
            r.add(path, line_of(raw_lists, name, 1), f"bad list name {name!r}")
            continue
        if not isinstance(entries, list):
            r.add(path, line_of(raw_lists, name, 1), f"list {name}: must be a list of patterns")
            continue
        patterns = []
        for j, entry in enumerate(entries):
            try:
                patterns.append(compile_pattern(entry))
            except PatternError as exc:
                r.add(path, line_of(entries, j), f"list {name}: {exc}")
        lists[name] = PhraseList(name, patterns)
    templates = data.get("templates") or {}
    if not isinstance(templates, dict) or not all(isinstance(v, str) for v in templates.values()):
        r.add(path, line_of(data, "templates", 1), "'templates' must map names to text")
        templates = {}
    examples = _load_examples(r, path, data)
    return Language(code, lists, dict(templates), examples, r.rel(path))


def _example(r: _Reader, path: str, node, line: int, rule: str, expect: str) -> Example | None:
    if isinstance(node, str):
        node = {"text": node}
    if not isinstance(node, dict) or not isinstance(node.get("text"), str):
        r.add(path, line, "an example needs 'text'")
        return None
    request = {k: v for k, v in node.items() if k not in ("now", "history")}
    history = node.get("history") or []
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        r.add(path, line, "'history' must be a list of earlier replies")
        history = []
    now = node.get("now")
    return Example(rule, expect, request, str(now) if now else None, list(history), r.rel(path), line)


def _load_examples(r: _Reader, path: str, data: dict) -> list[Example]:
    out: list[Example] = []
    examples = data.get("examples") or {}
    if not isinstance(examples, dict):
        r.add(path, line_of(data, "examples", 1), "'examples' must map rule ids to fire/pass lists")
        examples = {}
    for rule, groups in examples.items():
        if not isinstance(groups, dict):
            r.add(path, line_of(examples, rule, 1), f"examples for {rule}: need 'fire' and 'pass' lists")
            continue
        for expect in ("fire", "pass"):
            items = groups.get(expect) or []
            if not isinstance(items, list):
                r.add(path, line_of(groups, expect, 1), f"examples for {rule}: '{expect}' must be a list")
                continue
            for k, node in enumerate(items):
                ex = _example(r, path, node, line_of(items, k), str(rule), expect)
                if ex:
                    out.append(ex)
    good = data.get("good_replies") or []
    if not isinstance(good, list):
        r.add(path, line_of(data, "good_replies", 1), "'good_replies' must be a list")
        good = []
    for k, node in enumerate(good):
        ex = _example(r, path, node, line_of(good, k), "", "clean")
        if ex:
            out.append(ex)
    return out


def _load_messages(r: _Reader, folder: str) -> dict:
    out: dict[str, dict] = {}
    mdir = os.path.join(folder, "messages")
    if not os.path.isdir(mdir):
        return out
    for name in sorted(os.listdir(mdir)):
        if not name.endswith(".yaml"):
            continue
        code = name[:-5]
        path = os.path.join(mdir, name)
        data = r.read(path, kind="messages")
        if data is None:
            continue
        if not isinstance(data, dict):
            r.add(path, 1, "a messages file must map rule ids to message and explanation")
            continue
        table = {}
        for rid, entry in data.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("message"), str):
                r.add(path, line_of(data, rid, 1), f"{rid}: needs 'message' (and 'explanation')")
                continue
            table[str(rid)] = {"message": entry["message"],
                               "explanation": str(entry.get("explanation", ""))}
        out[code] = table
    return out
