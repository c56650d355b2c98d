"""The Atom feed of editions, read by a real feed reader library."""

from __future__ import annotations

import feedparser
import pytest

from techissue.editions import services
from techissue.editions.tests.builders import make_story, published_edition

pytestmark = pytest.mark.django_db


def test_it_is_a_valid_atom_feed_of_published_editions(client) -> None:
    published_edition(title="First")
    second = published_edition(title="Second")
    services.draft_edition()  # never published: not in the feed

    response = client.get("/feed.atom")
    parsed = feedparser.parse(response.content)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert parsed.bozo is False, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.title for entry in parsed.entries] == ["#2 Second", "#1 First"]
    assert parsed.entries[0].link == f"http://127.0.0.1:8000{second.get_absolute_url()}"
    assert parsed.feed.link == "http://127.0.0.1:8000/"


def test_it_carries_hostile_headlines_as_text(client) -> None:
    make_story("<script>alert(1)</script> & 기사", score=999)
    services.publish_edition(services.draft_edition(size=1))

    parsed = feedparser.parse(client.get("/feed.atom").content)

    assert parsed.bozo is False
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 기사" in parsed.entries[0].summary
    assert b"<script>" not in client.get("/feed.atom").content


def test_it_drops_a_cancelled_edition(client) -> None:
    edition = services.publish_edition(services.draft_edition())
    services.cancel_edition(edition)

    assert feedparser.parse(client.get("/feed.atom").content).entries == []
