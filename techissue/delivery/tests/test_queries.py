"""A batch costs the same number of queries whatever its size: one statement per message, nothing per field."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techissue.delivery import periodic
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers

pytestmark = pytest.mark.django_db(transaction=True)


def queries_for_one_batch(readers: int, number: int) -> int:
    make_readers(readers, domain=f"batch{number}.test")
    start_send(make_edition(number))
    with CaptureQueriesContext(connection) as captured:
        assert periodic.tick()
    # The one statement per message, which marks it sent (only it sets message_id), is counted apart.
    return len([query for query in captured.captured_queries if "message_id =" not in query["sql"]])


def test_it_claims_and_sends_a_batch_without_a_query_per_field(smtp_server):
    assert queries_for_one_batch(3, 1) == queries_for_one_batch(30, 2)
