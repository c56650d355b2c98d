"""`techissue serve`: the web app, a background worker and the scheduler in one process."""

from __future__ import annotations

import _thread
import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import WSGIServer, run
from django.core.wsgi import get_wsgi_application

from techissue.ops.management.commands.worker import EXIT_GAVE_UP
from techissue.ops.runner import Background


def watch(background: Background) -> None:
    """Beat and watch the loops on a thread of their own; a loop that gives up stops the server too."""

    def run() -> None:
        background.wait()
        if background.fatal:
            _thread.interrupt_main()  # the server's loop sees KeyboardInterrupt and stops

    threading.Thread(target=run, name="supervisor", daemon=True).start()


class Command(BaseCommand):
    help = "Serve the site and the admin, and run the worker and scheduler in the same process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Serve pages only.")
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Do not apply pending migrations first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        background = None if options["no_worker"] else Background()

        def stop(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        if background is not None:
            background.start()
            watch(background)
        self.stdout.write(f"techissue serving http://{options['host']}:{options['port']}/ (admin at /admin/)")
        try:
            run(
                options["host"],
                options["port"],
                get_wsgi_application(),
                threading=True,
                server_cls=WSGIServer,
            )
        except OSError as error:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {error.strerror}") from None
        except KeyboardInterrupt:
            pass
        finally:
            if background is not None:
                background.stop()
        if background is not None and background.fatal:
            self.stderr.write(f"techissue serve gave up: {background.fatal}")
            raise SystemExit(EXIT_GAVE_UP)
