"""Readers switch the public site between Korean and English with a link, on any page."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_it_offers_english_on_a_korean_page_and_switches(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'href="/language/?language=en' in page
    response = client.get("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="en">' in page and "한국어" in page


def test_it_ignores_an_unknown_language_and_a_foreign_next(client):
    response = client.get("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/" and settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_it_goes_back_to_the_referring_page_without_next(client):
    response = client.get("/language/", {"language": "ko"}, HTTP_REFERER="http://testserver/e/1-x/")
    assert response["Location"] == "http://testserver/e/1-x/"
