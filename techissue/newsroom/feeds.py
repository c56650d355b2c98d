"""Writes an outlet's feed as RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 text."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from html import escape

from techissue.newsroom.corpus import CorpusArticle, Outlet
from techissue.newsroom.links import SiteLinks

FEED_CONTENT_TYPES = {
    "rss2": "application/rss+xml",
    "rss1": "application/rdf+xml",
    "atom": "application/atom+xml",
}


def render_feed(outlet: Outlet, articles: list[CorpusArticle], links: SiteLinks) -> str:
    """The feed text (not yet encoded); `articles` must already be newest first."""
    writers = {"rss2": _rss2, "rss1": _rss1, "atom": _atom}
    prolog = f'<?xml version="1.0" encoding="{outlet.encoding.upper()}"?>\n'
    return prolog + writers[outlet.format](outlet, articles, links)


def body_html(article: CorpusArticle) -> str:
    """The article body as the simple HTML a full-content feed carries."""
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in article.paragraphs)


def _guid(article: CorpusArticle) -> str:
    # A tag URI rather than the URL: the loopback port changes between runs, the identity must not.
    return f"tag:newsroom.invalid,2026:{article.key}"


def _updated(articles: list[CorpusArticle]) -> datetime | None:
    return articles[0].published if articles else None


def _rss2(outlet: Outlet, articles: list[CorpusArticle], links: SiteLinks) -> str:
    items = []
    for article in articles:
        parts = [
            f"<title>{escape(article.title)}</title>",
            f"<link>{escape(links.feed_link(outlet, article))}</link>",
            f'<guid isPermaLink="false">{escape(_guid(article))}</guid>',
            f"<dc:creator>{escape(article.author)}</dc:creator>",
            f"<pubDate>{format_datetime(article.published)}</pubDate>",
            f"<description>{escape(article.summary)}</description>",
            *(f"<category>{escape(tag)}</category>" for tag in article.tags),
        ]
        if outlet.content == "full":
            parts.append(f"<content:encoded>{escape(body_html(article))}</content:encoded>")
        if article.image:
            url = escape(links.image(article.image))
            parts.append(f'<enclosure url="{url}" length="0" type="{_image_type(article.image)}"/>')
        items.append("    <item>\n      " + "\n      ".join(parts) + "\n    </item>")
    updated = _updated(articles)
    build_date = f"<lastBuildDate>{format_datetime(updated)}</lastBuildDate>\n    " if updated else ""
    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        f"    <title>{escape(outlet.name)}</title>\n"
        f"    <link>{escape(links.home(outlet))}</link>\n"
        f"    <description>{escape(outlet.description)}</description>\n"
        f"    <language>{outlet.lang}</language>\n"
        f"    {build_date}"
        f'<atom:link href="{escape(links.feed(outlet))}" rel="self" type="application/rss+xml"/>\n'
        + "\n".join(items)
        + "\n  </channel>\n</rss>\n"
    )


def _rss1(outlet: Outlet, articles: list[CorpusArticle], links: SiteLinks) -> str:
    # rdf:about names the item, so it is the clean URL; <link> is what a reader follows.
    abouts = [links.article(article) for article in articles]
    sequence = "\n".join(f'        <rdf:li rdf:resource="{escape(url)}"/>' for url in abouts)
    items = []
    for article, about in zip(articles, abouts, strict=True):
        parts = [
            f"<title>{escape(article.title)}</title>",
            f"<link>{escape(links.feed_link(outlet, article))}</link>",
            f"<description>{escape(article.summary)}</description>",
            f"<dc:creator>{escape(article.author)}</dc:creator>",
            f"<dc:date>{article.published.isoformat()}</dc:date>",
            f"<dcterms:issued>{article.published.isoformat()}</dcterms:issued>",
            *(f"<dc:subject>{escape(tag)}</dc:subject>" for tag in article.tags),
        ]
        if outlet.content == "full":
            parts.append(f"<content:encoded>{escape(body_html(article))}</content:encoded>")
        items.append(f'  <item rdf:about="{escape(about)}">\n    ' + "\n    ".join(parts) + "\n  </item>")
    updated = _updated(articles)
    date = f"    <dc:date>{updated.isoformat()}</dc:date>\n" if updated else ""
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        f'  <channel rdf:about="{escape(links.feed(outlet))}">\n'
        f"    <title>{escape(outlet.name)}</title>\n"
        f"    <link>{escape(links.home(outlet))}</link>\n"
        f"    <description>{escape(outlet.description)}</description>\n"
        f"    <dc:language>{outlet.lang}</dc:language>\n"
        f"{date}"
        f"    <items>\n      <rdf:Seq>\n{sequence}\n      </rdf:Seq>\n    </items>\n"
        "  </channel>\n" + "\n".join(items) + "\n</rdf:RDF>\n"
    )


def _atom(outlet: Outlet, articles: list[CorpusArticle], links: SiteLinks) -> str:
    entries = []
    for article in articles:
        parts = [
            f"<id>{escape(_guid(article))}</id>",
            f"<title>{escape(article.title)}</title>",
            f'<link rel="alternate" type="text/html" href="{escape(links.feed_link(outlet, article))}"/>',
            f"<author><name>{escape(article.author)}</name></author>",
            f"<published>{article.published.isoformat()}</published>",
            f"<updated>{article.published.isoformat()}</updated>",
            f"<summary>{escape(article.summary)}</summary>",
            *(f'<category term="{escape(tag)}"/>' for tag in article.tags),
        ]
        if outlet.content == "full":
            parts.append(f'<content type="html">{escape(body_html(article))}</content>')
        entries.append("  <entry>\n    " + "\n    ".join(parts) + "\n  </entry>")
    updated = _updated(articles)
    updated_line = f"  <updated>{updated.isoformat()}</updated>\n" if updated else ""
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">\n'
        f"  <id>tag:newsroom.invalid,2026:{outlet.slug}</id>\n"
        f"  <title>{escape(outlet.name)}</title>\n"
        f"  <subtitle>{escape(outlet.description)}</subtitle>\n"
        f'  <link rel="alternate" type="text/html" href="{escape(links.home(outlet))}"/>\n'
        f'  <link rel="self" type="application/atom+xml" href="{escape(links.feed(outlet))}"/>\n'
        f"{updated_line}" + "\n".join(entries) + "\n</feed>\n"
    )


def _image_type(name: str) -> str:
    return "image/svg+xml" if name.endswith(".svg") else "image/png"
