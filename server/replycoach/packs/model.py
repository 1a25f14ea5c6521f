"""What a loaded rule pack is made of."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..matching import PhraseList

SEVERITIES = ("error", "warning", "suggestion")
FIX_KINDS = ("replace", "delete", "delete-sentence", "insert", "none")
INSERT_AT = ("start", "after-greeting", "end")
# Lists produced by Python detectors rather than by phrase lists.
DETECTORS = ("shouting", "punctuation", "spelling", "private_data")


@dataclass
class Rule:
    id: str
    severity: str
    sources: list[str]
    for_each: str | None
    when: dict | None
    where: dict | None
    fix: dict
    clause: int          # index among the clauses sharing this id
    file: str
    line: int


@dataclass
class Example:
    rule: str            # rule id, or "" for good replies
    expect: str          # "fire" | "pass" | "clean"
    request: dict        # a check request body
    now: str | None
    history: list[str]
    file: str
    line: int


@dataclass
class Language:
    code: str
    lists: dict[str, PhraseList]
    templates: dict[str, str]
    examples: list[Example]
    file: str


@dataclass
class Pack:
    id: str
    name: str
    version: str
    author: str
    description: str
    languages: list[str]
    settings: dict
    all_languages_lists: list[str]
    vocabulary: list[str]
    contacts: list[str]
    rules: list[Rule]
    langs: dict[str, Language]
    messages: dict[str, dict[str, dict[str, str]]]   # ui lang -> rule -> {message, explanation}
    path: str
    disabled_rules: list[str] = field(default_factory=list)
    extends: str | None = None
    warnings: list = field(default_factory=list)   # Problems that did not refuse the pack
    overlays: list[str] = field(default_factory=list)   # team packs merged into this one (registry)

    def rule_ids(self) -> list[str]:
        seen: list[str] = []
        for r in self.rules:
            if r.id not in seen:
                seen.append(r.id)
        return seen

    def summary(self) -> dict:
        return {"id": self.id, "name": self.name, "version": self.version,
                "author": self.author, "description": self.description,
                "languages": self.languages, "rules": self.rule_ids(),
                "path": self.path, "extends": self.extends,
                "disabled_rules": list(self.disabled_rules), "overlays": list(self.overlays)}
