"""The server against its own OpenAPI description (GET /api/v1/openapi.json),
with schemathesis over the WSGI app: no 500s, only documented status codes
and content types, and every response matches its schema. Bounded (a few
dozen examples per operation) so it runs in well under two minutes."""
from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from replycoach.app import create_app  # noqa: E402
from replycoach.config import Config  # noqa: E402
from replycoach.services import build_services  # noqa: E402

SPEC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "server", "replycoach", "static", "openapi.json")


@pytest.fixture(scope="session")
def st_services(tmp_path_factory):
    return build_services(Config(home=str(tmp_path_factory.mktemp("schemathesis-home"))))


@pytest.fixture(scope="session")
def st_app(st_services):
    return create_app(st_services.config, st_services)


# Loaded from the file (cheap at collection); the calls go to the WSGI app.
# (schemathesis.pytest.from_fixture does not work with pytest 9 yet.)
schema = schemathesis.openapi.from_path(SPEC)
schema.config.base_url = "http://127.0.0.1:8765"


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
def test_api_conforms_to_its_openapi(case, st_app, st_services):
    case.call_and_validate(app=st_app, headers={"X-ReplyCoach-Token": st_services.token, "Host": "127.0.0.1:8765"},
                           checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])


def test_spec_is_served_and_describes_every_route(st_app):
    client = st_app.test_client()
    r = client.get("/api/v1/openapi.json", headers={"Host": "localhost"})
    assert r.status_code == 200 and r.is_json
    spec = r.get_json()
    with open(SPEC, encoding="utf-8") as fh:
        assert spec == json.load(fh)
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    for rule in st_app.url_map.iter_rules():
        if rule.endpoint.endswith(".static") or rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in openapi.json"
    # Every error is described with the one error shape.
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op["responses"]["4XX"] == {"$ref": "#/components/responses/Error"}, (method, path)


def test_delete_history_with_an_id_beyond_sqlite_range_is_404(st_app, st_services):
    r = st_app.test_client().delete("/api/v1/history/30361886959582027776",
                                    headers={"Host": "127.0.0.1", "X-ReplyCoach-Token": st_services.token})
    assert r.status_code == 404 and r.get_json()["error"]["field"] == "id"
