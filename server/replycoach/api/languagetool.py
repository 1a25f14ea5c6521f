"""A LanguageTool-compatible API, so existing LanguageTool clients (editor
plug-ins, language_tool_python, ...) can use Reply Coach as their server:

  GET  /v2/languages
  GET|POST /v2/check   (form fields as LanguageTool's: text or data,
                        language, motherTongue, enabledRules, disabledRules,
                        enabledCategories, disabledCategories, enabledOnly)

Offsets and lengths count UTF-16 code units, as LanguageTool's do. `data` is
LanguageTool's annotated text ({"annotation": [{"text": ..}, {"markup": ..,
"interpretAs": ..}]}): only the text parts (and interpretAs) are checked,
and offsets point into the whole annotated string (text and markup), as
LanguageTool does. Errors are this server's JSON errors (400/413 with
{"error": {"code", "field", "message"}})."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify, request

from .. import __version__
from ..langnames import name as lang_name
from ..request import MAX_TEXT, RequestError, parse_check
from ..textutil import codepoint_offsets, sentences, utf16_offsets

bp = Blueprint("languagetool", __name__)

CONTEXT_CHARS = 40          # LanguageTool's context size on each side
MAX_FIELD = 10_000          # enabledRules & co.

# Regional variants LanguageTool clients send ("en-US", "ru-RU").
VARIANTS = {
    "en": [("en-US", "English (US)"), ("en-GB", "English (GB)"), ("en-AU", "English (Australian)"),
           ("en-CA", "English (Canadian)"), ("en-NZ", "English (New Zealand)"),
           ("en-ZA", "English (South African)")],
    "ru": [("ru-RU", "Russian")],
    "af": [("af-ZA", "Afrikaans")],
    "el": [("el-GR", "Greek")],
    "et": [("et-EE", "Estonian")],
}

# rule id -> (issueType, category id, category name). LanguageTool's issue
# types are the LocQI ones; clients colour misspellings, style and the rest.
RULE_TYPES = {
    "spelling": ("misspelling", "TYPOS", "Possible Typo"),
    "punctuation": ("typographical", "PUNCTUATION", "Punctuation"),
    "shouting": ("typographical", "CASING", "Capitalization"),
    "jargon": ("terminology", "TERMINOLOGY", "Plain words"),
    "language-mismatch": ("locale-violation", "LANGUAGE", "Reply language"),
    "private-data": ("legal", "PRIVACY", "Private data"),
    "repeated-reply": ("duplication", "REPLY_GUIDELINES", "Review reply guidelines"),
    "profanity": ("register", "TONE", "Tone"),
    "personal-attack": ("register", "TONE", "Tone"),
    "blame-customer": ("register", "TONE", "Tone"),
    "evasive": ("style", "TONE", "Tone"),
    "missing-apology": ("omission", "REPLY_GUIDELINES", "Review reply guidelines"),
    "missing-thanks": ("omission", "REPLY_GUIDELINES", "Review reply guidelines"),
    "no-next-step": ("omission", "REPLY_GUIDELINES", "Review reply guidelines"),
}
DEFAULT_TYPE = ("style", "REPLY_GUIDELINES", "Review reply guidelines")
_LANG_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")


def lt_rule_id(rule: str) -> str:
    """Our "canned-phrase" is LanguageTool-style "CANNED_PHRASE"."""
    return rule.upper().replace("-", "_")


def our_rule_id(value: str) -> str:
    return value.strip().lower().replace("_", "-")


def rule_type(rule: str, pack) -> tuple[str, str, str]:
    if rule in RULE_TYPES:
        return RULE_TYPES[rule]
    if pack is not None and pack.id != "reply-guidelines":
        # Team pack rules: one category per pack.
        return ("style", lt_rule_id(pack.id), getattr(pack, "name", None) or pack.id)
    return DEFAULT_TYPE


def _services():
    return current_app.extensions["replycoach"]


def _pack_languages() -> list[str]:
    out: list[str] = []
    for pack in _services().registry.current.packs.values():
        for code in pack.languages:
            if code not in out:
                out.append(code)
    return out


def languages_json() -> list[dict]:
    out = []
    for code in _pack_languages():
        out.append({"name": lang_name(code, "en"), "code": code, "longCode": code})
        for long_code, long_name in VARIANTS.get(code, []):
            out.append({"name": long_name, "code": code, "longCode": long_code})
    return out


def _long_name(tag: str) -> str:
    if tag == "zz":
        return "Unknown language"
    base = tag.split("-")[0].lower()
    for long_code, long_name in VARIANTS.get(base, []):
        if long_code.lower() == tag.lower():
            return long_name
    return lang_name(base, "en")


@bp.get("/v2/languages")
def languages():
    return jsonify(languages_json())


# --- the request -----------------------------------------------------------

def _field(name: str, max_len: int | None = None) -> str | None:
    values = request.values.getlist(name)
    if not values:
        return None
    value = values[-1]
    if max_len is not None and len(value) > max_len:
        raise RequestError(name, "too_long", f"'{name}' is longer than {max_len:,} characters", 413)
    return value


def _list_field(name: str) -> list[str]:
    value = _field(name, MAX_FIELD)
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _language(name: str, allow_auto: bool) -> tuple[str | None, str | None]:
    """(our code or None for auto, the tag as the client sent it)."""
    value = _field(name, 64)
    if value is None or not value.strip():
        return None, None
    value = value.strip()
    if allow_auto and value.lower() in ("auto", "auto-detect"):
        return None, "auto"
    m = _LANG_TAG.match(value)
    if not m:
        raise RequestError(name, "bad_language", f"'{name}' must be a language code like 'en-US' or 'auto'")
    code = m.group(1).lower()
    if name == "language" and code not in _pack_languages():
        raise RequestError(name, "unsupported_language",
                           f"'{value}' is not a language Reply Coach supports "
                           f"({', '.join(_pack_languages())} or auto)")
    return code, value


@dataclass
class Source:
    """The string the client sent (text, or the annotated text joined), the
    part that is checked, and where each checked character came from."""
    original: str
    checked: str
    starts: list[int]   # checked code point i comes from original[starts[i]:ends[i]]
    ends: list[int]

    @classmethod
    def plain(cls, text: str) -> "Source":
        return cls(text, text, list(range(len(text))), list(range(1, len(text) + 1)))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original code-point range of the checked range [start, end)."""
        if end > start:
            return self.starts[start], self.ends[end - 1]
        at = self.starts[start] if start < len(self.starts) else len(self.original)
        return at, at


def _annotated(raw: str) -> Source:
    try:
        data = json.loads(raw)
    except ValueError:
        raise RequestError("data", "bad_json", "'data' must be JSON like {\"annotation\": [{\"text\": \"...\"}]}") from None
    parts = data.get("annotation") if isinstance(data, dict) else None
    if not isinstance(parts, list):
        raise RequestError("data", "wrong_type", "'data' must be an object with an 'annotation' list")
    original: list[str] = []
    checked: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for i, part in enumerate(parts):
        if not isinstance(part, dict):
            raise RequestError("data", "wrong_type", f"'data.annotation[{i}]' must be an object")
        text, markup = part.get("text"), part.get("markup")
        if text is not None:
            if not isinstance(text, str) or markup is not None:
                raise RequestError("data", "wrong_type",
                                   f"'data.annotation[{i}]' must have a 'text' string or a 'markup' string")
            original.append(text)
            checked.append(text)
            starts.extend(range(pos, pos + len(text)))
            ends.extend(range(pos + 1, pos + len(text) + 1))
            pos += len(text)
        elif isinstance(markup, str):
            interpret = part.get("interpretAs")
            if interpret is not None and not isinstance(interpret, str):
                raise RequestError("data", "wrong_type", f"'data.annotation[{i}].interpretAs' must be a string")
            original.append(markup)
            if interpret:
                # Checked as if it were this text; it maps to the whole markup.
                checked.append(interpret)
                starts.extend([pos] * len(interpret))
                ends.extend([pos + len(markup)] * len(interpret))
            pos += len(markup)
        else:
            raise RequestError("data", "wrong_type",
                               f"'data.annotation[{i}]' must have a 'text' string or a 'markup' string")
    return Source("".join(original), "".join(checked), starts, ends)


def _source() -> tuple[Source, str]:
    text = _field("text")
    data = _field("data")
    if text is not None:
        return Source.plain(text), "text"
    if data is not None:
        src = _annotated(data)
        return src, "data"
    raise RequestError("text", "missing_field", "send 'text' or 'data' (LanguageTool's annotated text)")


# --- the response ----------------------------------------------------------

def _region(text: str, warning: dict, to_cp) -> tuple[int, int]:
    """The code-point range a LanguageTool match covers: the warning's span
    and its suggestions' ranges; for a warning about the whole draft, the
    sentence where its fix goes (or the first sentence)."""
    ranges = [(to_cp(s["start"]), to_cp(s["end"])) for s in warning["suggestions"]]
    ranges = [(s, e) for s, e in ranges if s is not None and e is not None]
    span = warning.get("span")
    if span:
        s, e = to_cp(span["start"]), to_cp(span["end"])
        if s is not None and e is not None:
            ranges.append((s, e))
    if not span:
        sents = sentences(text) or []
        at = ranges[0][0] if ranges else 0
        chosen = None
        for sent in sents:
            if sent.start <= at <= sent.end:
                chosen = sent
                break
        if chosen is None and sents:
            chosen = sents[-1] if at >= sents[-1].end else sents[0]
        if chosen is not None:
            ranges.append((chosen.start, chosen.end))
    if not ranges:
        return 0, len(text)
    start = min(s for s, _ in ranges)
    end = max(e for _, e in ranges)
    if end == start and text:
        # An insertion with nothing around it: cover the next (or previous) character.
        if end < len(text):
            end += 1
        else:
            start -= 1
    return max(0, start), min(len(text), end)


def _replacements(text: str, start: int, end: int, warning: dict, to_cp) -> list[dict]:
    out, seen = [], set()
    for s in warning["suggestions"]:
        ss, se = to_cp(s["start"]), to_cp(s["end"])
        if ss is None or se is None or not (start <= ss <= se <= end):
            continue
        if s["kind"] == "insert":
            se = ss
        value = text[start:ss] + s["text"] + text[se:end]
        if value not in seen:
            seen.add(value)
            out.append({"value": value})
    return out


def _context(original: str, start: int, end: int) -> dict:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(original), end + CONTEXT_CHARS)
    prefix = "..." if left > 0 else ""
    suffix = "..." if right < len(original) else ""
    ctx = prefix + original[left:right] + suffix
    u16 = utf16_offsets(ctx)
    off = len(prefix) + start - left
    return {"text": ctx, "offset": u16(off), "length": u16(off + end - start) - u16(off)}


def _sentence(text: str, start: int) -> str:
    for sent in sentences(text):
        if sent.start <= start < max(sent.end, sent.start + 1):
            return text[sent.start:sent.end]
    return text.strip()


def build_matches(src: Source, result: dict, packs: dict) -> list[dict]:
    text = src.checked
    to_cp = codepoint_offsets(text)
    to_u16 = utf16_offsets(src.original)
    matches = []
    for w in result["warnings"]:
        start, end = _region(text, w, to_cp)
        o_start, o_end = src.span(start, end)
        issue, cat_id, cat_name = rule_type(w["rule"], packs.get(w["pack"]))
        short = "Spelling mistake" if w["rule"] == "spelling" else ""
        matches.append({
            "message": w["message"],
            "shortMessage": short,
            "replacements": _replacements(text, start, end, w, to_cp),
            "offset": to_u16(o_start),
            "length": to_u16(o_end) - to_u16(o_start),
            "context": _context(src.original, o_start, o_end),
            "sentence": _sentence(text, start),
            "type": {"typeName": "UnknownWord" if w["rule"] == "spelling" else "Other"},
            "rule": {
                "id": lt_rule_id(w["rule"]),
                "description": w["explanation"] or w["message"],
                "issueType": issue,
                "category": {"id": cat_id, "name": cat_name},
                "sourceFile": w["pack"],
            },
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
            "replyCoach": {"rule": w["rule"], "pack": w["pack"], "severity": w["severity"],
                           "sources": w.get("sources", [])},
        })
    matches.sort(key=lambda m: (m["offset"], m["length"]))
    return matches


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


@bp.route("/v2/check", methods=["GET", "POST"])
def check():
    src, field = _source()
    if len(src.checked) > MAX_TEXT:
        raise RequestError(field, "too_long", f"'{field}' is longer than {MAX_TEXT:,} characters", 413)
    code, tag = _language("language", allow_auto=True)
    mother, _ = _language("motherTongue", allow_auto=False)
    disabled = [our_rule_id(r) for r in _list_field("disabledRules")]
    enabled = {our_rule_id(r) for r in _list_field("enabledRules")}
    disabled_cats = {c.upper() for c in _list_field("disabledCategories")}
    enabled_cats = {c.upper() for c in _list_field("enabledCategories")}
    enabled_only = _truthy(_field("enabledOnly", 16))
    if enabled_only and not enabled and not enabled_cats:
        raise RequestError("enabledOnly", "bad_value", "'enabledOnly' needs 'enabledRules' or 'enabledCategories'")
    body = {"text": src.checked, "language": code or "auto", "disabled_rules": disabled[:500],
            "ui_language": mother if mother else "en"}
    req = parse_check(body)
    services = _services()
    result = services.checker.check(req)
    packs = services.registry.current.packs
    matches = build_matches(src, result, packs)
    if disabled_cats:
        matches = [m for m in matches if m["rule"]["category"]["id"] not in disabled_cats]
    if enabled_only:
        matches = [m for m in matches
                   if our_rule_id(m["rule"]["id"]) in enabled or m["rule"]["category"]["id"] in enabled_cats]
    lang = result["language"]
    detected = lang.get("code") or "zz"      # LanguageTool's code for "no language"
    shown = tag if tag and tag != "auto" else detected
    return jsonify({
        "software": {"name": "Reply Coach (LanguageTool-compatible API)", "version": __version__,
                     "buildDate": None, "apiVersion": 1, "premium": False, "status": ""},
        "warnings": {"incompleteResults": False},
        "language": {
            "name": _long_name(shown), "code": shown,
            "detectedLanguage": {"name": _long_name(detected), "code": detected,
                                 "confidence": lang.get("confidence", 0.0),
                                 "source": lang.get("source")},
        },
        "matches": matches,
    })
