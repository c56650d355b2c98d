"""Unsubscribe links, tokens that stop after re-subscribing, and the preferences page."""

from __future__ import annotations

import pytest
from django.test import Client

from techissue.audience.links import preferences_url, unsubscribe_url
from techissue.audience.models import Subscriber
from techissue.audience.subscribe import request_subscription

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_a_one_click_post_unsubscribes_without_csrf_or_redirect():
    subscriber = Subscriber.objects.create(email="ada@example.test", status="active")
    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe_url(subscriber)), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_a_forged_token_does_nothing(client):
    Subscriber.objects.create(email="ada@example.test", status="active")
    assert client.post("/unsubscribe/forged-token/").status_code == 404
    assert Subscriber.objects.get().status == "active"


def test_the_unsubscribe_token_stops_working_after_resubscribing(client, mailoutbox):
    subscriber = Subscriber.objects.create(email="ada@example.test", status="active")
    old = path_of(unsubscribe_url(subscriber))
    client.post(old)
    request_subscription("ada@example.test")
    assert client.post(old).status_code == 404


def test_the_preferences_page_changes_language_and_pauses(client):
    subscriber = Subscriber.objects.create(email="ada@example.test", status="active", language="ko")
    path = path_of(preferences_url(subscriber))
    assert client.get(path).status_code == 200
    client.post(path, {"language": "en", "paused": "on"})
    subscriber.refresh_from_db()
    assert subscriber.language == "en" and subscriber.paused
    assert not Subscriber.objects.receiving().exists()
