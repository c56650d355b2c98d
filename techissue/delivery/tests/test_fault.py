"""A worker SIGKILLed at random moments and restarted: everyone gets the edition, duplicates ≤ connections × kills."""

from __future__ import annotations

import random
import signal
import time
from collections import Counter

import pytest

from techissue.delivery.tests.smtpserver import Recorder, SmtpServer
from techissue.delivery.tests.workers import SETUP_SCRIPT, run, start_deliver, worker_env

READERS = 150
KILLS = 5
CONNECTIONS = 3


class SlowRecorder(Recorder):
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        import asyncio

        await asyncio.sleep(0.004)  # slow enough that kills land in the middle of the send
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.slow
def test_it_survives_five_kills_with_at_most_one_duplicate_per_connection_each(tmp_path):
    rng = random.Random()
    with SmtpServer(SlowRecorder()) as server:
        env = worker_env(tmp_path, server.port)
        run(["-m", "techissue", "migrate", "-v0"], env)
        assert run(["-c", SETUP_SCRIPT.format(count=READERS)], env).stdout.strip() == str(READERS)
        kills = 0
        options = ("--batch-size", "10", "--lease-seconds", "1", "--connections", str(CONNECTIONS))
        while kills < KILLS:
            before = len(server.recorder.received)
            worker = start_deliver(env, *options)
            deadline = time.monotonic() + 120
            while len(server.recorder.received) == before and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.15))
            if worker.poll() is not None:
                break  # it finished before we could kill it again
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            kills += 1
        worker = start_deliver(env, *options)
        assert worker.wait(timeout=240) == 0, worker.stderr.read().decode() if worker.stderr else ""

    counts = Counter(server.recorder.recipients())
    assert set(counts) == {f"reader{index}@example.test" for index in range(READERS)}
    assert max(counts.values()) <= 2
    duplicates = sum(counts.values()) - len(counts)
    # Each connection has at most one message whose reply was not recorded yet when the worker died.
    assert duplicates <= kills * CONNECTIONS
    assert kills >= 3, "the send finished too fast to be killed"
