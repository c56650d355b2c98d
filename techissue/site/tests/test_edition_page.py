"""An edition's reading page: content, sharing tags, neighbours, the subscribe box and the cache."""

from __future__ import annotations

import pytest

from techissue.editions import services
from techissue.editions.tests.builders import published_edition

pytestmark = pytest.mark.django_db


def test_it_shows_the_edition_for_reading(client) -> None:
    edition = published_edition(title="AI 반도체 전쟁", editorial='> 인용\n\n![칩](/media/chip.png "웨이퍼")')
    edition.subtitle = "이번 주의 흐름"
    edition.save()

    html = client.get(edition.get_absolute_url()).content.decode()

    assert '<html lang="ko">' in html
    assert "<h1>AI 반도체 전쟁</h1>" in html and "이번 주의 흐름" in html
    assert "<blockquote>" in html and "<figcaption>웨이퍼</figcaption>" in html
    assert "word-break:keep-all" in html and "Apple SD Gothic Neo" in html
    assert html.count('class="pick"') == 2
    assert '<meta property="og:title" content="AI 반도체 전쟁">' in html
    assert f'<meta property="og:url" content="http://127.0.0.1:8000{edition.get_absolute_url()}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    card = f"http://127.0.0.1:8000{edition.get_absolute_url()}card.png"
    assert f'<meta property="og:image" content="{card}">' in html


def test_it_has_a_subscribe_form_that_gets_its_token_from_the_cookie(client) -> None:
    edition = published_edition()

    html = client.get(edition.get_absolute_url()).content.decode()

    assert 'action="/subscribe/"' in html and 'name="website"' in html and 'name="email"' in html
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="">' in html
    assert 'data-csrf-cookie="csrftoken" data-csrf-url="/csrf/"' in html
    assert '<noscript><p><a class="subscribe-page" href="/subscribe/">' in html


def test_it_gives_every_reader_the_same_bytes_and_no_cookie(client) -> None:
    from django.test import Client

    edition = published_edition()
    first = Client().get(edition.get_absolute_url())
    second = Client(HTTP_ACCEPT_LANGUAGE="en").get(edition.get_absolute_url())

    assert first.content == second.content
    assert "csrftoken" not in first.cookies and "csrftoken" not in second.cookies


def test_it_links_the_previous_and_next_editions(client) -> None:
    first = published_edition(title="One")
    second = published_edition(title="Two")
    third = published_edition(title="Three")

    html = client.get(second.get_absolute_url()).content.decode()

    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html


def test_it_updates_the_previous_page_when_a_new_edition_appears(client) -> None:
    first = published_edition(title="One")
    assert 'rel="next"' not in client.get(first.get_absolute_url()).content.decode()

    published_edition(title="Two")

    assert 'rel="next"' in client.get(first.get_absolute_url()).content.decode()


def test_it_shows_an_edit_at_once(client) -> None:
    edition = published_edition(title="Before")
    client.get(edition.get_absolute_url())

    edition.title = "After"
    edition.save()

    assert "<h1>After</h1>" in client.get(edition.get_absolute_url()).content.decode()


def test_it_hides_drafts_and_redirects_a_wrong_slug(client) -> None:
    draft = services.draft_edition()
    edition = published_edition(title="Right slug")

    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(f"/e/{edition.number}-wrong/")
    assert response.status_code == 301 and response["Location"] == edition.get_absolute_url()
