"""Writes the HTML pages of an outlet (article pages, home page), the site index and the OPML file."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape

from techissue.newsroom.corpus import Corpus, CorpusArticle, Outlet
from techissue.newsroom.links import SiteLinks

# Boilerplate that a real outlet wraps around every article; extraction has to see past it.
_SECTIONS = {
    "ko": ["반도체", "인공지능", "플랫폼", "스타트업", "투자", "오피니언"],
    "en": ["Chips", "AI", "Platforms", "Startups", "Money", "Opinion"],
}
_WORDS = {
    "ko": {
        "by": "기자",
        "related": "관련 기사",
        "latest": "최신 기사",
        "subscribe": "뉴스레터 구독하기",
        "rights": "무단 전재 및 재배포 금지",
        "privacy": "개인정보처리방침",
        "terms": "이용약관",
        "tags": "태그",
    },
    "en": {
        "by": "By",
        "related": "Related",
        "latest": "Latest",
        "subscribe": "Get our newsletter",
        "rights": "All rights reserved",
        "privacy": "Privacy",
        "terms": "Terms",
        "tags": "Tags",
    },
}


def _autodiscovery(outlet: Outlet, links: SiteLinks) -> str:
    feed_type = "application/atom+xml" if outlet.format == "atom" else "application/rss+xml"
    return (
        f'<link rel="alternate" type="{feed_type}" title="{escape(outlet.name)}" href="{escape(links.feed(outlet))}">'
    )


def _header(outlet: Outlet, links: SiteLinks) -> str:
    nav = "".join(
        f'<li><a href="{escape(links.home(outlet))}#{index}">{escape(name)}</a></li>'
        for index, name in enumerate(_SECTIONS[outlet.lang])
    )
    return (
        '<header class="site-header">'
        f'<a class="logo" href="{escape(links.home(outlet))}">{escape(outlet.name)}</a>'
        f'<nav class="sections"><ul>{nav}</ul></nav>'
        f'<form class="search" action="{escape(links.home(outlet))}"><input name="q"></form>'
        "</header>"
    )


def _footer(outlet: Outlet, links: SiteLinks) -> str:
    words = _WORDS[outlet.lang]
    home = escape(links.home(outlet))
    return (
        '<footer class="site-footer">'
        f'<p class="newsletter"><a href="{home}#subscribe">{words["subscribe"]}</a></p>'
        f'<ul><li><a href="{home}#privacy">{words["privacy"]}</a></li>'
        f'<li><a href="{home}#terms">{words["terms"]}</a></li>'
        f'<li><a href="{escape(links.feed(outlet))}">RSS</a></li></ul>'
        f"<p>© 2026 {escape(outlet.name)}. {words['rights']}.</p>"
        "</footer>"
    )


def _head(outlet: Outlet, title: str, links: SiteLinks, extra: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{outlet.lang}">\n<head>\n'
        f'<meta charset="{outlet.encoding}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{_autodiscovery(outlet, links)}\n{extra}"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:auto}</style>\n</head>\n"
    )


def _date_text(outlet: Outlet, moment: datetime) -> str:
    if outlet.lang == "ko":
        return moment.strftime("%Y.%m.%d %H:%M")
    return moment.strftime("%B %d, %Y %H:%M")


def render_article_page(outlet: Outlet, article: CorpusArticle, corpus: Corpus, links: SiteLinks) -> str:
    """The article's own page: layout, canonical link, Open Graph, JSON-LD and the body."""
    words = _WORDS[outlet.lang]
    canonical = links.article(article)
    meta = [
        f'<link rel="canonical" href="{escape(canonical)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta property="og:description" content="{escape(article.summary)}">',
        f'<meta property="og:url" content="{escape(canonical)}">',
        f'<meta property="og:site_name" content="{escape(outlet.name)}">',
        f'<meta property="article:published_time" content="{article.published.isoformat()}">',
        f'<meta name="author" content="{escape(article.author)}">',
        f'<meta name="description" content="{escape(article.summary)}">',
    ]
    figure = ""
    if article.image:
        image_url = escape(links.image(article.image))
        meta.append(f'<meta property="og:image" content="{image_url}">')
        figure = (
            f'<figure class="lead"><img src="{image_url}" alt="{escape(article.title)}">'
            f"<figcaption>{escape(outlet.name)}</figcaption></figure>"
        )
    meta.extend(f'<meta property="article:tag" content="{escape(tag)}">' for tag in article.tags)
    structured = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": outlet.name},
    }
    meta.append(
        '<script type="application/ld+json">'
        + json.dumps(structured, ensure_ascii=False).replace("</", "<\\/")
        + "</script>"
    )
    byline = (
        f"{escape(article.author)} {words['by']}" if outlet.lang == "ko" else f"{words['by']} {escape(article.author)}"
    )
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    tags = "".join(f'<li><a href="#tag">{escape(tag)}</a></li>' for tag in article.tags)
    others = [a for a in corpus.articles_of(outlet.slug) if a.slug != article.slug][:4]
    related = "".join(f'<li><a href="{escape(links.article(a))}">{escape(a.title)}</a></li>' for a in others)
    return (
        _head(outlet, f"{article.title} - {outlet.name}", links, "\n".join(meta) + "\n")
        + "<body>\n"
        + _header(outlet, links)
        + '\n<main>\n<article class="news">\n'
        + f"<h1>{escape(article.title)}</h1>\n"
        + f'<p class="byline"><span class="author">{byline}</span> · '
        + f'<time datetime="{article.published.isoformat()}">'
        + f"{_date_text(outlet, article.published)}</time></p>\n"
        + figure
        + f'\n<div class="article-body">\n{paragraphs}\n</div>\n'
        + (f'<ul class="tags" aria-label="{words["tags"]}">{tags}</ul>\n' if tags else "")
        + "</article>\n"
        + f'<aside class="related"><h2>{words["related"]}</h2><ul>{related}</ul></aside>\n'
        + "</main>\n"
        + _footer(outlet, links)
        + "\n</body>\n</html>\n"
    )


def render_home_page(outlet: Outlet, corpus: Corpus, links: SiteLinks) -> str:
    """The outlet's front page: the latest articles, with feed autodiscovery in the head."""
    items = "\n".join(
        f'<li><a href="{escape(links.article(a))}">{escape(a.title)}</a> '
        f'<time datetime="{a.published.isoformat()}">{_date_text(outlet, a.published)}</time>'
        f"<p>{escape(a.summary)}</p></li>"
        for a in corpus.articles_of(outlet.slug)
    )
    return (
        _head(outlet, outlet.name, links, "")
        + "<body>\n"
        + _header(outlet, links)
        + f'\n<main>\n<h1>{escape(outlet.name)}</h1>\n<p class="tagline">'
        + f"{escape(outlet.description)}</p>\n"
        + f'<h2>{_WORDS[outlet.lang]["latest"]}</h2>\n<ul class="latest">\n{items}\n</ul>\n</main>\n'
        + _footer(outlet, links)
        + "\n</body>\n</html>\n"
    )


def render_index_page(corpus: Corpus, links: SiteLinks) -> str:
    """The root page: every outlet with its feed, and the OPML file."""
    rows = "\n".join(
        f'<li><a href="{escape(links.home(o))}">{escape(o.name)}</a> '
        f'(<a href="{escape(links.feed(o))}">{o.format}</a>, {o.lang}, {o.encoding})</li>'
        for o in corpus.outlets
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>Newsroom</title></head>\n<body>\n<h1>Newsroom</h1>\n"
        f'<p><a href="{escape(links.opml())}">OPML</a></p>\n<ul>\n{rows}\n</ul>\n</body>\n</html>\n'
    )


def render_opml(corpus: Corpus, links: SiteLinks, created: datetime) -> str:
    """An OPML 2.0 subscription list with every outlet's feed."""
    outlines = "\n".join(
        f'    <outline type="rss" text="{escape(o.name)}" title="{escape(o.name)}"'
        f' xmlUrl="{escape(links.feed(o))}" htmlUrl="{escape(links.home(o))}"'
        f' language="{o.lang}" description="{escape(o.description)}"/>'
        for o in corpus.outlets
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n'
        "    <title>Newsroom feeds</title>\n"
        f"    <dateCreated>{format_datetime(created)}</dateCreated>\n  </head>\n"
        f"  <body>\n{outlines}\n  </body>\n</opml>\n"
    )
