"""The `techissue` console script: a thin front door to Django's management commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Beside the default data dir (./var), never inside the real one's database.
DEMO_DATA_DIR = Path(__file__).resolve().parent.parent / "var" / "demo"


def main(argv: list[str] | None = None) -> None:
    """Run `techissue COMMAND …` as `django-admin COMMAND …` with techissue's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techissue.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["techissue", *argv])
    if args[1:2] == ["demo"] and "TECHISSUE_DATA_DIR" not in os.environ:
        # The demo keeps its own data dir, so it never shares a database with `techissue serve`.
        os.environ["TECHISSUE_DATA_DIR"] = str(DEMO_DATA_DIR)
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as error:
        # A bad setting is the operator's to fix: say which, without a traceback.
        sys.stderr.write(f"techissue: configuration error: {error}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
