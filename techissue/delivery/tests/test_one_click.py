"""The List-Unsubscribe URL in a delivered mail unsubscribes with one POST: no cookie, no CSRF token, 200."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from techissue.audience.models import Subscriber
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_unsubscribes_with_the_one_click_post_from_the_mail(smtp_server):
    (reader,) = make_readers(1)
    start_send(make_edition())
    run_until_idle()
    header = smtp_server.recorder.received[0].message["List-Unsubscribe"]
    url = re.search(r"<(https?://[^>]+)>", header).group(1)
    path = url.removeprefix("http://127.0.0.1:8000")

    client = Client(enforce_csrf_checks=True)
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert not response.cookies
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_the_visible_link_only_shows_a_confirm_page(smtp_server):
    (reader,) = make_readers(1)
    start_send(make_edition())
    run_until_idle()
    text = smtp_server.recorder.received[0].message.get_payload()[0].get_payload(decode=True).decode()
    path = re.search(r"http://127.0.0.1:8000(/unsubscribe/[^\s]+)", text).group(1)
    response = Client().get(path)
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE
