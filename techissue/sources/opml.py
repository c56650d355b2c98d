"""Read and write OPML subscription lists (nested outlines, entity declarations refused)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from .xmlsafety import (
    ParseError,
    as_utf8_document,
    decode_xml,
    expand_internal_entities,
)

__all__ = ["OpmlFeed", "ParseError", "build_opml", "parse_opml"]


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription: the feed URL, its title, the site it belongs to and its language."""

    url: str
    title: str = ""
    site_url: str | None = None
    lang: str | None = None


def _attribute(element: etree._Element, name: str) -> str:
    """An attribute read case-insensitively: exporters write xmlUrl, xmlurl and XMLURL."""
    for key, value in element.attrib.items():
        if str(key).lower() == name.lower():
            return str(value).strip()
    return ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an `xmlUrl`, at any depth, in document order, without repeats.

    Raises ParseError when the file is not OPML, is broken XML, or declares entities.
    """
    if not data.strip():
        raise ParseError("the OPML file is empty")
    text = expand_internal_entities(decode_xml(data).text)
    # Belt and braces: even with the check above, the parser must never expand or fetch.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(as_utf8_document(text), parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else "?")
        raise ParseError(f"the OPML is broken at line {line}: {error.msg}") from error
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise ParseError(f"the file is not OPML (its root element is <{etree.QName(root).localname}>)")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in root.iter():
        if not isinstance(outline.tag, str) or etree.QName(outline).localname.lower() != "outline":
            continue
        url = _attribute(outline, "xmlUrl")
        if not url or url in seen:
            continue
        seen.add(url)
        text = _attribute(outline, "text")
        feeds.append(
            OpmlFeed(
                url=url,
                # build_opml writes the URL as `text` when a feed has no title; don't read it back as one
                title=_attribute(outline, "title") or (text if text != url else ""),
                site_url=_attribute(outline, "htmlUrl") or None,
                lang=_attribute(outline, "language") or None,
            )
        )
    return feeds


def build_opml(feeds: Iterable[OpmlFeed], title: str) -> bytes:
    """An OPML 2.0 document (UTF-8) listing `feeds` as flat `type="rss"` outlines."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    for feed in feeds:
        outline = etree.SubElement(body, "outline", type="rss", text=feed.title or feed.url)
        if feed.title:
            outline.set("title", feed.title)
        outline.set("xmlUrl", feed.url)
        if feed.site_url:
            outline.set("htmlUrl", feed.site_url)
        if feed.lang:
            outline.set("language", feed.lang)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
