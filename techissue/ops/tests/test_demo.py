"""`techissue demo` runs the whole flow on the offline newsroom: collect, curate, edition, readers, delivery."""

from __future__ import annotations

import mailbox
import os
import socket
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "techissue"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_runs_every_stage_and_delivers_to_the_local_sink(tmp_path: Path):
    env = {**os.environ, "TECHISSUE_DATA_DIR": str(tmp_path), "TECHISSUE_ENV_FILE": os.devnull}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    args = [str(BIN), "demo", "--no-serve", "--newsroom-port", str(free_port()), "--mail-port", str(free_port())]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "stored 64 new articles" in out
    assert "demo readers subscribed and confirmed" in out
    assert "delivered to 5 readers" in out
    assert "password:" in out
    mails = list(mailbox.Maildir(str(tmp_path / "demo-mail"), create=False))
    # Five confirmation mails and five copies of the edition.
    assert len(mails) == 10
    editions = [m for m in mails if m["List-Unsubscribe"]]
    assert len(editions) == 5
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in editions)

    # A second run finds everything in place and stores nothing twice.
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "stored 0 new articles" in again.stdout
    assert len(list(mailbox.Maildir(str(tmp_path / "demo-mail"), create=False))) == 10
