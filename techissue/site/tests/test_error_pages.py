"""404 and 500 pages in the reader's language, styled like the site, with a way back."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_in_korean_by_default(client) -> None:
    response = client.get("/e/999-nothing/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ko">' in html and "페이지를 찾을 수 없습니다" in html
    assert 'action="/search/"' in html


def test_a_missing_page_answers_in_english_to_an_english_reader(client) -> None:
    html = client.get("/p/nothing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in html and "Page not found" in html


def test_the_error_page_needs_neither_the_database_nor_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "잠시 문제가 생겼습니다" in html and "Something went wrong" in html
