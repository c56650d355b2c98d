"""The editorial's Markdown to sanitised HTML: images with a title become figures with captions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
_RELATIVE_URL = re.compile(r'(\s(?:src|href)=")/(?!/)')


def _render_image(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = token.attrGet("src") or ""
    caption = token.attrGet("title") or ""
    image = f'<img src="{escape(str(src))}" alt="{escape(alt)}">'
    if not caption:
        return image
    # A figure cannot sit inside <p>; `render_markdown` lifts it out afterwards.
    return f"<figure>{image}<figcaption>{escape(str(caption))}</figcaption></figure>"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    parser.add_render_rule("image", _render_image)
    return parser


def render_markdown(text: str, base_url: str = "") -> str:
    """Markdown to HTML that is safe to show: nh3 removes scripts, handlers and unknown tags.

    With `base_url`, links and images that start with "/" become absolute (mail clients need that).
    """
    html = _parser().render(text or "")
    html = re.sub(r"<p>\s*(<figure>.*?</figure>)\s*</p>", r"\1", html, flags=re.S)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    if base_url:
        clean = _RELATIVE_URL.sub(lambda match: f"{match[1]}{base_url.rstrip('/')}/", clean)
    return clean


def plain_text(markdown: str) -> str:
    """The editorial as plain text for the text part of an email: Markdown already reads well as text."""
    return (markdown or "").strip()


@dataclass(frozen=True)
class MarkdownImage:
    src: str
    alt: str

    def as_dict(self) -> dict[str, str]:
        return {"src": self.src, "alt": self.alt}


def markdown_images(text: str) -> list[MarkdownImage]:
    """Every image the editorial places (Markdown `![alt](src)` and raw `<img>`), with its alt text."""
    images: list[MarkdownImage] = []

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type == "image":
                alt = "".join(child.content for child in token.children or [])
                images.append(MarkdownImage(str(token.attrGet("src") or ""), alt))
            if token.children:
                walk(token.children)

    walk(_parser().parse(text or ""))
    for match in _RAW_IMG.finditer(text or ""):
        alt = _RAW_ALT.search(match[0])
        src = _RAW_SRC.search(match[0])
        images.append(MarkdownImage(src[1] if src else "", alt[1] if alt else ""))
    return images


_RAW_IMG = re.compile(r"<img\b[^>]*>", re.I)
_RAW_ALT = re.compile(r"""\balt\s*=\s*["']([^"']*)["']""", re.I)
_RAW_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']*)["']""", re.I)
