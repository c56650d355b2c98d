"""Editorials as posts of a magazine: their own page and title, neighbours, the index, the feed, standalone essays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from techissue.editions.tests.builders import published_edition
from techissue.site.export import export_site, file_for
from techissue.site.models import Post

pytestmark = pytest.mark.django_db

EDITORIAL = (
    "# 곡괭이와 청바지\n\n골드러시에서 돈을 번 쪽은 곡괭이를 판 사람이었다. 올해 AI 반도체도 그렇다.\n\n둘째 문단."
)


def essay(title: str = "Why memory is the new oil", days_ago: int = 0, **fields: object) -> Post:
    return Post.objects.create(
        title=title,
        body_md=fields.pop("body_md", "HBM supply sets the pace of the AI build-out."),  # type: ignore[arg-type]
        language=fields.pop("language", "en"),  # type: ignore[arg-type]
        published_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def test_it_gives_an_editorial_its_own_page_with_its_own_title(client) -> None:
    edition = published_edition(title="3호", editorial=EDITORIAL)

    response = client.get(f"{edition.get_absolute_url()}editorial/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>곡괭이와 청바지</h1>" in html and "<h1>3호</h1>" not in html
    assert html.count("곡괭이와 청바지") >= 2  # the title, and never the heading again in the text
    assert "<h1>곡괭이와 청바지</h1>" in html and html.count("<h1>") == 1
    assert "1분" in html or "1 min read" in html
    assert "이번 호에 실린 글" in html or "In this edition" in html
    assert f'href="{edition.get_absolute_url()}"' in html
    assert '<meta property="og:image" content="http://127.0.0.1:8000/e/' in html


def test_it_titles_an_editorial_without_a_heading_by_its_first_sentence(client) -> None:
    edition = published_edition(title="4호", editorial="메모리 가격이 다시 오른다. 이유는 셋이다.")

    html = client.get(f"{edition.get_absolute_url()}editorial/").content.decode()

    assert "<h1>메모리 가격이 다시 오른다.</h1>" in html


def test_it_takes_the_editors_title_and_subtitle_from_the_post(client) -> None:
    edition = published_edition(title="5호", editorial="본문입니다. 길게 씁니다.")
    Post.objects.create(edition=edition, title="엔비디아 다음은 누구인가", subtitle="칩 전쟁의 2막", byline="편집장 김")

    html = client.get(f"{edition.get_absolute_url()}editorial/").content.decode()

    assert "<h1>엔비디아 다음은 누구인가</h1>" in html and "칩 전쟁의 2막" in html and "편집장 김" in html


def test_an_edition_without_an_editorial_has_no_post(client) -> None:
    edition = published_edition(title="6호", editorial="")

    assert client.get(f"{edition.get_absolute_url()}editorial/").status_code == 404
    assert "editorial/" not in client.get(edition.get_absolute_url()).content.decode()


def test_posts_link_to_their_older_and_newer_neighbours(client) -> None:
    first = published_edition(title="1호", editorial="# 첫 글\n\n본문.")
    middle = essay("A standalone essay", days_ago=0)
    Post.objects.filter(pk=middle.pk).update(published_at=first.published_at + timedelta(seconds=1))
    last = published_edition(title="2호", editorial="# 셋째 글\n\n본문.")
    Post.objects.filter(pk=middle.pk).update(published_at=last.published_at - timedelta(microseconds=1))

    html = client.get(f"/p/{middle.slug}/").content.decode()

    assert f'rel="prev" href="{first.get_absolute_url()}editorial/"' in html
    assert f'rel="next" href="{last.get_absolute_url()}editorial/"' in html


def test_the_magazine_lists_editorials_and_essays_newest_first(client) -> None:
    published_edition(title="1호", editorial="# 오래된 글\n\n본문.")
    essay("Fresh essay")
    essay("Not yet", days_ago=-3)  # scheduled for later: not public

    html = client.get("/magazine/").content.decode()

    assert html.index("Fresh essay") < html.index("오래된 글")
    assert "Not yet" not in html
    assert 'data-csrf-url="/csrf/"' in html  # readers can follow from here
    assert client.get("/p/not-yet/").status_code == 404


def test_the_magazine_has_its_own_atom_feed_with_whole_texts(client) -> None:
    published_edition(title="1호", editorial="# 곡괭이와 청바지\n\n**굵게** 쓴 본문.")

    feed = client.get("/magazine/feed.atom").content.decode()

    assert '<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>' in feed
    assert "<title>곡괭이와 청바지</title>" in feed
    assert "&lt;strong&gt;굵게&lt;/strong&gt;" in feed


def test_a_hostile_essay_is_sanitised_everywhere(client) -> None:
    post = essay("<script>alert(1)</script>", body_md="<img src=x onerror=alert(1)> [x](javascript:alert(1))")

    html = client.get(f"/p/{post.slug}/").content.decode()
    feed = client.get("/magazine/feed.atom").content.decode()

    assert "<script>alert(1)" not in html and "onerror" not in html and 'href="javascript:' not in html
    assert "onerror" not in feed and "href=&quot;javascript:" not in feed


def test_the_export_writes_posts_and_removes_them_when_they_go(public_dir: Path) -> None:
    edition = published_edition(title="1호", editorial="# 글\n\n본문.")
    post = essay("Standalone")
    export_site()

    editorial_file = public_dir / file_for(f"{edition.get_absolute_url()}editorial/")
    post_file = public_dir / file_for(f"/p/{post.slug}/")
    assert editorial_file.is_file() and post_file.is_file()
    assert (post_file.parent / "card.png").is_file()
    assert (public_dir / "magazine" / "index.html").is_file() and (public_dir / "magazine" / "feed.atom").is_file()

    post.published_at = None
    post.save()
    edition.editorial_md = ""
    edition.save()
    export_site()

    assert not post_file.exists() and not editorial_file.exists()
    assert (public_dir / file_for(edition.get_absolute_url())).is_file()
