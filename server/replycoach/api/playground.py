"""The trainer playground: GET / (static page) and GET /api/v1/scenarios
(review + draft pairs built from the packs' own examples). The page checks
drafts with POST /api/v1/check, the same endpoint the extension uses."""
from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify, request, send_from_directory

from ..packs.testing import EXAMPLE_NOW

STATIC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "playground")
MAX_PER_LANGUAGE = 60

bp = Blueprint("playground", __name__, static_folder=STATIC, static_url_path="/playground")


@bp.get("/")
def index():
    response = send_from_directory(STATIC, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _title(ex, pack) -> str:
    title = ex.request.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    text = " ".join(ex.request["text"].split())
    return text if len(text) <= 60 else text[:57] + "..."


def build_scenarios(packset) -> list[dict]:
    """One scenario per example that comes with a review (the situation a
    trainer wants), then the good replies; a few draft-only examples too."""
    out: list[dict] = []
    for pack in packset.packs.values():
        for code, lang in pack.langs.items():
            with_review, without = [], []
            for ex in lang.examples:
                if ex.history:
                    continue   # needs earlier replies the playground does not have
                review = ex.request.get("review") if isinstance(ex.request.get("review"), dict) else None
                item = {
                    "id": f"{pack.id}/{code}/{os.path.basename(ex.file)}:{ex.line}",
                    "pack": pack.id, "language": code, "rule": ex.rule or None,
                    "expect": ex.expect, "title": _title(ex, pack),
                    "text": ex.request["text"],
                    "review": {k: review[k] for k in ("text", "rating", "rating_max", "author", "date", "language")
                               if k in review} if review else None,
                    "now": ex.now or EXAMPLE_NOW,
                    "source": f"{ex.file}:{ex.line}",
                }
                (with_review if review and review.get("text") else without).append(item)
            # Reviews first (fire, then clean), then draft-only examples that fire.
            with_review.sort(key=lambda s: {"fire": 0, "clean": 1, "pass": 2}[s["expect"]])
            chosen = with_review + [s for s in without if s["expect"] == "fire"]
            out.extend(chosen[:MAX_PER_LANGUAGE])
    return out


@bp.get("/api/v1/scenarios")
def scenarios():
    packset = current_app.extensions["replycoach"].registry.current
    items = build_scenarios(packset)
    lang = request.args.get("language")
    if lang:
        items = [s for s in items if s["language"] == lang]
    languages = sorted({s["language"] for s in items})
    return jsonify({"scenarios": items, "languages": languages})
