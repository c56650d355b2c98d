"""Each outlet's home page lists its articles and points at its feed for autodiscovery."""

from __future__ import annotations

import httpx

from techissue.newsroom import NewsroomServer


def test_it_links_the_feed_from_the_home_page_head(newsroom: NewsroomServer) -> None:
    for outlet in newsroom.corpus.outlets:
        response = httpx.get(newsroom.home_url(outlet.slug))
        html = response.content.decode(outlet.encoding)
        head = html.split("</head>")[0]
        kind = "application/atom+xml" if outlet.format == "atom" else "application/rss+xml"
        assert f'<link rel="alternate" type="{kind}"' in head
        assert f'href="{newsroom.feed_url(outlet.slug)}"' in head


def test_it_lists_every_article_on_the_home_page(newsroom: NewsroomServer) -> None:
    outlet = newsroom.corpus.outlets[-1]
    html = httpx.get(newsroom.home_url(outlet.slug)).text
    for article in newsroom.corpus.articles_of(outlet.slug):
        assert newsroom.article_url(article.key) in html
