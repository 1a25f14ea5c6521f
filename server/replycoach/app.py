"""Flask app factory."""
from __future__ import annotations

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask_cors import CORS

from .config import Config
from .services import Services, build_services

# Only the browser extension may call the API from another origin: Chromium
# extension ids are 32 letters a-p, Firefox's moz-extension hosts are UUIDs.
# Never a wildcard (a web page must not read what the server says).
EXTENSION_ORIGINS = [r"^chrome-extension://[a-p]{32}$", r"^moz-extension://[0-9a-f-]{36}$"]


class JSONProvider(DefaultJSONProvider):
    """UTF-8 JSON in key order. JavaScript strings may hold an unpaired
    surrogate (half an emoji) and JSON.stringify sends it as "\\ud83d"; such
    text is checked like any other and answered with \\u escapes, since
    UTF-8 cannot encode it (instead of a 500)."""
    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj, **kwargs):
        out = super().dumps(obj, **kwargs)
        try:
            out.encode("utf-8")
        except UnicodeEncodeError:
            kwargs["ensure_ascii"] = True
            out = super().dumps(obj, **kwargs)
        return out


def create_app(config: Config | None = None, services: Services | None = None) -> Flask:
    config = config or Config()
    app = Flask(__name__)
    app.json = JSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["JSON_SORT_KEYS"] = False
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
    from .api import languagetool, meta
    app.register_blueprint(languagetool.bp)
    app.register_blueprint(meta.bp)
    CORS(app, origins=EXTENSION_ORIGINS, allow_headers=["Content-Type", "X-ReplyCoach-Token"],
         max_age=600, vary_header=True)
    return app
