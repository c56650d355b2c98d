"""The archive index, its pages, the sitemap and robots.txt."""

from __future__ import annotations

import pytest

from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import published_edition
from techissue.site.pages import ARCHIVE_PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_it_lists_published_editions_newest_first(client) -> None:
    published_edition(title="Older one")
    published_edition(title="Newer one")
    services.draft_edition()

    html = client.get("/").content.decode()

    assert html.index("Newer one") < html.index("Older one")
    assert "/e/3-" not in html


def test_it_pages_through_a_long_archive(client) -> None:
    for number in range(1, ARCHIVE_PAGE_SIZE + 3):
        services.publish_edition(Edition.objects.create(number=number, title=f"Edition {number}"))

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()
    beyond = client.get("/?page=99").content.decode()

    assert f"Edition {ARCHIVE_PAGE_SIZE + 2}<" in first and "Edition 1<" not in first
    assert "Edition 1<" in second and 'rel="prev" href="?page=1"' in second
    assert beyond == second


def test_it_says_so_when_nothing_is_published(client) -> None:
    assert "아직 게시된 호가 없습니다" in client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()


def test_it_lists_editions_in_the_sitemap(client) -> None:
    edition = published_edition()
    services.draft_edition()

    xml = client.get("/sitemap.xml").content.decode()

    assert f"<loc>http://testserver{edition.get_absolute_url()}</loc>" in xml
    assert xml.count("<url>") == 2


def test_it_serves_robots_txt_pointing_to_the_sitemap(client) -> None:
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in text and "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
