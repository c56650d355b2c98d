"""CSV cells that a spreadsheet will not run: every CSV techissue writes goes through `safe_writer`."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (=HYPERLINK(…), +cmd|…, -2+3, @SUM(…)); a leading tab or carriage return hides one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell as text, with a leading apostrophe when it would start a formula (OWASP's advice)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class SafeWriter:
    """csv.writer, with every cell passed through `safe_cell`."""

    def __init__(self, handle: IO[str], **options: Any):
        self.writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self.writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(handle: IO[str], **options: Any) -> SafeWriter:
    return SafeWriter(handle, **options)
