"""An article added by its address is fetched politely, stored, curated into a story; other pages get words."""

from __future__ import annotations

import pytest

from techissue.curation.models import StoryMember
from techissue.editor.tests.pages import serve_pages
from techissue.sources.models import Article

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(scope="module")
def site():
    with serve_pages() as base:
        yield base


def test_it_fetches_stores_and_curates_an_article(editor, site):
    response = editor.post(
        "/editor/desk/add/", {"url": f"{site}/news/chips?utm_source=x"}, HTTP_ACCEPT_LANGUAGE="ko", **HX
    )
    assert response.status_code == 200, response.content.decode()
    article = Article.objects.get()
    assert article.title.startswith("반도체 수출") and "고대역폭 메모리" in article.text
    assert article.canonical_url == f"{site}/news/chips" and article.lang == "ko"
    assert StoryMember.objects.filter(article=article).exists()
    assert "스토리에 추가했습니다" in response.content.decode()
    assert "desk:refresh" in response["HX-Trigger"]

    again = editor.post("/editor/desk/add/", {"url": f"{site}/news/chips"}, HTTP_ACCEPT_LANGUAGE="ko", **HX)
    assert "이미 있는 기사입니다" in again.content.decode() and Article.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/", "기사가 아닌 것 같습니다"),
        ("/report.pdf", "웹 페이지가 아닙니다"),
        ("/missing", "페이지를 가져오지 못했습니다"),
    ],
)
def test_it_says_in_words_why_a_page_is_not_added(editor, site, path, words):
    response = editor.post("/editor/desk/add/", {"url": f"{site}{path}"}, HTTP_ACCEPT_LANGUAGE="ko", **HX)
    assert response.status_code == 400 and words in response.content.decode()
    assert not Article.objects.exists()


def test_it_refuses_what_is_not_a_web_address(editor):
    response = editor.post("/editor/desk/add/", {"url": "file:///etc/passwd"}, HTTP_ACCEPT_LANGUAGE="en", **HX)
    assert response.status_code == 400 and "not a web address" in response.content.decode()


def test_the_bookmarklet_lands_on_a_confirming_form(editor, site):
    page = editor.get("/editor/desk/add/", {"url": f"{site}/news/chips"}).content.decode()
    assert f'value="{site}/news/chips"' in page and 'method="post"' in page
    assert not Article.objects.exists()  # a GET adds nothing


def test_the_plain_form_redirects_to_the_story(editor, site):
    response = editor.post("/editor/desk/add/", {"url": f"{site}/news/chips"})
    assert response.status_code == 302 and "/editor/desk/?story=" in response["Location"]
