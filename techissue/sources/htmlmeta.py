"""Read the `<head>` facts we need from an HTML page: links, meta tags, `<base>` and `lang`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


@dataclass
class HeadFacts:
    """Links (rel, type, absolute href), meta content by lowercased name/property, base and lang."""

    links: list[tuple[set[str], str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    base_href: str | None = None
    lang: str | None = None


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HeadFacts()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "html" and values.get("lang"):
            self.facts.lang = values["lang"].strip()
        elif tag == "base" and values.get("href") and self.facts.base_href is None:
            self.facts.base_href = values["href"].strip()
        elif tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            self.facts.links.append((rels, values.get("type", "").lower().strip(), values["href"].strip()))
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values and key not in self.facts.meta:
                self.facts.meta[key] = values["content"].strip()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def read_head(html: str, base_url: str) -> HeadFacts:
    """Parse the page and return its head facts, with link hrefs made absolute.

    Relative hrefs resolve against `<base href>` when the page has one, else against `base_url`.
    """
    parser = _HeadParser()
    head_end = _HEAD_END.search(html)
    try:
        # Everything we need lives before </head>; the body can be megabytes.
        parser.feed(html[: head_end.end()] if head_end else html)
        parser.close()
    except (AssertionError, ValueError):
        pass  # html.parser gives up on some broken markup; keep what it read so far
    facts = parser.facts
    base = urljoin(base_url, facts.base_href) if facts.base_href else base_url
    facts.links = [(rels, kind, urljoin(base, href)) for rels, kind, href in facts.links]
    return facts


def canonical_link(facts: HeadFacts) -> str | None:
    """The page's `<link rel=canonical>` href, absolute, if it has one."""
    for rels, _kind, href in facts.links:
        if "canonical" in rels:
            return href
    return None
