"""Compile every `django.po` under techissue/ into `django.mo` with Babel (no GNU gettext needed)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_all(root: Path) -> int:
    count = 0
    for po_path in sorted(root.rglob("locale/*/LC_MESSAGES/django.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    return count


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "techissue")
    print(f"compiled {compile_all(root)} message catalogue(s)")
