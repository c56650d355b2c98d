"""A confirmation link mailed before the reader left (unsubscribed, bounced, complained) never brings them back."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from techissue.audience.models import Subscriber
from techissue.audience.subscribe import record_bounce, unsubscribe

pytestmark = pytest.mark.django_db


def confirm_path() -> str:
    return re.search(r"http://127.0.0.1:8000(/subscribe/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)


def subscribe_and_confirm(client) -> tuple[Subscriber, str]:  # type: ignore[no-untyped-def]
    client.post("/subscribe/", {"email": "ada@example.test"})
    path = confirm_path()
    client.post(path)
    subscriber = Subscriber.objects.get(email="ada@example.test")
    assert subscriber.status == "active"
    return subscriber, path


@pytest.mark.parametrize(
    "leave",
    [
        lambda s: unsubscribe(s),
        lambda s: record_bounce(s.email, hard=True, reason="550 no such user"),
        lambda s: record_bounce(s.email, hard=True, reason="abuse report", complaint=True),
    ],
    ids=["unsubscribed", "bounced", "complained"],
)
def test_an_old_confirmation_link_does_not_reactivate_a_reader_who_left(client, leave) -> None:  # type: ignore[no-untyped-def]
    subscriber, old_link = subscribe_and_confirm(client)
    leave(subscriber)
    left_as = Subscriber.objects.get(pk=subscriber.pk).status

    assert client.get(old_link).status_code == 404
    assert client.post(old_link).status_code == 404

    assert Subscriber.objects.get(pk=subscriber.pk).status == left_as != "active"


def test_an_old_unsubscribe_link_still_says_unsubscribed(client) -> None:
    from techissue.audience.links import unsubscribe_url

    subscriber, _ = subscribe_and_confirm(client)
    link = unsubscribe_url(subscriber).removeprefix("http://127.0.0.1:8000")
    assert client.post(link).status_code == 200
    response = client.get(link)  # the same old link again, after leaving

    assert response.status_code == 200
    assert Subscriber.objects.get(pk=subscriber.pk).status == "unsubscribed"
