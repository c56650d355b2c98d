"""`techissue edition pause|resume|cancel` control a send in progress from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from techissue.audience.imports import upsert
from techissue.delivery.models import Delivery, Send
from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("edition", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sending() -> Edition:
    from django.utils import timezone

    for number in range(3):
        upsert(f"reader{number}@example.com", f"독자{number}", "ko", "active", timezone.now())
    make_story("HBM 공급 계약", score=0.9)
    edition = services.start_sending(services.draft_edition(size=1))
    assert edition.status == Edition.Status.SENDING
    return edition


def test_it_pauses_and_resumes_a_send(sending):
    assert "send paused" in run("pause", str(sending.number))
    assert Send.objects.get(edition=sending).state == Send.State.PAUSED
    assert "0 of 3 sent" in run("resume", str(sending.number))
    assert Send.objects.get(edition=sending).state == Send.State.RUNNING


def test_it_cancels_a_send_in_progress(sending):
    assert "3 deliveries not sent" in run("cancel", str(sending.number))
    assert set(Delivery.objects.filter(edition=sending).values_list("status", flat=True)) == {"failed"}
    sending.refresh_from_db()
    assert sending.status == Edition.Status.CANCELLED


def test_it_refuses_to_pause_an_edition_that_is_not_sending():
    make_story("메모리 가격", score=0.5)
    edition = services.draft_edition(size=1)
    with pytest.raises(CommandError, match=r"draft|초안"):
        run("pause", str(edition.number))
