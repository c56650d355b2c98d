"""Find every string shown to users (templates and Python) that has no Korean translation.

1. Templates go through Django's own `templatize`, as `makemessages` does, so `{% blocktranslate %}`
   gives the same msgid (`%(name)s`) that Django looks up at run time.
2. Python modules (not tests, not migrations) are read with Babel's extractor and Django's keywords.
3. A msgid counts as translated when one of our apps' `ko` catalogues has a non-empty, non-fuzzy
   msgstr for it, or when Django's own Korean catalogue translates it.
Run `python -m techissue.editor.translations` to list what is missing.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PLAIN = ("_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy")
CONTEXTUAL = ("pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy")
SKIP_DIRS = {"tests", "migrations", "__pycache__", "locale"}
# Words that read the same in both languages.
SAME_IN_BOTH = {"techissue", "OPML", "CSV", "URL", "RSS", "Atom", "SMTP", "DKIM", "#%(number)s"}


def _python_messages(source: str, name: str) -> Iterator[tuple[str, str, int]]:
    keywords: dict[str, Any] = dict.fromkeys((*PLAIN, *CONTEXTUAL))
    for lineno, funcname, message, _comments in extract_python(io.BytesIO(source.encode()), keywords, [], {}):
        parts = message if isinstance(message, tuple) else (message,)
        msgid = parts[1] if funcname in CONTEXTUAL and len(parts) > 1 else parts[0]
        if isinstance(msgid, str) and msgid:
            yield msgid, name, lineno


def template_messages(path: Path) -> Iterator[tuple[str, str, int]]:
    from django.utils.translation.template import templatize

    # templatize's output is only Python-like (xgettext reads it leniently): drop its indentation.
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    yield from _python_messages("\n".join(line.lstrip() for line in code.splitlines()), str(path))


def python_messages(path: Path) -> Iterator[tuple[str, str, int]]:
    yield from _python_messages(path.read_text(encoding="utf-8"), str(path))


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        parts = set(path.relative_to(root).parts)
        if parts & SKIP_DIRS or not path.is_file():
            continue
        if path.suffix == ".py" or ("templates" in parts and path.suffix in {".html", ".txt"}):
            yield path


def shown_messages(root: Path = ROOT) -> Iterator[tuple[str, str, int]]:
    for path in _files(root):
        if path.suffix == ".py":
            yield from python_messages(path)
        else:
            yield from template_messages(path)


def korean_catalogue(root: Path = ROOT) -> set[str]:
    known: set[str] = set()
    for po_path in root.rglob("locale/ko/LC_MESSAGES/django.po"):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="ko"):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and not message.fuzzy and all(strings):
                    known.add(str(message.id[0] if isinstance(message.id, tuple | list) else message.id))
    return known


def _needs_no_words(msgid: str) -> bool:
    bare = re.sub(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}", "", msgid)
    return msgid in SAME_IN_BOTH or not re.search("[A-Za-z]", bare)


def missing_korean(root: Path = ROOT) -> list[tuple[str, str, int]]:
    """(msgid, file, line) for every shown string with no Korean translation."""
    from django.utils import translation

    known = korean_catalogue(root)
    missing = []
    with translation.override("ko"):
        for msgid, name, line in shown_messages(root):
            if msgid in known or _needs_no_words(msgid):
                continue
            if translation.gettext(msgid) != msgid:  # Django's own catalogue (admin, auth) has it
                continue
            missing.append((msgid, name, line))
    return missing


if __name__ == "__main__":
    import django

    django.setup()
    rows = missing_korean()
    for msgid, name, line in rows:
        print(f"{Path(name).relative_to(ROOT.parent)}:{line}\t{msgid!r}")
    print(f"{len(rows)} string(s) without Korean", file=sys.stderr)
    sys.exit(1 if rows else 0)
