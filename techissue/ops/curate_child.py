"""`python -m techissue.ops.curate_child`: one curation in a process of its own; prints its result as JSON."""

from __future__ import annotations

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techissue.settings")
    import django

    django.setup()
    from techissue.ops.jobs import curate_here

    print(json.dumps(curate_here()))


if __name__ == "__main__":
    main()
