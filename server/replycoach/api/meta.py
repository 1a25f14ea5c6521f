"""GET /api/v1/openapi.json: the OpenAPI description of this server's API."""
from __future__ import annotations

import os

from flask import Blueprint, send_from_directory

STATIC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static")

bp = Blueprint("meta", __name__)


@bp.get("/api/v1/openapi.json")
def openapi():
    response = send_from_directory(STATIC, "openapi.json", mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    return response
