"""`techissue demo`: run the whole flow on the bundled offline newsroom, then serve the site."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from techissue.ops.demo import run_demo, start_newsroom, use_mail_sink
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
        parser.add_argument("--mail-port", type=int, default=8025, help="The demo's local SMTP sink's loopback port.")
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Run the flow, then stop (for scripts and tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            newsroom = start_newsroom(options["newsroom_port"])
        except OSError as error:
            raise CommandError(
                f"cannot serve the demo newsroom on 127.0.0.1:{options['newsroom_port']}: {error.strerror} "
                "(is another demo running? try --newsroom-port)"
            ) from None
        sink = MailSink(settings.DATA_DIR / "demo-mail", port=options["mail_port"])
        try:
            sink.start()
        except (OSError, RuntimeError) as error:
            newsroom.close()
            raise CommandError(
                f"cannot start the demo's SMTP sink on 127.0.0.1:{options['mail_port']}: {error} (try --mail-port)"
            ) from None
        use_mail_sink(sink.port)
        with newsroom, sink:
            self.stdout.write(f"demo newsroom at {newsroom.base_url}/")
            report = run_demo(newsroom, self.stdout.write)
            langs = ", ".join(f"{lang}: {count}" for lang, count in sorted(report.articles_by_lang.items()))
            self.stdout.write(f"articles stored: {sum(report.articles_by_lang.values())} ({langs})")
            self.stdout.write(
                f"stories: {report.stories}; mails in the local sink: {sink.count()} (a Maildir at {sink.path})"
            )
            self.stdout.write("")
            self.stdout.write(f"site:  http://127.0.0.1:{options['port']}/   edition: {report.edition_url}")
            self.stdout.write(f"admin: http://127.0.0.1:{options['port']}/admin/  (the editor's area: /editor/)")
            self.stdout.write(f"  user: editor   password: {report.editor_password}")
            if options["no_serve"]:
                return
            call_command("serve", port=options["port"], no_migrate=True)
