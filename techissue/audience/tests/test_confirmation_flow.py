"""Double opt-in: the mail's link opens a page, and only the POST from that page confirms."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from techissue.audience.models import Subscriber

pytestmark = pytest.mark.django_db


def confirm_path() -> str:
    return re.search(r"http://127.0.0.1:8000(/subscribe/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_it_shows_the_form(client):
    response = client.get("/subscribe/")
    assert response.status_code == 200 and b'name="website"' in response.content


def test_it_confirms_only_on_the_post_from_the_page(client):
    response = client.post("/subscribe/", {"email": "Ada@Example.test", "name": "Ada", "lang": "en"})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get(email__iexact="ada@example.test")
    assert subscriber.status == Subscriber.Status.PENDING
    assert mail.outbox[-1].to == ["Ada@Example.test"]
    assert "Confirm your subscription" in mail.outbox[-1].subject

    assert client.get(confirm_path()).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # a scanner's GET does nothing

    client.post(confirm_path())
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.consent_method == "form" and subscriber.consent_at and subscriber.consent_ip == "127.0.0.1"


def test_it_writes_the_confirmation_in_the_subscribers_language(client):
    client.post("/subscribe/", {"email": "min@example.test", "lang": "ko"})
    assert "구독" in mail.outbox[-1].subject


def test_it_does_not_resend_the_confirmation_within_an_hour(client):
    client.post("/subscribe/", {"email": "ada@example.test"})
    client.post("/subscribe/", {"email": "ada@example.test"})
    assert len(mail.outbox) == 1


def test_its_honeypot_drops_bots_silently(client):
    response = client.post("/subscribe/", {"email": "bot@example.test", "website": "http://spam.test"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not mail.outbox


def test_an_old_confirm_link_stops_working_after_resubscribing(client):
    client.post("/subscribe/", {"email": "ada@example.test"})
    old = confirm_path()
    client.post(old)
    subscriber = Subscriber.objects.get()
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.confirmation_sent_at = None
    subscriber.save()
    client.post("/subscribe/", {"email": "ada@example.test"})
    assert client.get(old).status_code == 404
    assert client.get(confirm_path()).status_code == 200
