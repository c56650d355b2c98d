"""`techissue demo` runs the whole flow on the offline newsroom: collect, curate, edition, readers, delivery."""

from __future__ import annotations

import mailbox
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "techissue"
# The most one demo run may take: generous, as a busy machine only makes it slower (never waited out when green).
PATIENCE = 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_runs_every_stage_and_delivers_to_the_local_sink(tmp_path: Path):
    env = {**os.environ, "TECHISSUE_DATA_DIR": str(tmp_path), "TECHISSUE_ENV_FILE": os.devnull}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    args = [str(BIN), "demo", "--no-serve", "--newsroom-port", str(free_port()), "--mail-port", str(free_port())]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=PATIENCE)
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

    assert "(made for this demo)" in out
    assert "INFO" not in out + done.stderr  # the demo's own lines only
    assert "UserWarning" not in done.stderr

    # Meanwhile the editor works: drafts an edition, sets a password; a reader leaves by one click.
    shell(env, EDITOR_WORKS)

    # A second run, serving this time, finds everything in place, stores nothing twice and changes
    # nothing of theirs. Its sink listens on EMAIL_URL's port, so `edition test` lands there too.
    mail_port = free_port()
    env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{mail_port}"}
    serving = [str(BIN), "demo", "--newsroom-port", args[args.index("--newsroom-port") + 1], "--port", str(free_port())]
    demo = subprocess.Popen(serving, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert demo.stdout is not None
        for line in demo.stdout:
            lines.append(line)
            if line.startswith("press Ctrl-C"):
                break
        again = "".join(lines)
        assert "stored 0 new articles" in again, again[-3000:]
        assert "password: (the one you set)  (unchanged: the demo never resets it" in again
        assert len(list(mailbox.Maildir(str(tmp_path / "demo-mail"), create=False))) == 10
        number = re.search(r"edition test (\d+) --to", again).group(1)  # type: ignore[union-attr]
        tested = subprocess.run(
            [str(BIN), "edition", "test", number, "--to", "editor@example.test"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert tested.returncode == 0, tested.stderr[-2000:]
        assert len(list(mailbox.Maildir(str(tmp_path / "demo-mail"), create=False))) == 11
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl-C
        rest, _ = demo.communicate(timeout=PATIENCE)
    assert demo.returncode == 0, rest[-3000:]
    assert "demo stopped." in rest
    assert shell(env, STILL_THEIRS).strip() == "draft unsubscribed True"


EDITOR_WORKS = """
from django.contrib.auth import get_user_model
from techissue.audience.models import Subscriber
from techissue.audience.subscribe import unsubscribe
from techissue.editions.services import draft_edition
draft_edition(size=2)
user = get_user_model().objects.get(username="editor")
user.set_password("the-editors-own-password")
user.save()
unsubscribe(Subscriber.objects.with_email("alex.morgan@example.com").get())
"""
STILL_THEIRS = """
from django.contrib.auth import get_user_model
from techissue.audience.models import Subscriber
from techissue.editions.models import Edition
latest = Edition.objects.order_by("-number").first()
reader = Subscriber.objects.with_email("alex.morgan@example.com").get()
user = get_user_model().objects.get(username="editor")
print(latest.status, reader.status, user.check_password("the-editors-own-password"))
"""


def shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [str(BIN), "shell", "--no-imports", "-c", code], env=env, capture_output=True, text=True, timeout=PATIENCE
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_it_refuses_a_data_dir_that_holds_real_data(tmp_path: Path):
    env = {**os.environ, "TECHISSUE_DATA_DIR": str(tmp_path), "TECHISSUE_ENV_FILE": os.devnull}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(BIN), "migrate", "--noinput"], env=env, capture_output=True, check=True, timeout=PATIENCE)
    shell(env, "from techissue.sources.models import Feed; Feed.objects.create(url='https://news.example/rss')")
    args = [str(BIN), "demo", "--no-serve", "--newsroom-port", str(free_port()), "--mail-port", str(free_port())]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=PATIENCE)
    assert done.returncode == 1
    assert "holds data the demo did not make" in done.stderr
    assert shell(env, "from techissue.sources.models import Feed; print(Feed.objects.count())").strip() == "1"
