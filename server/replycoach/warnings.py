"""Engine firings -> warnings with messages, spans and suggestions.
Offsets stay in code points here; the response converts them to UTF-16."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import langnames
from .engine import Firing
from .facts import Analysis, Facts
from .packs.model import Pack, Rule
from .request import CheckRequest
from .templates import fill

SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}


@dataclass
class Suggestion:
    kind: str        # replace | delete | insert
    start: int
    end: int
    text: str
    order: int = 0   # among insertions at one place


@dataclass
class Warning:
    rule: str
    pack: str
    severity: str
    message: str
    explanation: str
    sources: list[str]
    span: tuple[int, int] | None
    suggestions: list[Suggestion] = field(default_factory=list)
    data: dict = field(default_factory=dict)


def _message(pack: Pack, rule_id: str, ui: str) -> dict:
    for code in (ui, "en"):
        entry = pack.messages.get(code, {}).get(rule_id)
        if entry:
            return entry
    return {"message": rule_id, "explanation": ""}


def template_values(req: CheckRequest, a: Analysis, pack: Pack | None = None) -> dict:
    business = req.business or (pack.settings.get("business_name") if pack else None)
    return {"author": req.review.author, "business": business,
            "issue": None, "issue_action": None,
            "language": langnames.name(a.review_lang.code, a.lang.code or "en")
            if a.review_lang and a.review_lang.code else None}


def _insert(text: str, a: Analysis, at: str, greeting_end: int, sentence: str, order: int) -> Suggestion:
    if at == "end" or (at == "after-greeting" and greeting_end >= len(text.rstrip())):
        end = len(text.rstrip())
        sep = "" if end == 0 else ("\n" if "\n" in text[:end] else " ")
        return Suggestion("insert", end, end, sep + sentence, order)
    pos = greeting_end if at == "after-greeting" else 0
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos < len(text) and text[pos] == "\n":
        while pos < len(text) and text[pos] in "\n\r":
            pos += 1
        return Suggestion("insert", pos, pos, sentence + ("\n" if pos < len(text) else ""), order)
    if pos > 0 and text[:pos].rstrip().endswith(",") and not _keeps_capital(sentence):
        # "Hi Anna, thank you ..." continues the greeting's sentence.
        sentence = sentence[:1].lower() + sentence[1:]
    return Suggestion("insert", pos, pos, sentence + (" " if pos < len(text) else ""), order)


def _starts_sentence(text: str, pos: int, a: Analysis) -> bool:
    return any(sent.start == pos for sent in a.sents) or text[:pos].strip() == ""


def _match_case(original: str, repl: str, at_start: bool) -> str:
    """A replacement takes the case of what it replaces: capital at a
    sentence start, lower case inside a sentence ("Hi Anna, we are ...")."""
    if not repl or not original:
        return repl
    if at_start or (original[0].isupper() and not original.isupper()):
        return repl[:1].upper() + repl[1:]
    if original[0].islower() and repl[:1].isupper() and not _keeps_capital(repl):
        return repl[:1].lower() + repl[1:]
    return repl


def _keeps_capital(sentence: str) -> bool:
    first = sentence.split(" ", 1)[0]
    return first in ("I", "I'm", "I've", "I'd", "I'll") or first[1:2].isupper() or first.startswith(("{", "["))


def _delete_span(text: str, start: int, end: int) -> tuple[int, int]:
    # Swallow one neighbouring space so no double space is left behind.
    if end < len(text) and text[end] == " ":
        return start, end + 1
    if start > 0 and text[start - 1] == " ":
        return start - 1, end
    return start, end


def _suggestions(rule: Rule, pack: Pack, match, a: Analysis, facts: Facts, values: dict) -> list[Suggestion]:
    fix = rule.fix
    kind = fix.get("kind", "none")
    lang = pack.langs.get(a.lang.code or "")
    templates = lang.templates if lang else {}
    text = a.text
    if kind == "insert":
        tpl = templates.get(fix.get("template", ""))
        if not tpl:
            return []
        return [_insert(text, a, fix.get("at", "after-greeting"), facts.greeting_end.get(pack.id, 0),
                        fill(tpl, values), int(fix.get("order", 0)))]
    if match is None:
        return []
    if kind == "replace":
        options = []
        if match.replace is not None:
            options.append(fill(match.replace, values))
            options.extend(match.alternatives)
        elif fix.get("template") and templates.get(fix["template"]):
            options.append(fill(templates[fix["template"]], values))
        at_start = _starts_sentence(text, match.start, a)
        options = [_match_case(match.text, o, at_start) for o in options]
        end = match.end
        if options and options[0][-1:] in (".", "!", "?"):
            # A whole replacement sentence brings its own full stop.
            while end < len(text) and text[end] in ".!?…":
                end += 1
        return [Suggestion("replace", match.start, end, o) for o in options]
    if kind == "delete":
        s, e = _delete_span(text, match.start, match.end)
        return [Suggestion("delete", s, e, "")]
    if kind == "delete-sentence":
        for sent in a.sents:
            if sent.start <= match.start < sent.end or (match.start >= sent.end and sent is a.sents[-1]):
                e = sent.end
                while e < len(text) and text[e] in " \t":
                    e += 1
                return [Suggestion("delete", sent.start, e, "")]
        return []
    return []


def build(firings: list[Firing], ruleset_rules: dict, packs: dict[str, Pack], facts: Facts,
          a: Analysis, req: CheckRequest, disabled: set[str]) -> list[Warning]:
    values_by_pack = {pid: template_values(req, a, p) for pid, p in packs.items()}
    rules_by_key = {f"{p.id}/{r.id}#{r.clause}": r for p in packs.values() for r in p.rules}
    out: list[Warning] = []
    seen: set[tuple] = set()
    for f in firings:
        compiled = ruleset_rules.get(f.key)
        if compiled is None or compiled.pack not in packs:
            continue
        pack = packs[compiled.pack]
        if compiled.rule_id in disabled or f"{pack.id}/{compiled.rule_id}" in disabled:
            continue
        rule = rules_by_key.get(f.key)
        if rule is None:
            continue
        match = None
        if f.hit is not None:
            hit_pack, match = facts.matches[f.hit]
            if hit_pack != pack.id:
                continue
        span = (match.start, match.end) if match else None
        dedupe = (pack.id, rule.id, span)
        if dedupe in seen:
            continue
        seen.add(dedupe)
        msg = _message(pack, rule.id, req.ui_language)
        values = values_by_pack[pack.id]
        mvalues = dict(values)
        mvalues["language"] = (langnames.name(a.review_lang.code, req.ui_language)
                               if a.review_lang and a.review_lang.code else None)
        data = {}
        if match:
            mvalues["match"] = match.text
        if rule.id == "repeated-reply" and a.repeat:
            mvalues["count"] = a.repeat.count
            mvalues["earlier"] = a.repeat.earlier_text
            data = {"earlier": a.repeat.earlier_text, "count": a.repeat.count,
                    "similarity": round(a.repeat.similarity, 3)}
        if rule.id == "language-mismatch" and a.review_lang:
            data = {"review_language": a.review_lang.code, "draft_language": a.lang.code}
        suggestions = _suggestions(rule, pack, match, a, facts, values)
        if suggestions:
            mvalues["suggestion"] = suggestions[0].text
        out.append(Warning(rule.id, pack.id, rule.severity, fill(msg["message"], mvalues),
                           fill(msg.get("explanation", ""), mvalues), rule.sources, span,
                           suggestions, data))
    out.sort(key=lambda w: (w.span[0] if w.span else -1, SEVERITY_ORDER[w.severity], w.rule))
    return out
