"""The commands' console output: text from outside (feed titles, URLs, errors) is printed as text, never as markup.

rich reads `[...]` in a string as markup, so a feed titled `[/]` crashed `fetch`, `feeds list` and
`stories` (and `[link=…]` could style the operator's terminal). Every command builds its tables with
`table()`, whose cells are literal text unless they are already `rich.text.Text`, and writes any
outside value into its own markup through `outside()`.
"""

from __future__ import annotations

from typing import IO, Any, cast

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text


class LiteralTable(Table):
    """A rich Table whose string cells are shown as they are: no markup, no emoji codes."""

    def add_row(self, *renderables: Any, **options: Any) -> None:
        cells = [Text(value) if isinstance(value, str) else value for value in renderables]
        super().add_row(*cells, **options)


def table(*headers: str, **options: Any) -> LiteralTable:
    return LiteralTable(*headers, **options)


def console(stdout: object, width: int) -> Console:
    """A console on a command's stdout; `emoji=False` so that `:name:` in outside text stays as typed."""
    return Console(file=cast(IO[str], stdout), width=width, emoji=False)


def outside(value: object) -> str:
    """A value from outside, ready to put inside our own markup (`f"[red]failed[/] {outside(title)}"`)."""
    return escape(str(value))


def styled(text: str, style: str) -> Text:
    """Our own word in a colour, for a table cell (`styled("ok", "green")`)."""
    return Text(text, style=style)
