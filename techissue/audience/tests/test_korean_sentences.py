"""The Korean confirmation mail and the confirm and unsubscribe pages say their sentences in Korean."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def _confirm_path() -> str:
    return re.search(r"https?://[^/\s]+(/subscribe/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_it_greets_a_korean_reader_by_name_in_korean(client):
    client.post("/subscribe/", {"email": "ga@example.test", "name": "가독자", "lang": "ko"})
    body = mail.outbox[-1].body
    assert body.startswith("가독자님, 안녕하세요.")
    assert "Hello" not in body
    html = mail.outbox[-1].alternatives[0][0]
    assert "가독자님, 안녕하세요." in html


def test_it_asks_for_the_confirming_press_in_korean(client):
    client.post("/subscribe/", {"email": "ga@example.test", "lang": "ko"})
    page = client.get(_confirm_path(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "버튼을 누르면 ga@example.test 주소로 techissue를 받습니다." in page
    assert "Press the button" not in page
