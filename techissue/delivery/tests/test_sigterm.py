"""SIGTERM finishes what is in flight and hands back the rest of the batch; a cancel ends every row."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections import Counter

import pytest

from techissue.delivery import leases
from techissue.delivery.models import Delivery
from techissue.delivery.services import cancel_send, start_send
from techissue.delivery.tests.conftest import make_edition, make_readers
from techissue.delivery.tests.smtpserver import Recorder, SmtpServer
from techissue.delivery.tests.workers import SETUP_SCRIPT, run, start_deliver, worker_env

STATUSES = """
import json
import django; django.setup()
from techissue.delivery.models import Delivery
print(json.dumps({"rows": list(Delivery.objects.values_list("subscriber__email", "status"))}))
"""


class SlowRecorder(Recorder):
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.slow
def test_sigterm_mid_batch_leaves_no_row_sending_and_every_sent_row_was_received(tmp_path):
    with SmtpServer(SlowRecorder()) as server:
        env = worker_env(tmp_path, server.port)
        run(["-m", "techissue", "migrate", "-v0"], env)
        run(["-c", SETUP_SCRIPT.format(count=300)], env)
        worker = start_deliver(env, "--batch-size", "300", "--connections", "4")
        deadline = time.monotonic() + 240
        while len(server.recorder.received) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=240) == 0, worker.stderr.read().decode() if worker.stderr else ""
        rows = dict(json.loads(run(["-c", STATUSES], env).stdout)["rows"])
    statuses = Counter(rows.values())
    assert statuses["sending"] == 0
    assert 0 < statuses["sent"] < 300 and statuses["pending"] > 0  # stopped mid-batch, the rest handed back
    received = Counter(server.recorder.recipients())
    assert max(received.values()) == 1
    assert set(received) == {email for email, status in rows.items() if status == "sent"}


@pytest.mark.django_db(transaction=True)
def test_a_cancel_ends_every_row_even_those_a_worker_holds():
    make_readers(6)
    edition = make_edition()
    start_send(edition)
    held = leases.claim_batch("worker-a", 3, lease_seconds=600)
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 3
    assert cancel_send(edition) == 6
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.FAILED}
    assert leases.renew(held, 600) == {job.delivery_id for job in held}  # the worker drops them at its next renewal
    assert not leases.mark_deferred(held[0], "451 later", 60)  # and cannot bring one back to life
