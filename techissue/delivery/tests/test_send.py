"""An edition goes to every active subscriber once, and to nobody else."""

from __future__ import annotations

import pytest

from techissue.audience.models import Subscriber
from techissue.delivery.services import send_progress, start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle
from techissue.editions.lifecycle import start_sending
from techissue.editions.models import Edition

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_sends_once_to_every_active_subscriber(smtp_server):
    readers = make_readers(12)
    Subscriber.objects.filter(pk=readers[0].pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    Subscriber.objects.filter(pk=readers[1].pk).update(paused=True)
    edition = make_edition()

    start_sending(edition)  # the editions app's action, which calls start_send
    assert start_send(edition) == 10  # idempotent
    run_until_idle()

    received = smtp_server.recorder.recipients()
    assert sorted(received) == sorted(reader.email for reader in readers[2:])
    progress = send_progress(edition)
    assert progress["sent"] == 10 and progress["total"] == 10
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_it_skips_a_reader_who_unsubscribed_after_the_send_started(smtp_server):
    readers = make_readers(3)
    edition = make_edition()
    start_send(edition)
    Subscriber.objects.filter(pk=readers[0].pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    run_until_idle()
    assert readers[0].email not in smtp_server.recorder.recipients()
    assert send_progress(edition)["failed"] == 1
