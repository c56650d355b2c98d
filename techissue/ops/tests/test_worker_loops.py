"""The worker's loops: backoff with one log line per episode, giving up on what waiting cannot cure, roles."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.utils import OperationalError

from techissue.ops.loops import Loop
from techissue.ops.runner import Background, parse_roles


@pytest.fixture
def fast(settings: Any) -> None:
    settings.TECHISSUE_BACKOFF_MAX_SECONDS = 0.05
    settings.TECHISSUE_GIVE_UP_SECONDS = 1.0


def run_loop(step: Any, stop: threading.Event, fatal: list[str]) -> threading.Thread:
    loop = Loop("drill", step, 0.01, stop, fatal.append)
    thread = threading.Thread(target=loop.run)
    thread.start()
    return thread


def test_it_logs_an_outage_once_and_its_end_once(fast: None, caplog: pytest.LogCaptureFixture) -> None:
    stop, fatal, calls = threading.Event(), [], []

    def step() -> bool:
        calls.append(1)
        if len(calls) <= 8:
            raise OperationalError("connection refused")
        stop.set()
        return True

    caplog.set_level(logging.DEBUG, logger="techissue.ops.loops")
    run_loop(step, stop, fatal).join(30)
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 2, [r.getMessage() for r in errors]
    assert errors[0].getMessage().startswith("drill loop failing: OperationalError: connection refused")
    assert errors[1].getMessage().startswith("drill loop recovered after")
    assert "8 failed attempt(s)" in errors[1].getMessage()
    assert not fatal


def test_it_waits_out_a_database_that_never_comes(fast: None) -> None:
    stop, fatal = threading.Event(), []

    def step() -> bool:
        raise OperationalError("the database system is starting up")

    thread = run_loop(step, stop, fatal)
    thread.join(1.5)  # longer than TECHISSUE_GIVE_UP_SECONDS: a transient error is never given up on
    assert thread.is_alive() and not fatal
    stop.set()
    thread.join(30)


def test_it_gives_up_on_an_error_that_waiting_does_not_cure(fast: None) -> None:
    stop, fatal = threading.Event(), []

    def step() -> bool:
        raise ValueError("a bug")

    run_loop(step, stop, fatal).join(30)
    assert fatal and "gave up" in fatal[0] and "ValueError: a bug" in fatal[0]


@pytest.mark.parametrize(
    "command", [["worker", "--only", "tasks"], ["serve", "--no-migrate", "--port", "0"]], ids=["worker", "serve"]
)
def test_a_process_whose_loop_gives_up_exits_non_zero(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "techissue.sqlite3").write_bytes(b"this is not a database" * 100)
    env = {**os.environ, "TECHISSUE_DATA_DIR": str(tmp_path), "TECHISSUE_ENV_FILE": os.devnull}
    env.update({"TECHISSUE_GIVE_UP_SECONDS": "1", "TECHISSUE_BACKOFF_MAX_SECONDS": "0.2", "LOG_LEVEL": "INFO"})
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "techissue", *command], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 3, done.stderr
    assert "gave up" in done.stderr and "file is not a database" in done.stderr


def test_it_takes_on_only_the_roles_it_is_given() -> None:
    assert parse_roles("deliver") == ["deliver"]
    assert parse_roles("deliver,fetch") == ["fetch", "deliver"]
    assert parse_roles("") == ["tasks", "fetch", "curate", "deliver"]
    assert [loop.name for loop in Background(roles=["deliver"]).loops] == ["deliver"]
    assert [loop.name for loop in Background(roles=["tasks", "curate"]).loops] == ["tasks", "curate", "scheduler"]
    with pytest.raises(ValueError, match="unknown role"):
        parse_roles("deliver,bake")


def test_the_command_refuses_an_unknown_role() -> None:
    with pytest.raises(CommandError, match="unknown role"):
        call_command("worker", "--only", "bake")
