"""The local history of sent replies (for repeated-reply). Off until the
user turns it on; every endpoint needs the token (the texts are private)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..request import MAX_TEXT, RequestError
from ..security import require_token
from .check import json_body

bp = Blueprint("history", __name__)


def _history():
    history = current_app.extensions["replycoach"].history
    if history is None:
        raise RequestError("history", "history_unavailable", "the history store is switched off in this server", 404)
    return history


def _state(history) -> dict:
    return {"enabled": history.enabled, "retention_days": history.retention_days}


@bp.get("/api/v1/history")
@require_token
def list_history():
    history = _history()
    try:
        limit = int(request.args.get("limit", 50))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        raise RequestError("limit", "wrong_type", "'limit' and 'offset' must be whole numbers") from None
    if not (1 <= limit <= 1000) or offset < 0:
        raise RequestError("limit", "bad_value", "'limit' must be 1..1000 and 'offset' not negative")
    return jsonify({**_state(history), "items": history.list(limit=limit, offset=offset)})


@bp.post("/api/v1/history")
@require_token
def record():
    history = _history()
    body = json_body()
    if not isinstance(body, dict):
        raise RequestError("body", "wrong_type", "the request body must be a JSON object")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RequestError("text", "missing_field", "'text' (the reply you sent) is required")
    if len(text) > MAX_TEXT:
        raise RequestError("text", "too_long", f"'text' is longer than {MAX_TEXT:,} characters", 413)
    fields = {}
    for key in ("language", "site", "author"):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise RequestError(key, "wrong_type", f"'{key}' must be a string")
        fields[key] = (value or "")[:200]
    rid = history.record(text, lang=fields["language"], site=fields["site"], author=fields["author"])
    if rid is None:
        return jsonify({"recorded": False, "reason": "history is off", **_state(history)})
    return jsonify({"recorded": True, "id": rid, **_state(history)}), 201


@bp.put("/api/v1/history/settings")
@require_token
def settings():
    history = _history()
    body = json_body()
    if not isinstance(body, dict):
        raise RequestError("body", "wrong_type", "the request body must be a JSON object")
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise RequestError("enabled", "wrong_type", "'enabled' must be true or false")
        history.set_enabled(body["enabled"])
    if "retention_days" in body:
        days = body["retention_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not (1 <= days <= 3650):
            raise RequestError("retention_days", "bad_value", "'retention_days' must be a whole number from 1 to 3650")
        history.set_retention_days(days)
    return jsonify(_state(history))


@bp.delete("/api/v1/history")
@require_token
def purge():
    return jsonify({"deleted": _history().purge()})


@bp.delete("/api/v1/history/<int:rid>")
@require_token
def delete(rid: int):
    if rid > 2**63 - 1 or not _history().delete(rid):  # beyond SQLite's integers: no such row
        raise RequestError("id", "not_found", f"no stored reply with id {rid}", 404)
    return jsonify({"deleted": 1})
