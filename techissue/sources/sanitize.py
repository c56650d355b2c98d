"""Make article HTML safe to store and show (nh3 allow-list), and turn HTML into plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
# These go with their content: a script's text or an iframe's fallback is never article text.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "noscript",
    "template",
    "object",
    "embed",
    "svg",
    "math",
}
URL_ATTRIBUTES = {"href", "src", "cite"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def clean_html(html: str, base_url: str | None = None) -> str:
    """Return `html` with only article-body tags and attributes left, links absolute and inert.

    No script, style, iframe, event handler, `javascript:` or `data:` URL survives; links get
    `rel="noopener noreferrer nofollow"`. Relative `href`/`src` resolve against `base_url`.
    """
    if not html:
        return ""

    def absolutise(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES and base_url:
            return urljoin(base_url, value.strip())
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=absolutise,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "svg",
    "iframe",
    "object",
}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: blocks become lines, whitespace collapses, scripts vanish."""
    if not html:
        return ""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = _SPACES.sub(" ", "".join(parser.parts))
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
