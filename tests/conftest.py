"""Shared fixtures: the real pipeline (real packs, real durable-rules, real
langdetect), one instance per test session, and a Flask test client."""
from __future__ import annotations

import os

import pytest

from replycoach.app import create_app
from replycoach.config import Config
from replycoach.services import build_services

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="session")
def home(tmp_path_factory):
    return str(tmp_path_factory.mktemp("replycoach-home"))


@pytest.fixture(scope="session")
def services(home):
    return build_services(Config(home=home))


@pytest.fixture(scope="session")
def checker(services):
    return services.checker


@pytest.fixture(scope="session")
def app(services):
    return create_app(services.config, services)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def playwright_instance():
    """One Playwright for the whole run: a second sync_playwright() in the
    same process fails ("Sync API inside the asyncio loop")."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def check(checker, text, **kw):
    from replycoach.request import parse_check
    return checker.check(parse_check({"text": text, **kw}))


def rules_fired(result) -> set[str]:
    return {w["rule"] for w in result["warnings"]}
