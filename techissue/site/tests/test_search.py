"""Search across the archive: Korean inside longer words, short words, highlighting, ranking, pages, bad queries."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from django.utils import timezone

from techissue.editions import lifecycle
from techissue.editions.models import Pick
from techissue.editions.tests.builders import published_edition
from techissue.site import search
from techissue.site.models import Post
from techissue.site.posts import delete_post, save_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_dir")]


def test_a_korean_word_finds_it_inside_a_longer_word(client) -> None:
    edition = published_edition(title="이번 주", editorial="# 반도체업계의 겨울\n\n메모리 재고가 쌓였다.")
    published_edition(title="다른 주", editorial="# 클라우드 이야기\n\n데이터센터 전력.")

    html = client.get("/search/", {"q": "반도체"}).content.decode()

    assert f'href="{edition.get_absolute_url()}editorial/"' in html
    assert "<mark>반도체</mark>업계" in html
    assert "클라우드 이야기" not in html


def test_it_searches_pick_headlines_and_comments(client) -> None:
    edition = published_edition(title="7호")
    pick = edition.picks.first()
    assert pick is not None
    Pick.objects.filter(pk=pick.pk).update(headline="SK하이닉스, HBM4 양산", comment="엔비디아 납품이 관건")
    search.rebuild_index()

    assert [hit.url for hit in search.search("HBM4").hits] == [edition.get_absolute_url()]
    assert [hit.url for hit in search.search("납품").hits] == [edition.get_absolute_url()]


def test_short_words_and_decomposed_hangul_match_too() -> None:
    published_edition(title="AI 칩의 한 주", editorial="# 칩 이야기\n\nAI 가속기 시장.")

    assert search.search("칩").total == 2  # the edition's title and the editorial
    assert search.search("ai").total == 2  # case does not matter
    assert search.search(unicodedata.normalize("NFD", "가속기")).total == 1


def test_every_word_must_match_and_titles_rank_first() -> None:
    published_edition(title="메모리 가격", editorial="# 본문에만\n\n메모리 메모리 가격 이야기.")
    published_edition(title="다른 이야기", editorial="# 메모리 가격 전망\n\n가격.")

    hits = search.search("메모리 가격").hits

    assert (
        hits[0].title_html.startswith("<mark>메모리</mark> <mark>가격</mark>")
        or "<mark>메모리</mark>" in hits[0].title_html
    )
    assert search.search("메모리 없는단어").total == 0


def test_results_are_escaped_and_highlighted_safely(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        save_post(
            Post(
                title="<b>태그</b> 이야기",
                body_md="본문에 <script>alert(1)</script> 태그가 있다.",
                published_at=timezone.now(),
            )
        )

    hit = search.search("태그").hits[0]

    assert "<b>" not in hit.title_html and "&lt;b&gt;" in hit.title_html  # a title is text: shown, escaped
    assert "<script>" not in hit.snippet_html
    assert "<mark>태그</mark>" in hit.snippet_html


@pytest.mark.parametrize("query", ['"', "%", "_", "*", "(", "AND", 'a"b', "NEAR(", "' OR 1=1 --", "x" * 5000, "\x00"])
def test_odd_queries_never_fail(client, query: str) -> None:
    published_edition(title="반도체", editorial="# 글\n\n본문.")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


def test_it_pages_through_many_results(client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(12):
            save_post(
                Post(
                    title=f"반도체 소식 {number}",
                    body_md="반도체.",
                    published_at=timezone.now() - timedelta(hours=number),
                )
            )

    first = search.search("반도체", page=1)
    second = search.search("반도체", page=2)
    beyond = search.search("반도체", page=99)

    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (12, 2, 10, 2)
    assert beyond.page == 2 and second.start == 11
    html = client.get("/search/", {"q": "반도체", "page": "2"}).content.decode()
    assert 'rel="prev" href="?q=%EB%B0%98%EB%8F%84%EC%B2%B4&amp;page=1"' in html


def test_drafts_and_future_posts_are_not_found() -> None:
    published_edition(title="공개", editorial="# 공개된 글\n\n양자컴퓨터.")
    save_post(Post(title="예약된 글", body_md="양자컴퓨터 예약.", published_at=timezone.now() + timedelta(days=1)))

    assert search.search("양자컴퓨터").total == 1


def test_the_index_follows_changes_to_editions_and_posts(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        edition = published_edition(title="처음 제목", editorial="# 글\n\n본문.")
    assert search.search("처음 제목").total == 1

    with django_capture_on_commit_callbacks(execute=True):
        edition.title = "바뀐 제목"
        edition.save()
        lifecycle.content_changed(edition)
        post = save_post(Post(title="새 에세이", body_md="새로 쓴 글.", published_at=timezone.now()))

    assert search.search("처음 제목").total == 0 and search.search("바뀐 제목").total == 1
    assert search.search("에세이").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        delete_post(post)
    assert search.search("에세이").total == 0
