"""The `when`/`where` condition language of rule packs, compiled to
durable-rules JSON expressions. Settings (`$name`) are resolved at compile
time, so a changed setting means a new ruleset."""
from __future__ import annotations

import re

# Context fields a rule may test (docs/pack-format.md), besides n_<list>.
CTX_FIELDS = {
    "lang": str, "lang_supported": bool, "chars": int, "words": int, "sentences": int,
    "review_known": bool, "review_text_known": bool, "review_rating": float,
    "review_text_negative": bool, "review_negative": bool, "review_detailed": bool,
    "review_overlap": int, "review_age_hours": float, "review_lang": str,
    "lang_mismatch": bool, "author_known": bool, "repeat_similarity": float,
    "repeat_count": int,
}
HIT_FIELDS = {"list": str, "text": str, "sentence": int, "start": int, "end": int}

_OPS = {"eq": None, "ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
_COUNT = re.compile(r"^n_[a-z][a-z0-9_]*$")


class ConditionError(ValueError):
    def __init__(self, message: str, key=None):
        super().__init__(message)
        self.key = key


def _type_ok(value, typ) -> bool:
    if typ is bool:
        return isinstance(value, bool)
    if typ in (int, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str)


def _resolve(value, settings: dict, field: str):
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name not in settings:
            raise ConditionError(f"unknown setting {value!r}", field)
        return settings[name]
    return value


def _field_type(field: str, fields: dict):
    if field in fields:
        return fields[field]
    if fields is CTX_FIELDS and _COUNT.match(field):
        return int
    raise ConditionError(f"unknown field {field!r}", field)


def _one(field: str, spec, settings: dict, fields: dict) -> dict:
    typ = _field_type(field, fields)
    if isinstance(spec, dict):
        if len(spec) != 1:
            raise ConditionError(f"{field}: give exactly one operator", field)
        (op, value), = spec.items()
        if op == "in":
            if not isinstance(value, list) or not value:
                raise ConditionError(f"{field}: 'in' takes a non-empty list", field)
            return {"$or": [_one(field, v, settings, fields) for v in value]}
        if op not in _OPS:
            raise ConditionError(f"{field}: unknown operator {op!r}", field)
    else:
        op, value = "eq", spec
    value = _resolve(value, settings, field)
    if not _type_ok(value, typ):
        raise ConditionError(f"{field}: expected {typ.__name__}, got {value!r}", field)
    if op in ("lt", "lte", "gt", "gte") and typ not in (int, float):
        raise ConditionError(f"{field}: {op} needs a number field", field)
    return {field: value} if op == "eq" else {_OPS[op]: {field: value}}


def compile_conditions(when, settings: dict, fields: dict = CTX_FIELDS) -> list[dict]:
    """A mapping (all must hold; `any:` takes a list of mappings) -> list of
    durable-rules terms to be AND-ed."""
    if when is None:
        return []
    if not isinstance(when, dict):
        raise ConditionError("conditions must be a mapping")
    terms: list[dict] = []
    for key, spec in when.items():
        if key == "any":
            if not isinstance(spec, list) or not spec:
                raise ConditionError("'any' takes a non-empty list of mappings", key)
            alts = []
            for alt in spec:
                sub = compile_conditions(alt, settings, fields)
                if not sub:
                    raise ConditionError("an 'any' alternative is empty", key)
                alts.append(sub[0] if len(sub) == 1 else {"$and": sub})
            terms.append({"$or": alts})
        else:
            terms.append(_one(str(key), spec, settings, fields))
    return terms
