"""Replies reach the editor: TECHISSUE_REPLY_TO becomes each edition mail's Reply-To, and the footer invites a reply."""

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

KOREAN_INVITE = "이 메일에 답장하시면 편집자에게 바로 전해집니다."
ENGLISH_INVITE = "Reply to this email: your reply reaches the editor."


def send_to_both_languages(smtp_server) -> dict[str, object]:
    for email, language in [("ko@example.test", "ko"), ("en@example.test", "en")]:
        Subscriber.objects.create(
            email=email, language=language, status=Subscriber.Status.ACTIVE, consent_at=timezone.now()
        )
    lifecycle.start_sending(published_edition(title="답장을 기다립니다"))
    run_until_idle()
    return {item.recipient: item.message for item in smtp_server.recorder.received}


@override_settings(TECHISSUE_REPLY_TO="김편집 <editor@example.test>")
def test_replies_go_to_the_editor_and_the_footer_says_so_in_the_readers_language(smtp_server) -> None:
    mails = send_to_both_languages(smtp_server)
    korean, english = mails["ko@example.test"], mails["en@example.test"]
    for mail in (korean, english):
        assert str(make_header(decode_header(mail["Reply-To"]))) == "김편집 <editor@example.test>"  # type: ignore[index]
    assert KOREAN_INVITE in body(korean, "text/html") and KOREAN_INVITE in body(korean, "text/plain")
    assert ENGLISH_INVITE in body(english, "text/html") and ENGLISH_INVITE in body(english, "text/plain")
    assert ENGLISH_INVITE not in body(korean, "text/html")


@override_settings(TECHISSUE_REPLY_TO="")
def test_without_a_reply_address_there_is_no_header_and_no_invitation(smtp_server) -> None:
    mails = send_to_both_languages(smtp_server)
    for mail in mails.values():
        assert mail["Reply-To"] is None  # type: ignore[index]
        assert KOREAN_INVITE not in body(mail, "text/html") and ENGLISH_INVITE not in body(mail, "text/html")
