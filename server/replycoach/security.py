"""Local-server safety: the token, the Host-header check against DNS
rebinding, and the decorator for endpoints that change state."""
from __future__ import annotations

import hmac
import os
import secrets
from functools import wraps

from flask import current_app, request

from .api.errors import error_response

TOKEN_HEADER = "X-ReplyCoach-Token"
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def load_or_create_token(path: str) -> str:
    """A random token made at first run, readable by the user only."""
    try:
        with open(path, encoding="utf-8") as fh:
            token = fh.read().strip()
        if len(token) >= 32:
            return token
    except FileNotFoundError:
        pass
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token


def _host_name(host: str) -> str:
    """The name part of a Host header: "localhost:8765" -> "localhost",
    "[::1]:8765" -> "[::1]"; a fully qualified "localhost." counts as "localhost"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name[:-1] if name.endswith(".") and name != "." else name


def host_allowed(host: str) -> bool:
    return _host_name(host) in LOOPBACK_HOSTS


def token_ok() -> bool:
    expected = current_app.extensions["replycoach"].token
    given = request.headers.get(TOKEN_HEADER, "")
    if not given:
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def require_token(view):
    """For endpoints that change state (packs, history, settings)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not token_ok():
            return error_response(401, "token_required",
                                  f"this endpoint changes state: send the {TOKEN_HEADER} header "
                                  "(the token is in the extension options, or in ~/.replycoach/token)",
                                  TOKEN_HEADER)
        return view(*args, **kwargs)
    return wrapped


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",   # JSON is never sniffed into HTML
    "X-Frame-Options": "SAMEORIGIN",       # no framing by other sites (clickjacking)
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",           # drafts and reviews are private
}


def install(app, config):
    from werkzeug.exceptions import RequestEntityTooLarge

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc):
        # Bodies over max_body_bytes are refused before they are parsed.
        return error_response(413, "body_too_large",
                              f"the request body is larger than {config.max_body_bytes:,} bytes", "body")

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            if name == "Cache-Control" and response.headers.get(name):
                continue    # the playground sets its own
            response.headers.setdefault(name, value)
        return response

    @app.before_request
    def _check_host():
        if config.allow_remote:
            # Reachable from other hosts: every endpoint needs the token.
            if request.method != "OPTIONS" and not token_ok():
                return error_response(401, "token_required",
                                      f"remote access needs the {TOKEN_HEADER} header", TOKEN_HEADER)
            return None
        if not host_allowed(request.host):
            # A page on another name that resolves to us (DNS rebinding).
            return error_response(403, "bad_host", "Reply Coach only answers requests to localhost", "Host")
        return None
