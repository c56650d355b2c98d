"""`techissue worker` as a real process: it fetches due feeds on its own and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "techissue"
# The most a step may take: generous, as a busy machine (CI shares two cores) only makes it slower;
# a passing run never waits it out. 40 s failed with two CPU-bound processes beside the suite.
PATIENCE = 240


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {**os.environ, "TECHISSUE_DATA_DIR": str(tmp_path), "TECHISSUE_ENV_FILE": os.devnull}
    values["TECHISSUE_FETCH_ALLOW_NETWORKS"] = "127.0.0.0/8"  # the newsroom is on loopback
    values.pop("DATABASE_URL", None)
    values.pop("DJANGO_SETTINGS_MODULE", None)
    return values


def techissue(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, timeout=PATIENCE)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_it_fetches_due_feeds_and_stops_on_sigterm(env, demo_newsroom):
    techissue(env, "migrate", "--noinput")
    techissue(env, "feeds", "add", demo_newsroom.feed_url(demo_newsroom.corpus.outlets[0].slug))
    worker = subprocess.Popen([str(BIN), "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + PATIENCE
        rows: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            rows = json.loads(techissue(env, "feeds", "list", "--json"))
            if rows[0]["status"] != "new":
                break
            time.sleep(0.5)
        assert rows[0]["status"] == "ok", rows
        assert rows[0]["articles"] == len(demo_newsroom.corpus.articles_of(demo_newsroom.corpus.outlets[0].slug))
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=PATIENCE)
    assert worker.returncode == 0, err
    assert "stopped" in out
