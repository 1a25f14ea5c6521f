"""Writes the JSON Schemas of pack files (run: python -m replycoach.packs.schema_gen).
The condition field names come from conditions.py, so regenerate after adding one."""
import json
import os
from ..conditions import CTX_FIELDS, HIT_FIELDS
BASE = "https://replycoach.local/schema/"
ID = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
LIST = "^[a-z][a-z0-9_]*$"
LANG = "^[a-z]{2,3}$"
strs = {"type": "array", "items": {"type": "string"}}
TYPES = {str: "string", bool: "boolean", int: "number", float: "number"}
DESC = {
 "lang": "draft language code", "lang_supported": "the pack has lang/<lang>.yaml",
 "chars": "characters in the draft", "words": "words in the draft", "sentences": "sentences in the draft",
 "review_known": "any review field was given", "review_text_known": "review text was given",
 "review_rating": "rating scaled to 1..5, -1 when unknown", "review_text_negative": "review text reads as a complaint",
 "review_negative": "rating <= 2 of 5, or text negative", "review_detailed": "review has 25+ words",
 "review_overlap": "content words of the review found in the draft", "review_age_hours": "hours since the review, -1 unknown",
 "review_lang": "review language code", "lang_mismatch": "review and draft languages differ",
 "author_known": "the reviewer's name is known", "repeat_similarity": "0..1 similarity to the closest earlier reply",
 "repeat_count": "earlier replies that similar",
}
def cond(typ):
    scalar = {"anyOf": [{"type": TYPES[typ]}, {"type": "string", "pattern": "^\\$[a-z_][a-z0-9_]*$"}]}
    return {"anyOf": [scalar, {"type": "object", "minProperties": 1, "maxProperties": 1,
        "properties": {**{op: scalar for op in ("eq", "ne", "lt", "lte", "gt", "gte")},
                       "in": {"type": "array", "minItems": 1, "items": scalar}},
        "additionalProperties": False}]}
def conditions(fields, name, any_ok=True):
    props = {k: {**cond(t), "description": DESC.get(k, k)} for k, t in fields.items()}
    names = {"anyOf": [{"enum": list(fields) + (["any"] if any_ok else [])}]}
    pattern = {}
    if fields is CTX_FIELDS:
        names["anyOf"].append({"pattern": "^n_[a-z][a-z0-9_]*$"})
        pattern = {"^n_[a-z][a-z0-9_]*$": {**cond(int), "description": "number of hits of a list or detector"}}
    if any_ok:
        props["any"] = {"type": "array", "minItems": 1, "items": {"$ref": f"#/$defs/{name}"},
                        "description": "at least one of these mappings holds"}
    return {"type": "object", "propertyNames": names, "properties": props, "patternProperties": pattern}

pack = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + "pack.schema.json",
 "title": "Reply Coach pack.yaml", "type": "object", "required": ["id", "version"],
 "additionalProperties": False,
 "properties": {
  "id": {"type": "string", "pattern": ID, "description": "lower-case letters, digits and dashes"},
  "name": {"type": "string"}, "version": {"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?$", "description": "semantic version, e.g. 1.2.0"},
  "author": {"type": "string"}, "description": {"type": "string"},
  "languages": {"type": "array", "items": {"type": "string", "pattern": LANG}, "description": "draft languages with a lang/<code>.yaml"},
  "settings": {"type": "object", "propertyNames": {"pattern": "^[a-z_][a-z0-9_]*$"},
               "additionalProperties": {"type": ["number", "string", "boolean", "array"]},
               "description": "values rules refer to as $name; a team pack's settings override the base pack's"},
  "all_languages_lists": {"type": "array", "items": {"type": "string", "pattern": LIST}},
  "vocabulary": {**strs, "description": "words spelling accepts in every language (brand names)"},
  "contacts": {**strs, "description": "the business's own e-mails and phones: never private data"},
  "extends": {"type": "string", "pattern": ID, "description": "team pack: the id of the pack this one layers onto"},
  "disabled_rules": {"type": "array", "items": {"type": "string", "pattern": "^([a-z][a-z0-9]*(-[a-z0-9]+)*/)?[a-z][a-z0-9]*(-[a-z0-9]+)*$"},
                     "description": "rule ids of the base pack to switch off"},
 }}
rule = {"type": "object", "required": ["id", "severity"], "additionalProperties": False,
 "properties": {
  "id": {"type": "string", "pattern": ID},
  "severity": {"enum": ["error", "warning", "suggestion"]},
  "sources": {**strs, "description": "the guidelines this rule comes from"},
  "for_each": {"type": "string", "pattern": LIST, "description": "fire once per hit of this list or detector"},
  "when": {"$ref": "#/$defs/when"}, "where": {"$ref": "#/$defs/where"},
  "fix": {"type": "object", "properties": {
      "kind": {"enum": ["replace", "delete", "delete-sentence", "insert", "none"]},
      "template": {"type": "string"}, "at": {"enum": ["start", "after-greeting", "end"]},
      "order": {"type": "integer"}}},
 }}
rules = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + "rules.schema.json",
 "title": "Reply Coach rules.yaml", "type": "object", "required": ["rules"], "additionalProperties": False,
 "properties": {"rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}}},
 "$defs": {"rule": rule, "when": conditions(CTX_FIELDS, "when"), "where": conditions(HIT_FIELDS, "where")}}
review = {"type": "object", "additionalProperties": False, "properties": {
  "text": {"type": "string"}, "rating": {"type": "number"}, "rating_max": {"type": "number"},
  "author": {"type": "string"}, "date": {"type": "string"}, "language": {"type": "string", "pattern": LANG}}}
example = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "object", "required": ["text"], "additionalProperties": False,
  "properties": {"text": {"type": "string"}, "review": review, "language": {"type": "string"},
    "now": {"type": "string"}, "history": strs, "site": {"type": "string"}, "business": {"type": "string"},
    "ui_language": {"type": "string"}, "disabled_rules": strs, "packs": strs, "title": {"type": "string"}}}]}
entry = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "object", "required": ["p"], "additionalProperties": False,
  "properties": {"p": {"type": "string", "minLength": 1}, "replace": {"type": "string"}}}]}
lang = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + "lang.schema.json",
 "title": "Reply Coach lang/<code>.yaml", "type": "object", "additionalProperties": False,
 "properties": {
  "lists": {"type": "object", "propertyNames": {"pattern": LIST}, "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
            "description": "phrase lists; a team pack's entries are added to the base pack's list of the same name"},
  "templates": {"type": "object", "additionalProperties": {"type": "string"}},
  "examples": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": {
      "type": "object", "additionalProperties": False,
      "properties": {"fire": {"type": "array", "items": {"$ref": "#/$defs/example"}},
                     "pass": {"type": "array", "items": {"$ref": "#/$defs/example"}}}}},
  "good_replies": {"type": "array", "items": {"$ref": "#/$defs/example"}},
 }, "$defs": {"entry": entry, "example": example}}
messages = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + "messages.schema.json",
 "title": "Reply Coach messages/<ui-lang>.yaml", "type": "object", "propertyNames": {"pattern": ID},
 "additionalProperties": {"type": "object", "required": ["message"], "additionalProperties": False,
   "properties": {"message": {"type": "string"}, "explanation": {"type": "string"}}}}
SCHEMAS = {"pack": pack, "rules": rules, "lang": lang, "messages": messages}

if __name__ == "__main__":
    for name, s in SCHEMAS.items():
        with open(os.path.join(os.path.dirname(__file__), "schema", f"{name}.schema.json"), "w", encoding="utf-8") as fh:
            json.dump(s, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
