"""GET /api/v1/packs: the packs in use and the problems of those refused."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("packs", __name__)


@bp.get("/api/v1/packs")
def list_packs():
    packset = current_app.extensions["replycoach"].registry.current
    packs = []
    for pack in packset.packs.values():
        info = pack.summary()
        info["enabled"] = True
        info["stale"] = pack.id in packset.stale
        info["errors"] = [p.to_dict() for p in packset.errors.get(pack.path, [])]
        packs.append(info)
    refused = [{"path": folder, "errors": [p.to_dict() for p in problems]}
               for folder, problems in packset.errors.items()
               if not any(p.path == folder for p in packset.packs.values())]
    return jsonify({"packs": packs, "refused": refused})
