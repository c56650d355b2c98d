"""`techissue edition …`: the editor's command line, including a test mail through a real SMTP server."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from email import message_from_bytes
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command

from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("edition", *args, stdout=out)
    return out.getvalue()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd's readiness check cannot use port 0, so pick a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def test_it_drafts_lists_and_shows_an_edition() -> None:
    make_story("Chip shortage", outlets=("Reuters",))

    assert "drafted edition #1 with 1 pick(s)" in run("draft", "--size", "3")
    assert "#1" in run("list") and "draft" in run("list")
    rows = json.loads(run("list", "--json"))
    assert rows[0]["number"] == 1 and rows[0]["status"] == "draft"
    shown = run("show", "1")
    assert "Chip shortage" in shown and "[Reuters]" in shown


def test_it_previews_each_format() -> None:
    make_story("Chip shortage")
    run("draft")

    assert run("preview", "1", "--format", "text").startswith("Subject: 테크이슈 1호")
    assert "<table" in run("preview", "latest", "--format", "html")
    assert '<html lang="ko">' in run("preview", "1", "--format", "web")


def test_it_schedules_publishes_and_cancels() -> None:
    run("draft")
    assert "scheduled for 2099-01-05 07:00" in run("schedule", "1", "--at", "2099-01-05 07:00")
    assert "is on the web: http://127.0.0.1:8000/e/1-issue-1/" in run("publish", "1")
    assert "cancelled" in run("cancel", "1")
    assert Edition.objects.get().status == Edition.Status.CANCELLED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "7"), "no edition 7"),
        (("show", "seven"), "not an edition number"),
        (("schedule", "1", "--at", "tomorrow"), "bad time"),
        (("send", "1"), "is empty|내용이 없습니다"),
    ],
)
def test_it_explains_what_went_wrong(args: tuple[str, ...], message: str) -> None:
    run("draft")
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_it_mails_a_test_copy_through_the_configured_smtp_server(smtp_inbox: Inbox) -> None:
    make_story("Chip shortage")
    run("draft", "--language", "en")

    assert "sent to editor@127.0.0.1" in run("test", "1", "--to", "editor@127.0.0.1", "--name", "Ed")

    [(recipients, raw)] = smtp_inbox.messages
    message = message_from_bytes(raw)
    assert recipients == ["editor@127.0.0.1"]
    assert message["Subject"] == "[TEST] techissue #1: Issue 1"
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in message.walk() if not p.is_multipart()}
    assert "Hello, Ed." in parts["text/plain"] and "<table" in parts["text/html"]


def test_it_reports_an_unreachable_mail_server_without_a_traceback(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    run("draft")

    with pytest.raises(CommandError, match="could not send the test mail"):
        run("test", "1", "--to", "editor@127.0.0.1")


def test_it_sends_and_waits_until_delivery_has_ended() -> None:
    make_story("Chip shortage")
    run("draft")

    out = run("send", "1", "--wait", "--timeout", "20")

    assert "handed to delivery" in out and "edition #1 sent" in out
    edition = Edition.objects.get()
    assert edition.status == Edition.Status.SENT and edition.published_at is not None
