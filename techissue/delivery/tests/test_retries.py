"""4xx replies retry with backoff until delivered or the deadline; 5xx fails the row and suppresses the address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.delivery import periodic
from techissue.delivery.models import Delivery
from techissue.delivery.services import send_progress, start_send
from techissue.delivery.tests.conftest import make_edition, make_readers

pytestmark = pytest.mark.django_db(transaction=True)


def drain(hours: int = 12) -> None:
    """Tick, then let a minute pass (backoffs run on the database's clock: move them a minute closer)."""
    for _minute in range(hours * 60):
        while periodic.tick():
            pass
        Delivery.objects.filter(status="deferred").update(next_attempt_at=F("next_attempt_at") - timedelta(minutes=1))
        if not Subscriber.objects.filter(deliveries__status__in=["pending", "deferred", "sending"]).exists():
            return


@override_settings(DELIVERY_RETRY_BASE_SECONDS=60)
def test_it_delivers_everyone_when_a_fifth_get_a_4xx_first(smtp_server):
    readers = make_readers(20)
    greylisted = {reader.email for reader in readers[::5]}
    smtp_server.recorder.reply_for = lambda rcpt, attempt: (
        "451 4.7.1 try later" if rcpt in greylisted and attempt < 3 else None
    )
    edition = make_edition()
    start_send(edition)
    drain()
    assert sorted(smtp_server.recorder.recipients()) == sorted(reader.email for reader in readers)
    assert send_progress(edition)["sent"] == 20


def test_it_suppresses_addresses_that_get_a_5xx_and_delivers_the_rest(smtp_server):
    readers = make_readers(10)
    rejected = {readers[1].email, readers[7].email}
    smtp_server.recorder.reply_for = lambda rcpt, attempt: "550 5.1.1 no such user" if rcpt in rejected else None
    edition = make_edition()
    start_send(edition)
    drain()
    assert sorted(smtp_server.recorder.recipients()) == sorted(r.email for r in readers if r.email not in rejected)
    assert set(Subscriber.objects.filter(status=Subscriber.Status.BOUNCED).values_list("email", flat=True)) == rejected
    assert send_progress(edition)["failed"] == 2


def test_it_gives_up_at_the_send_by_deadline(smtp_server):
    (reader,) = make_readers(1)
    smtp_server.recorder.reply_for = lambda rcpt, attempt: "421 4.3.2 busy"
    edition = make_edition()
    edition.send_by = timezone.now() + timedelta(minutes=10)
    edition.save()
    start_send(edition)
    drain(hours=1)
    progress = send_progress(edition)
    assert progress["failed"] == 1 and progress["sent"] == 0
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE  # a 4xx is never a reason to suppress
