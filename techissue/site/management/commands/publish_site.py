"""`techissue publish_site`: write the static copy of the public archive under TECHISSUE_DATA_DIR/public."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techissue.site.export import ExportError, public_root, run_export


class Command(BaseCommand):
    help = (
        "Export every published edition page, the archive index, the Atom feed, the sitemap and robots.txt "
        "as static files for nginx (done by itself when an edition is published or edited; run it after a "
        "release, a restore or a change of SITE_URL)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = run_export()
        except ExportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{public_root()}: {result.written} written, {result.unchanged} unchanged, {result.removed} removed"
        )
