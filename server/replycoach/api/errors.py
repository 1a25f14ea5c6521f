"""JSON errors: a clear 4xx naming the field, never a stack trace."""
from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

from ..request import RequestError


def error_response(status: int, code: str, message: str, field: str | None = None):
    body = {"error": {"code": code, "message": message}}
    if field:
        body["error"]["field"] = field
    return jsonify(body), status


def register(app):
    @app.errorhandler(RequestError)
    def _request_error(exc: RequestError):
        return error_response(exc.status, exc.code, exc.message, exc.field)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unexpected error")
        return error_response(500, "internal_error", "Reply Coach hit an internal error; your text was not changed.")
