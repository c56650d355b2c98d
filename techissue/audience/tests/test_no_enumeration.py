"""The subscribe form answers the same for a new, a pending, an active and a suppressed address."""

from __future__ import annotations

import pytest

from techissue.audience.models import Subscriber

pytestmark = pytest.mark.django_db


def test_it_answers_the_same_whatever_the_address_is_known_as(client):
    Subscriber.objects.create(email="active@example.test", status="active")
    Subscriber.objects.create(email="gone@example.test", status="bounced")
    pages = {
        email: client.post("/subscribe/", {"email": email})
        for email in ["new@example.test", "active@example.test", "gone@example.test"]
    }
    statuses = {response.status_code for response in pages.values()}
    bodies = {response.content.replace(b"\n", b"") for response in pages.values()}
    assert statuses == {200}
    assert len({body.split(b'name="csrfmiddlewaretoken"')[0] for body in bodies}) == 1
