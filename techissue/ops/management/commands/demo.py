"""`techissue demo`: run the whole flow on the bundled offline newsroom, then serve the site."""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from techissue.ops.demo import DemoRefused, claim_data_dir, run_demo, start_newsroom, use_mail_sink
from techissue.ops.mailsink import MailSink


class Command(BaseCommand):
    help = "Serve the bundled demo newsroom on loopback, run every stage on it, and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="The site's port.")
        parser.add_argument(
            "--newsroom-port",
            type=int,
            default=8765,
            help="The demo newsroom's loopback port.",
        )
        parser.add_argument(
            "--mail-port",
            type=int,
            default=None,
            help="The demo's local SMTP sink's loopback port (default: EMAIL_URL's, 1025, so `edition test` lands there).",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Run the flow, then stop (for scripts and tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(options)
        except KeyboardInterrupt:
            self.stdout.write("")
        self.stdout.write(
            f"demo stopped. Its data stays in {settings.DATA_DIR}; `make run` again picks up where it left off "
            "(it sends nothing you made, keeps the editor's password and readers who left stay away)."
        )

    def run(self, options: dict[str, Any]) -> None:
        quiet_logs()
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            # Pages rendered during the flow (the static export) need the files where whitenoise looks.
            call_command("collectstatic", interactive=False, verbosity=0)
        try:
            state = claim_data_dir(settings.DATA_DIR)
        except DemoRefused as error:
            raise CommandError(str(error)) from None
        try:
            newsroom = start_newsroom(options["newsroom_port"])
        except OSError as error:
            raise CommandError(
                f"cannot serve the demo newsroom on 127.0.0.1:{options['newsroom_port']}: {error.strerror} "
                "(is another demo running? try --newsroom-port)"
            ) from None
        mail_port = options["mail_port"] if options["mail_port"] is not None else default_mail_port()
        sink = MailSink(settings.DATA_DIR / "demo-mail", port=mail_port)
        try:
            sink.start()
        except (OSError, RuntimeError) as error:
            newsroom.close()
            raise CommandError(
                f"cannot start the demo's SMTP sink on 127.0.0.1:{mail_port}: {error} (try --mail-port)"
            ) from None
        use_mail_sink(sink.port)
        with newsroom, sink:
            self.stdout.write(f"demo newsroom at {newsroom.base_url}/")
            report = run_demo(newsroom, self.stdout.write, state)
            langs = ", ".join(f"{lang}: {count}" for lang, count in sorted(report.articles_by_lang.items()))
            self.stdout.write(f"articles stored: {sum(report.articles_by_lang.values())} ({langs})")
            self.stdout.write(
                f"stories: {report.stories}; mails in the local sink: {sink.count()} (a Maildir at {sink.path})"
            )
            self.stdout.write("")
            self.stdout.write(f"site:  http://127.0.0.1:{options['port']}/   edition: {report.edition_url}")
            self.stdout.write(f"admin: http://127.0.0.1:{options['port']}/admin/  (the editor's area: /editor/)")
            self.stdout.write(f"  user: editor   password: {report.editor_password}  ({report.password_note})")
            self.stdout.write(
                f"mail a test copy (it lands in the sink): TECHISSUE_DATA_DIR={settings.DATA_DIR} "
                f".venv/bin/techissue edition test {report.edition_number} --to you@example.com"
            )
            if options["no_serve"]:
                return
            self.stdout.write("press Ctrl-C to stop the demo")
            call_command("serve", port=options["port"], no_migrate=True)


def default_mail_port() -> int:
    """EMAIL_URL's port when it points at this machine (1025 by default), so other commands' mail reaches the sink."""
    if settings.EMAIL_HOST in {"127.0.0.1", "localhost", "::1"} and settings.EMAIL_PORT:
        return int(settings.EMAIL_PORT)
    return 1025


def quiet_logs() -> None:
    """The demo's own lines, not INFO logs between them, nor a line per static file served."""
    if "LOG_LEVEL" not in os.environ:
        logging.getLogger("techissue").setLevel(logging.WARNING)
    logging.getLogger("django.server").addFilter(_NotStatic())


class _NotStatic(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = str(record.args[0]) if isinstance(record.args, tuple) and record.args else record.getMessage()
        return f" /{settings.STATIC_URL.strip('/')}/" not in request and "/favicon.ico" not in request
