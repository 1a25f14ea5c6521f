"""Flask app factory."""
from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from .config import Config
from .services import Services, build_services

# Only the browser extension may call the API from another origin.
EXTENSION_ORIGINS = [r"^chrome-extension://[a-p]{32}$", r"^moz-extension://[0-9a-f-]{36}$"]


def create_app(config: Config | None = None, services: Services | None = None) -> Flask:
    config = config or Config()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["JSON_SORT_KEYS"] = False
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    services = services or build_services(config)
    app.extensions["replycoach"] = services

    from . import security
    from .api import check, errors, history, packs
    errors.register(app)
    security.install(app, config)
    app.register_blueprint(check.bp)
    app.register_blueprint(packs.bp)
    app.register_blueprint(history.bp)
    from .api import playground
    app.register_blueprint(playground.bp)
    CORS(app, origins=EXTENSION_ORIGINS, allow_headers=["Content-Type", "X-ReplyCoach-Token"],
         max_age=600)
    return app
