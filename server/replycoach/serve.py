"""Runs the app under waitress, the production WSGI server."""
from __future__ import annotations

import logging

from waitress import serve as waitress_serve

from .app import create_app
from .config import Config

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, config: Config | None = None, threads: int = 8):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = config or Config()
    app = create_app(config)
    logging.getLogger("replycoach").info("Reply Coach listening on http://%s:%d", host, port)
    # Waitress would otherwise buffer up to 1 GB before Flask's limit applies.
    waitress_serve(app, host=host, port=port, threads=threads, ident="replycoach",
                   max_request_body_size=config.max_body_bytes)
