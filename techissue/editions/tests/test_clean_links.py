"""Readers follow canonical links: picks, the email, the web page and the Atom feed carry no tracking parameters."""

from __future__ import annotations

import pytest
from django.test import Client

from techissue.editions import lifecycle, services
from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import make_story
from techissue.site.pages import render_edition_page
from techissue.sources.models import Article

pytestmark = pytest.mark.django_db

TRACKED = "https://news.example.com/chips/42?utm_source=rss&utm_medium=feed&id=7&fbclid=abc#top"
CLEAN = "https://news.example.com/chips/42?id=7"


def test_every_reader_facing_link_is_the_clean_address(client: Client) -> None:
    story = make_story("반도체 수출", score=3)
    Article.objects.filter(pk=story.representative_id).update(url=TRACKED, canonical_url=CLEAN)
    edition = services.draft_edition(size=1)
    assert edition.picks.get().url == CLEAN

    make_story("두 번째 이야기", score=1)
    services.add_story(edition, make_story("세 번째", score=0))
    services.update_pick(edition.picks.last(), url=TRACKED.replace("42", "43"))  # typed in by hand
    lifecycle.publish_edition(edition)

    _subject, text, html = prepare_email(edition).personalize("", "https://u", "https://p")
    page = render_edition_page(edition)
    feed = client.get("/feed.atom").content.decode()
    for rendered in (text, html, page, feed):
        assert "utm_" not in rendered and "fbclid" not in rendered
        assert CLEAN.replace("?", "") in rendered.replace("&amp;", "&").replace("?", "")
