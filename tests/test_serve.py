"""`replycoach.serve`: how the server process runs the app (issue #6)."""
from __future__ import annotations

import gc

from replycoach import serve as serve_mod
from replycoach.config import Config


def test_serve_runs_one_app_thread_after_freezing_startup_objects(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(serve_mod, "create_app", lambda config: "app")
    monkeypatch.setattr(serve_mod, "waitress_serve", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))   # the test process stays unfrozen
    config = Config(home=str(tmp_path))
    serve_mod.serve(port=0, config=config)
    assert calls[0] == "freeze"
    app, kw = calls[1]
    assert app == "app" and kw["threads"] == serve_mod.DEFAULT_THREADS == 1
    assert kw["max_request_body_size"] == config.max_body_bytes and kw["port"] == 0
