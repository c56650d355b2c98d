"""A reader who chose English gets the email's own words in English; the edition's content stays as written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.delivery.tests.conftest import run_until_idle
from techissue.editions import lifecycle
from techissue.editions.tests.builders import published_edition

pytestmark = pytest.mark.django_db(transaction=True)


def body(message: object, kind: str) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == kind)  # type: ignore[attr-defined]
    return part.get_payload(decode=True).decode()


def test_each_reader_gets_the_frame_in_their_language(smtp_server) -> None:
    for email, language in [("ko@example.test", "ko"), ("en@example.test", "en")]:
        Subscriber.objects.create(
            email=email, name="Kim", language=language, status=Subscriber.Status.ACTIVE, consent_at=timezone.now()
        )
    edition = published_edition(title="반도체의 봄", editorial="이번 주의 사설.")
    lifecycle.start_sending(edition)
    run_until_idle()

    mails = {item.recipient: item.message for item in smtp_server.recorder.received}
    english_html, english_text = (
        body(mails["en@example.test"], "text/html"),
        body(mails["en@example.test"], "text/plain"),
    )
    korean_html = body(mails["ko@example.test"], "text/html")
    assert "Hello, Kim." in english_html and "Unsubscribe" in english_html and "Preferences" in english_html
    assert "Unsubscribe:" in english_text and "Change your preferences:" in english_text
    assert "반도체의 봄" in english_html and "이번 주의 사설." in english_html  # the content as written
    assert "Unsubscribe" not in korean_html and "반도체의 봄" in korean_html
