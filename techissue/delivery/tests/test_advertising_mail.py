"""An advertising edition in the sink: (광고) subject, the sender's details, a free opt-out and labelled picks."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django.test import override_settings
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.delivery.tests.conftest import run_until_idle
from techissue.delivery.tests.test_reader_language import body
from techissue.editions import lifecycle
from techissue.editions.tests.builders import published_edition

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TECHISSUE_SENDER_NAME="테크이슈 편집부", TECHISSUE_SENDER_CONTACT="02-123-4567, ad@example.test")
def test_an_edition_with_a_sponsored_pick_carries_the_marks_the_law_asks_for(smtp_server) -> None:
    for email, language in [("ko@example.test", "ko"), ("en@example.test", "en")]:
        Subscriber.objects.create(
            email=email, language=language, status=Subscriber.Status.ACTIVE, consent_at=timezone.now()
        )
    edition = published_edition(title="반도체의 봄")
    sponsored = edition.picks.order_by("position").last()
    assert sponsored is not None
    edition.picks.filter(pk=sponsored.pk).update(is_sponsored=True)
    lifecycle.start_sending(edition)
    run_until_idle()

    mails = {item.recipient: item.message for item in smtp_server.recorder.received}
    for recipient, label, opt_out in [
        ("ko@example.test", "광고", "수신 거부는 무료이며 한 번만 누르면 됩니다:"),
        ("en@example.test", "Sponsored", "Unsubscribing is free and takes one click:"),
    ]:
        mail = mails[recipient]
        assert str(make_header(decode_header(mail["Subject"]))).startswith("(광고) ")  # type: ignore[index]
        html, text = body(mail, "text/html"), body(mail, "text/plain")
        for part in (html, text):
            assert "테크이슈 편집부" in part and "02-123-4567, ad@example.test" in part and opt_out in part
        assert html.count(f">{label}</span> ") == 1 and f"[{label}] {sponsored.headline}" in text
        # The opt-out in the body is the reader's own one-click link, the same as List-Unsubscribe's.
        unsubscribe = mail["List-Unsubscribe"].split("<")[1].split(">")[0]  # type: ignore[index]
        assert html.count(f'href="{unsubscribe}"') == 2 and text.count(unsubscribe) == 2
