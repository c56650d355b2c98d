"""Per-site boilerplate: blocks that repeat across pages of one site are not article text."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from lxml import html as lxml_html

from .sanitize import html_to_text

# Leaf blocks as trafilatura and our sanitiser leave them: the units a site's template repeats.
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "dt", "dd", "pre", "caption"}
_CONTAINERS = {"ul", "ol", "dl", "figure", "table", "tbody", "thead", "tr", "div", "blockquote"}
# A photo caption with its credit ("▲ … 사진=테크일보 DB", "… Photo: Archive"), unique on each page
# but never article text. Only short blocks: a paragraph that quotes a credit stays.
_CREDIT = re.compile(
    r"^\s*[▲△▶]|(?:사진|그래픽|영상)\s*(?:제공)?\s*[=:／/]|\b(?:Photo|Image|Credit)s?\s*:", re.IGNORECASE
)
MAX_CREDIT_CHARS = 200
# A page whose blocks nearly all repeat is an update or a copy of another page, not boilerplate.
MAX_DROPPED_SHARE = 0.8


class Page(Protocol):
    """What the pass reads and rewrites: an extracted article's HTML and text."""

    html: str
    text: str


def block_key(text: str) -> str:
    """A short fingerprint of a block's text, with spacing and case folded."""
    folded = " ".join(text.split()).lower()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16] if folded else ""


def text_block_keys(text: str) -> set[str]:
    """The block fingerprints of a stored article's text (one block per line)."""
    return {key for line in text.split("\n") if (key := block_key(line))}


def known_block_counts(texts: Iterable[str]) -> dict[str, int]:
    """How many of a site's earlier pages hold each block: the history the next fetch compares against."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text_block_keys(text))
    return dict(counts)


def _blocks(fragment: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return [element for element in fragment.iter() if isinstance(element.tag, str) and element.tag in _BLOCKS]


def _parse(html: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml refuses some fragments (empty, only comments): nothing to drop then
        return None


def _is_credit(text: str) -> bool:
    return len(text) <= MAX_CREDIT_CHARS and bool(_CREDIT.search(text))


def drop_repeated_blocks(pages: Sequence[Page], known: dict[str, int] | None = None, min_pages: int = 2) -> int:
    """Remove from each page the blocks found on at least `min_pages` pages of the site; returns blocks dropped.

    1. Count, for each block fingerprint, the pages of this run that hold it, plus the site's
       earlier pages (`known`, from the stored articles).
    2. In each page, drop the blocks counted on `min_pages` pages or more, and short photo
       captions with a credit (`사진=…`, `Photo: …`), unless that would drop
       more than MAX_DROPPED_SHARE of the page's text (then the page repeats another article).
    3. Containers left empty go too; the text is computed again from the HTML.
    """
    known = known or {}
    parsed = [(page, _parse(page.html)) for page in pages]
    counts: Counter[str] = Counter()
    for _page, fragment in parsed:
        if fragment is not None:
            counts.update({block_key(element.text_content()) for element in _blocks(fragment)} - {""})
    dropped = 0
    for page, fragment in parsed:
        if fragment is None:
            continue
        blocks = _blocks(fragment)
        repeated = [
            element
            for element in blocks
            if ((key := block_key(element.text_content())) and counts[key] + known.get(key, 0) >= min_pages)
            or _is_credit(element.text_content())
        ]
        # Only the outermost repeated blocks: a repeated <li> inside a repeated <blockquote> goes with it.
        repeated = [
            element for element in repeated if not any(parent in repeated for parent in element.iterancestors())
        ]
        if not repeated:
            continue
        total = len(" ".join(fragment.text_content().split()))
        removed = sum(len(" ".join(element.text_content().split())) for element in repeated)
        if total and removed / total > MAX_DROPPED_SHARE:
            continue
        for element in repeated:
            element.drop_tree()
        for element in list(fragment.iter()):
            if (
                isinstance(element.tag, str)
                and element.tag in _CONTAINERS
                and element is not fragment
                and not element.text_content().strip()
                and not element.xpath(".//img")
            ):
                element.drop_tree()
        # tostring of a child includes its tail text, so this is the fragment's inner HTML.
        page.html = (fragment.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in fragment)
        page.text = html_to_text(page.html)
        dropped += len(repeated)
    return dropped
