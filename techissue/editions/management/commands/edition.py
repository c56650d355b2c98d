"""`techissue edition draft|list|show|preview|schedule|publish|test|send|cancel`: editions from the command line."""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from techissue.editions import lifecycle, services
from techissue.editions.models import Edition
from techissue.editions.render import absolute_url, prepare_email
from techissue.editions.testmail import send_test


def _find(number: str) -> Edition:
    if number == "latest":
        edition = Edition.objects.order_by("-number").first()
    else:
        try:
            edition = Edition.objects.filter(number=int(number)).first()
        except ValueError:
            raise CommandError(f"not an edition number: {number!r} (a number, or 'latest')") from None
    if edition is None:
        raise CommandError(f"no edition {number}; `techissue edition list` shows them")
    return edition


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


def _parse_local(text: str) -> datetime:
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"bad time {text!r}: use YYYY-MM-DD HH:MM (in {settings.TIME_ZONE})") from None
    return naive if timezone.is_aware(naive) else naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


class Command(BaseCommand):
    help = "Draft, inspect, preview, schedule, publish, test and send editions."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        draft = actions.add_parser("draft", help="draft the next edition from the top open stories")
        draft.add_argument("--size", type=int, default=10, help="how many picks (default 10)")
        draft.add_argument("--language", choices=["ko", "en"], help="the edition's language")
        listing = actions.add_parser("list", help="list editions, newest first")
        listing.add_argument("--json", action="store_true")
        for name, text in [
            ("show", "show an edition and its picks"),
            ("publish", "put it on the web, no mail"),
            ("cancel", "cancel a draft or scheduled edition, or stop a send in progress"),
            ("pause", "pause a send in progress"),
            ("resume", "resume a paused send"),
        ]:
            actions.add_parser(name, help=text).add_argument("number", help="edition number or 'latest'")
        preview = actions.add_parser("preview", help="print what a reader gets")
        preview.add_argument("number")
        preview.add_argument("--format", choices=["html", "text", "web"], default="text")
        preview.add_argument("--name", default="", help="the reader's name to greet")
        schedule = actions.add_parser("schedule", help="schedule it for the next slot or --at")
        schedule.add_argument("number")
        schedule.add_argument("--at", help=f"YYYY-MM-DD HH:MM in {settings.TIME_ZONE}")
        test = actions.add_parser("test", help="mail it to one address through the configured mail server")
        test.add_argument("number")
        test.add_argument("--to", required=True, metavar="ADDRESS")
        test.add_argument("--name", default="")
        send = actions.add_parser("send", help="publish it and hand it to delivery now")
        send.add_argument("number")
        send.add_argument("--wait", action="store_true", help="stay, and help send, until every delivery has ended")
        send.add_argument("--timeout", type=float, default=0, help="with --wait: give up after this many seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"do_{action}")(options)
        except services.EditionError as error:
            raise CommandError(str(error)) from None

    def do_draft(self, options: dict[str, Any]) -> None:
        if options["size"] < 1:
            raise CommandError("--size must be at least 1")
        edition = services.draft_edition(size=options["size"], language=options["language"])
        count = edition.picks.count()
        self.stdout.write(f"drafted edition #{edition.number} with {count} pick(s): {edition.title}")
        if count == 0:
            self.stdout.write("no open story was left: run `techissue curate` first, or add picks in the admin")

    def do_list(self, options: dict[str, Any]) -> None:
        editions = Edition.objects.order_by("-number")
        if options["json"]:
            rows = [
                {
                    "number": e.number,
                    "title": e.title,
                    "status": e.status,
                    "language": e.language,
                    "scheduled_at": e.scheduled_at.isoformat() if e.scheduled_at else None,
                    "published_at": e.published_at.isoformat() if e.published_at else None,
                    "url": absolute_url(e.get_absolute_url()),
                    "hold_reason": e.hold_reason,
                }
                for e in editions
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not editions:
            self.stdout.write("no edition yet: `techissue edition draft` makes one")
        for e in editions:
            flag = "  (held)" if e.hold_reason else ""
            self.stdout.write(f"#{e.number:<5} {e.status:<10} {_local(e.scheduled_at):<22} {e.title}{flag}")

    def do_show(self, options: dict[str, Any]) -> None:
        e = _find(options["number"])
        self.stdout.write(f"#{e.number} {e.title}\n{e.subtitle}".rstrip())
        self.stdout.write(f"status: {e.status}   language: {e.language}")
        self.stdout.write(f"scheduled: {_local(e.scheduled_at)}   send by: {_local(e.send_by)}")
        self.stdout.write(f"published: {_local(e.published_at)}   sent: {_local(e.sent_at)}")
        self.stdout.write(f"web: {absolute_url(e.get_absolute_url())}")
        if e.hold_reason:
            self.stdout.write(f"held: {e.hold_reason}")
        for pick in e.picks.all():
            self.stdout.write(f"  {pick.position:>2}. {pick.headline}  [{pick.outlets}]  {pick.url}")

    def do_preview(self, options: dict[str, Any]) -> None:
        edition = _find(options["number"])
        if options["format"] == "web":
            from techissue.site.pages import render_edition_page

            self.stdout.write(render_edition_page(edition))
            return
        subject, text, html = self._personalized(edition, options["name"])
        self.stdout.write(html if options["format"] == "html" else f"Subject: {subject}\n\n{text}")

    def _personalized(self, edition: Edition, name: str) -> tuple[str, str, str]:
        # A preview's links lead to the site rather than to a real reader's token.
        return prepare_email(edition).personalize(name, absolute_url("/"), absolute_url("/"))

    def do_schedule(self, options: dict[str, Any]) -> None:
        edition = _find(options["number"])
        at = _parse_local(options["at"]) if options["at"] else None
        services.schedule_edition(edition, at=at)
        self.stdout.write(f"edition #{edition.number} scheduled for {_local(edition.scheduled_at)}")

    def do_publish(self, options: dict[str, Any]) -> None:
        edition = services.publish_edition(_find(options["number"]))
        self.stdout.write(f"edition #{edition.number} is on the web: {absolute_url(edition.get_absolute_url())}")

    def do_cancel(self, options: dict[str, Any]) -> None:
        edition = _find(options["number"])
        stopped = lifecycle.cancel_edition(edition)
        suffix = f", {stopped} deliveries not sent" if stopped else ""
        self.stdout.write(f"edition #{edition.number} cancelled{suffix}")

    def do_pause(self, options: dict[str, Any]) -> None:
        self._set_send(options, pause=True)

    def do_resume(self, options: dict[str, Any]) -> None:
        self._set_send(options, pause=False)

    def _set_send(self, options: dict[str, Any], pause: bool) -> None:
        from techissue.delivery.services import send_progress

        edition = _find(options["number"])
        changed = (lifecycle.pause_sending if pause else lifecycle.resume_sending)(edition)
        state = "paused" if pause else "resumed"
        progress = send_progress(edition)
        self.stdout.write(
            f"edition #{edition.number}: send {state if changed else 'already ' + state}; "
            f"{progress['sent']} of {progress['total']} sent, {progress['pending'] + progress['deferred']} waiting"
        )

    def do_test(self, options: dict[str, Any]) -> None:
        edition = _find(options["number"])
        result = send_test(edition, [options["to"]], options["name"])
        if result.refused:
            raise CommandError(f"could not send the test mail: {'; '.join(result.refused.values())}")
        self.stdout.write(f"test mail for edition #{edition.number} sent to {options['to']}")

    def do_send(self, options: dict[str, Any]) -> None:
        edition = services.start_sending(_find(options["number"]))
        self.stdout.write(f"edition #{edition.number} handed to delivery")
        if options["wait"]:
            self._wait(edition, options["timeout"])

    def _wait(self, edition: Edition, timeout: float) -> None:
        # Delivery claims rows with SKIP LOCKED, so helping here is safe even with workers running elsewhere.
        from techissue.delivery.periodic import tick as delivery_tick
        from techissue.delivery.services import send_progress

        started = time.monotonic()
        last: dict[str, int] | None = None
        while True:
            progress = send_progress(edition)
            open_rows = sum(progress.get(key, 0) for key in ("pending", "sending", "deferred"))
            if progress != last:
                self.stdout.write("sent {sent}  failed {failed}  pending {pending}  of {total}".format(**progress))
                last = progress
            if not open_rows:
                break
            if timeout and time.monotonic() - started > timeout:
                raise CommandError(f"gave up waiting after {timeout:g} s; {open_rows} deliveries still open")
            if not delivery_tick():
                time.sleep(0.5)
        services.finish_sending(edition)
        self.stdout.write(f"edition #{edition.number} sent: {progress['sent']} delivered, {progress['failed']} failed")
