"""The article as the curate stage sees it: a plain record, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Doc:
    """One article. `text` is the extracted body; `weight` is the editor's weight of its outlet."""

    id: int
    outlet: str
    lang: str
    title: str
    text: str
    published: datetime
    url: str = ""
    canonical_url: str = ""
    guid: str = ""
    weight: float = 1.0

    @property
    def full_text(self) -> str:
        """Title and body, the text that features are computed from."""
        return f"{self.title}\n{self.text}"
