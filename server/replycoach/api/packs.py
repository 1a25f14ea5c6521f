"""GET /api/v1/packs: the packs in use and the problems (file:line) of those
refused; POST /api/v1/packs/reload (token) reloads them now.

Registering this blueprint also makes the registry gate new and changed
packs on their own examples, and starts the pack watcher (hot reload) when
the config asks for it (`replycoach serve` does)."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, jsonify, send_from_directory

from ..packs.schema import KINDS, SCHEMA_DIR
from ..security import require_token

bp = Blueprint("packs", __name__)
log = logging.getLogger("replycoach.packs")


@bp.record_once
def _setup(state):
    services = state.app.extensions.get("replycoach")
    if services is None:
        return
    config = services.config
    if config.watch_packs:
        try:
            services.registry.attach_checker(services.checker)
        except Exception:   # a broken team pack must not stop the server
            log.exception("checking the packs' examples failed")
        services.registry.start_watching()


def packs_json(packset) -> dict:
    packs = []
    for pack in packset.packs.values():
        info = pack.summary()
        info["enabled"] = True
        info["stale"] = pack.id in packset.stale
        info["errors"] = [p.to_dict() for p in packset.errors.get(pack.path, [])]
        info["rule_count"] = len(info["rules"])
        packs.append(info)
    in_use = {p.path for p in packset.packs.values()}
    refused = [{"path": folder, "errors": [p.to_dict() for p in problems]}
               for folder, problems in packset.errors.items()
               if folder not in in_use and any(p.level == "error" for p in problems)]
    notes = [{"path": folder, "errors": [p.to_dict() for p in problems]}
             for folder, problems in packset.errors.items()
             if folder not in in_use and not any(p.level == "error" for p in problems)]
    return {"packs": packs, "refused": refused, "notes": notes,
            "generation": getattr(packset, "generation", 0)}


@bp.get("/api/v1/packs")
def list_packs():
    return jsonify(packs_json(current_app.extensions["replycoach"].registry.current))


@bp.post("/api/v1/packs/reload")
@require_token
def reload_packs():
    packset = current_app.extensions["replycoach"].registry.reload()
    return jsonify(packs_json(packset))


@bp.get("/schema/<kind>.schema.json")
def pack_schema(kind: str):
    """The pack-file JSON Schemas, for editors: `# yaml-language-server:
    $schema=http://127.0.0.1:8765/schema/rules.schema.json`."""
    if kind not in KINDS:
        abort(404)
    return send_from_directory(SCHEMA_DIR, f"{kind}.schema.json", mimetype="application/schema+json")
