"""/csrf/ hands out the CSRF cookie that the subscribe box's script copies into the form; CSRF stays enforced."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from techissue.audience.models import Subscriber
from techissue.audience.tests.helpers import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_it_sets_the_cookie_and_answers_204_without_caching() -> None:
    response = Client().get("/csrf/")

    assert response.status_code == 204 and response.content == b""
    assert response["Cache-Control"] == "no-store"
    assert len(response.cookies["csrftoken"].value) == 32
    assert not response.cookies["csrftoken"]["httponly"]  # the page's script must be able to read it
    assert settings.CSRF_COOKIE_HTTPONLY is False


def test_it_refuses_writes() -> None:
    assert Client().post("/csrf/").status_code == 405


@pytest.mark.django_db(transaction=True)  # the worker that handles the request closes its connection
def test_it_accepts_the_cookie_value_as_the_form_token() -> None:
    client = Client(enforce_csrf_checks=True)
    token = client.get("/csrf/").cookies["csrftoken"].value

    response = client.post("/subscribe/", {"email": "reader@example.test", "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    run_queued_tasks()  # the worker handles the request
    assert Subscriber.objects.filter(email="reader@example.test").exists()


def test_it_still_rejects_a_subscription_without_the_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/csrf/")

    response = client.post("/subscribe/", {"email": "reader@example.test", "csrfmiddlewaretoken": ""})

    assert response.status_code == 403
    assert not Subscriber.objects.exists()
