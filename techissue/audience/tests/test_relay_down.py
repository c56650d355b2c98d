"""A subscribe form whose mail relay is down answers as usual and lets the reader try again."""

from __future__ import annotations

import socket

import pytest

from techissue.audience.models import Subscriber

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_answers_the_same_and_allows_a_retry_when_the_relay_refuses(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    response = client.post("/subscribe/", {"email": "reader@example.com", "name": "독자", "website": ""})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get(email="reader@example.com")
    assert subscriber.status == "pending"
    assert subscriber.confirmation_sent_at is None
