"""Test mail, the confirmation page as the only way to send now, and the live progress with its controls."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from techissue.audience.imports import upsert
from techissue.delivery.models import Send
from techissue.delivery.tests.smtpserver import Recorder, SmtpServer
from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def relay(settings):
    recorder = Recorder(
        reply_for=lambda rcpt, attempt: "550 5.1.1 no such user" if rcpt.startswith("nobody@") else None
    )
    with SmtpServer(recorder) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        yield server


def edition_with_readers(readers: int = 3) -> Edition:
    for number in range(readers):
        upsert(f"reader{number}@example.com", f"독자{number}", "ko", "active", timezone.now())
    make_story("반도체 수출이 다시 늘었다", summary="수출 회복의 신호.", score=5)
    return services.draft_edition(size=1)


def test_a_test_mail_reaches_the_relay_and_a_refusal_is_said_in_words(editor: Client, relay) -> None:
    edition = edition_with_readers()
    ok = editor.post(f"/editor/editions/{edition.pk}/test/", {"to": "me@example.com"})
    assert ok.status_code == 200 and relay.recorder.recipients() == ["me@example.com"]
    assert Edition.objects.get(pk=edition.pk).tested_at is not None

    refused = editor.post(
        f"/editor/editions/{edition.pk}/test/", {"to": "nobody@example.com"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert refused.status_code == 502 and "550" in refused.content.decode()
    bad = editor.post(f"/editor/editions/{edition.pk}/test/", {"to": "not-an-address"})
    assert bad.status_code == 400


def test_send_now_is_stopped_by_errors_and_needs_each_warning_ticked(editor: Client, settings) -> None:
    settings.TECHISSUE_PREFLIGHT_LINK_TIMEOUT = 0.5
    edition = edition_with_readers(4)
    edition.picks.update(url="")  # an error: a pick without a link
    page = editor.get(f"/editor/editions/{edition.pk}/send/").content.decode()
    assert "4" in page and 'id="confirm-send" disabled' in page
    stopped = editor.post(f"/editor/editions/{edition.pk}/send/", {"ack": ["default_title"]})
    assert stopped.status_code == 400 and Edition.objects.get(pk=edition.pk).status == Edition.Status.DRAFT


def test_it_sends_after_the_ticks_and_shows_live_progress_with_pause_and_cancel(editor: Client, monkeypatch) -> None:
    from techissue.editions import preflight

    monkeypatch.setattr(preflight, "broken_links", lambda urls, timeout=None: {})  # the links are on 127.0.0.1:9
    edition = edition_with_readers(3)
    report = preflight.check_edition(edition, check_links=False)
    response = editor.post(f"/editor/editions/{edition.pk}/send/", {"ack": sorted(report.warning_codes())})
    assert response.status_code == 302 and Edition.objects.get(pk=edition.pk).status == Edition.Status.SENDING

    panel = editor.get(f"/editor/editions/{edition.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in panel and 'data-figure="waiting">3<' in panel

    editor.post(f"/editor/editions/{edition.pk}/progress/pause/")
    assert Send.objects.get(edition=edition).state == Send.State.PAUSED
    editor.post(f"/editor/editions/{edition.pk}/progress/resume/")
    cancelled = editor.post(f"/editor/editions/{edition.pk}/progress/cancel/").content.decode()
    assert 'data-figure="failed">3<' in cancelled and "every 2s" not in cancelled
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.CANCELLED
