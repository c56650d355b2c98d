"""Schemathesis drives every operation of the API from its own OpenAPI schema: no 5xx, and every answer
matches the schema. The app is called in-process through WSGI, with an editor's token of every scope."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from techissue.editions.tests.builders import make_story, published_edition
from techissue.wsgi import application

pytestmark = pytest.mark.django_db


# Loaded once, through the app itself (no server, no network): the schema the app serves is the one tested.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def newsroom(db, settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.TECHISSUE_API_RATE_PER_MINUTE = 100_000
    make_story("HBM4 양산 경쟁", score=5)
    published_edition(title="스키마 시험 호")
    # As Django's test client does: a WSGI request must not close the test's own connection when it ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_operation_answers_with_a_server_error_or_off_its_schema(case, newsroom, bearer) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": bearer()["HTTP_AUTHORIZATION"]}
    case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])


def test_the_schema_is_openapi_3_1_and_its_docs_need_no_cdn(client) -> None:
    document = json.loads(client.get("/api/v1/openapi.json").content)
    docs = client.get("/api/v1/docs").content.decode()

    assert document["openapi"].startswith("3.1") and "/api/v1/stories/" in document["paths"]
    assert "cdn" not in docs.lower() and "/static/ninja/swagger-ui-bundle.js" in docs
