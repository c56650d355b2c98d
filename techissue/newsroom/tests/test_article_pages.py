"""Article pages look like real news pages: layout, canonical link, Open Graph, time, image."""

from __future__ import annotations

import re

import httpx

from techissue.newsroom import NewsroomServer


def _page(newsroom: NewsroomServer, key: str, url: str | None = None) -> str:
    article = newsroom.corpus.article(key)
    encoding = newsroom.corpus.outlet(article.outlet).encoding
    response = httpx.get(url or newsroom.article_url(key))
    assert response.status_code == 200
    assert response.headers["content-type"] == f"text/html; charset={encoding}"
    return response.content.decode(encoding)


def test_it_renders_the_article_inside_site_boilerplate(newsroom: NewsroomServer) -> None:
    article = newsroom.corpus.articles[0]
    html = _page(newsroom, article.key)
    outlet = newsroom.corpus.outlet(article.outlet)
    assert f'<html lang="{outlet.lang}">' in html
    for marker in ("<header", "<nav", "<footer", "<article", "<h1>", 'class="byline"'):
        assert marker in html
    assert f'<time datetime="{article.published.isoformat()}">' in html
    assert all(f"<p>{p[:30]}" in html for p in article.paragraphs if "&" not in p[:30])


def test_it_names_the_clean_url_as_canonical(newsroom: NewsroomServer) -> None:
    article = newsroom.corpus.articles[-1]
    html = _page(newsroom, article.key)
    assert f'<link rel="canonical" href="{newsroom.article_url(article.key)}">' in html
    assert f'<meta property="og:url" content="{newsroom.article_url(article.key)}">' in html


def test_it_gives_open_graph_tags_with_an_absolute_image(newsroom: NewsroomServer) -> None:
    article = next(a for a in newsroom.corpus.articles if a.image)
    html = _page(newsroom, article.key)
    assert '<meta property="og:title"' in html
    image_url = f"{newsroom.base_url}/images/{article.image}"
    assert f'<meta property="og:image" content="{image_url}">' in html
    assert f'<img src="{image_url}"' in html
    published = f'<meta property="article:published_time" content="{article.published.isoformat()}">'
    assert published in html
    image = httpx.get(image_url)
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/")


def test_it_serves_the_page_when_the_url_carries_tracking_parameters(
    newsroom: NewsroomServer,
) -> None:
    for article in newsroom.corpus.articles:
        link = newsroom.feed_link(article.key)
        if "utm_source" in link:
            assert _page(newsroom, article.key, url=link) == _page(newsroom, article.key)
            return
    raise AssertionError("no outlet carries tracking parameters")


def test_it_answers_404_for_an_unknown_article(newsroom: NewsroomServer) -> None:
    outlet = newsroom.corpus.outlets[0].slug
    assert httpx.get(f"{newsroom.base_url}/{outlet}/no-such-story.html").status_code == 404


def test_it_redirects_an_outlet_path_without_slash(newsroom: NewsroomServer) -> None:
    outlet = newsroom.corpus.outlets[0].slug
    response = httpx.get(f"{newsroom.base_url}/{outlet}")
    assert response.status_code == 301
    assert re.fullmatch(f"/{outlet}/", response.headers["location"])
