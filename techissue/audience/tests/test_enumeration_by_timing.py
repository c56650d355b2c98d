"""The subscribe form does the same work for every address: the mail is queued, never sent in the request."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from techissue.audience.models import Subscriber
from techissue.audience.tests.helpers import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes its connection when done


def page_text(response) -> bytes:  # type: ignore[no-untyped-def]
    """The answer without the per-request CSRF token (the only part that differs by design)."""
    return response.content.split(b'name="csrfmiddlewaretoken"')[0] + response.content.split(b"</form>")[-1]


def test_it_sends_no_mail_in_the_request_and_answers_every_address_alike(client, queued_tasks) -> None:
    Subscriber.objects.create(email="active@example.test", status="active")
    Subscriber.objects.create(email="pending@example.test", status="pending")
    Subscriber.objects.create(email="gone@example.test", status="unsubscribed")
    addresses = ["new@example.test", "active@example.test", "pending@example.test", "gone@example.test"]

    responses = [
        client.post("/subscribe/", {"email": email}, REMOTE_ADDR=f"10.1.0.{n}") for n, email in enumerate(addresses)
    ]

    assert mail.outbox == []  # nothing went out while the reader waited
    assert {response.status_code for response in responses} == {200}
    assert len({page_text(response) for response in responses}) == 1
    # Each request did the same thing: queue one task, whatever the address is known as.
    assert DBTaskResult.objects.count() == len(addresses)
    assert not Subscriber.objects.filter(email="new@example.test").exists()

    run_queued_tasks()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "gone@example.test",
        "new@example.test",
        "pending@example.test",
    ]
    assert Subscriber.objects.get(email="new@example.test").status == "pending"
