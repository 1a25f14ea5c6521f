"""Validation of a check request (design/API.md) into a `CheckRequest`.
Every problem names the field at fault; nothing is silently changed."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

MAX_TEXT = 20_000
MAX_REVIEW_TEXT = 50_000
_LANG = re.compile(r"^[a-z]{2,3}$")


class RequestError(ValueError):
    def __init__(self, field: str, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.field, self.code, self.message, self.status = field, code, message, status

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "field": self.field, "message": self.message}}


@dataclass(frozen=True)
class Review:
    text: str | None = None
    rating: float | None = None
    rating_max: float = 5
    author: str | None = None
    date: datetime | None = None
    language: str | None = None

    @property
    def known(self) -> bool:
        return any(v is not None for v in (self.text, self.rating, self.author, self.date, self.language))

    @property
    def rating5(self) -> float | None:
        """Rating on a 1..5 scale."""
        if self.rating is None:
            return None
        return 1 + (self.rating - 1) * 4 / (self.rating_max - 1) if self.rating_max > 1 else self.rating


@dataclass(frozen=True)
class CheckRequest:
    text: str
    language: str | None = None          # None = auto
    review: Review = field(default_factory=Review)
    site: str | None = None
    packs: tuple[str, ...] | None = None
    disabled_rules: tuple[str, ...] = ()
    ui_language: str = "en"
    business: str | None = None
    now: datetime | None = None          # for examples and tests; default: the clock


def _str(body: dict, key: str, prefix: str = "", max_len: int | None = None, allow_none=True):
    value = body.get(key)
    name = prefix + key
    if value is None:
        if not allow_none:
            raise RequestError(name, "missing_field", f"'{name}' is required")
        return None
    if not isinstance(value, str):
        raise RequestError(name, "wrong_type", f"'{name}' must be a string")
    if max_len is not None and len(value) > max_len:
        raise RequestError(name, "too_long", f"'{name}' is longer than {max_len:,} characters", 413)
    return value


def _lang(body: dict, key: str, prefix: str = "", allow_auto=True):
    value = _str(body, key, prefix)
    if value is None or (allow_auto and value == "auto"):
        return None
    if not _LANG.match(value.lower()):
        raise RequestError(prefix + key, "bad_language", f"'{prefix + key}' must be a language code like 'en' or 'auto'")
    return value.lower()


def _number(body: dict, key: str, prefix: str):
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(prefix + key, "wrong_type", f"'{prefix + key}' must be a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise RequestError(prefix + key, "bad_value", f"'{prefix + key}' must be a finite number")
    return float(value)


def parse_date(value: str, name: str) -> datetime:
    try:
        d = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RequestError(name, "bad_date", f"'{name}' must be an ISO 8601 date like 2026-11-20T10:00:00Z") from None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def _review(body) -> Review:
    if body is None:
        return Review()
    if not isinstance(body, dict):
        raise RequestError("review", "wrong_type", "'review' must be an object")
    p = "review."
    text = _str(body, "text", p, MAX_REVIEW_TEXT)
    rating = _number(body, "rating", p)
    rating_max = _number(body, "rating_max", p)
    if rating_max is None:
        rating_max = 5.0
    if rating_max <= 0 or rating_max > 100:
        raise RequestError("review.rating_max", "bad_value", "'review.rating_max' must be between 1 and 100")
    if rating is not None and not (0 <= rating <= rating_max):
        raise RequestError("review.rating", "bad_value", f"'review.rating' must be between 0 and {rating_max:g}")
    author = _str(body, "author", p, 200)
    date_s = _str(body, "date", p, 64)
    date = parse_date(date_s, "review.date") if date_s else None
    return Review(text, rating, rating_max, author.strip() if author else None, date, _lang(body, "language", p))


def _str_list(body: dict, key: str):
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequestError(key, "wrong_type", f"'{key}' must be a list of strings")
    if len(value) > 500:
        raise RequestError(key, "too_long", f"'{key}' has more than 500 entries")
    return tuple(value)


def parse_check(body) -> CheckRequest:
    if not isinstance(body, dict):
        raise RequestError("body", "wrong_type", "the request body must be a JSON object")
    text = _str(body, "text", max_len=MAX_TEXT, allow_none=False)
    ui = _lang(body, "ui_language", allow_auto=False) or "en"
    now_s = _str(body, "now", max_len=64)
    return CheckRequest(
        text=text, language=_lang(body, "language"), review=_review(body.get("review")),
        site=_str(body, "site", max_len=500), packs=_str_list(body, "packs"),
        disabled_rules=_str_list(body, "disabled_rules") or (), ui_language=ui,
        business=_str(body, "business", max_len=200),
        now=parse_date(now_s, "now") if now_s else None)
