"""POST /api/v1/check and GET /api/v1/health."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from .. import __version__
from ..request import RequestError, parse_check

bp = Blueprint("check", __name__)


def json_body():
    """The request's JSON object, or a 400 that says what is wrong with it."""
    if not request.is_json:
        raise RequestError("body", "bad_content_type", "send JSON with Content-Type: application/json", 415)
    data = request.get_json(silent=True)
    if data is None:
        raise RequestError("body", "bad_json", "the request body is not valid JSON")
    return data


@bp.post("/api/v1/check")
def check():
    req = parse_check(json_body())
    return jsonify(current_app.extensions["replycoach"].checker.check(req))


@bp.get("/api/v1/health")
def health():
    services = current_app.extensions["replycoach"]
    packset = services.registry.current
    return jsonify({"status": "ok", "version": __version__,
                    "packs": [{"id": p.id, "version": p.version} for p in packset.packs.values()],
                    "pack_errors": sum(len(v) for v in packset.errors.values())})
