"""The Korean confirmation mail and the confirm and unsubscribe pages say their sentences in Korean."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def _confirm_path() -> str:
    return re.search(r"https?://[^/\s]+(/subscribe/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_it_writes_the_confirmation_mail_in_korean(client):
    # The mail no longer repeats a name typed into the form (a stranger's text); its sentences are Korean.
    client.post("/subscribe/", {"email": "ga@example.test", "name": "가독자", "lang": "ko"})
    body = mail.outbox[-1].body
    assert body.startswith("안녕하세요.")
    assert "Hello" not in body and "Someone" not in body
    assert "안녕하세요." in mail.outbox[-1].alternatives[0][0]


def test_it_asks_to_unsubscribe_in_korean(client):
    from techissue.audience.links import unsubscribe_url
    from techissue.audience.models import Subscriber

    reader = Subscriber.objects.create(email="na@example.test", status="active", language="ko")
    path = unsubscribe_url(reader).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "버튼을 누르면 na@example.test 주소로 더 이상 techissue를 보내지 않습니다." in page
    assert "Press the button" not in page


def test_it_asks_for_the_confirming_press_in_korean(client):
    client.post("/subscribe/", {"email": "ga@example.test", "lang": "ko"})
    page = client.get(_confirm_path(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "버튼을 누르면 ga@example.test 주소로 techissue를 받습니다." in page
    assert "Press the button" not in page
