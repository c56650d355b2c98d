"""`techissue feeds add|import|export|list` from the command line."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from techissue.sources.models import Feed

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("feeds", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_adds_a_feed_by_its_url(demo_newsroom):
    outlet = demo_newsroom.corpus.outlets[0]
    run("add", demo_newsroom.feed_url(outlet.slug), "--weight", "1.5", "--lang", outlet.lang)
    feed = Feed.objects.get()
    assert feed.url == demo_newsroom.feed_url(outlet.slug)
    assert feed.title == outlet.name
    assert feed.weight == 1.5
    assert feed.status == "new"


def test_it_finds_the_feed_of_a_page_through_autodiscovery(demo_newsroom):
    outlet = demo_newsroom.corpus.outlets[1]
    run("add", demo_newsroom.home_url(outlet.slug))
    assert Feed.objects.get().url == demo_newsroom.feed_url(outlet.slug)


def test_it_refuses_a_document_that_links_to_no_feed(demo_newsroom):
    # An OPML file is XML but not a feed, and links to no feed: the error says so instead of storing junk.
    with pytest.raises(CommandError, match="not a feed"):
        run("add", demo_newsroom.opml_url)
    assert not Feed.objects.exists()


def test_it_refuses_something_that_is_not_a_url():
    with pytest.raises(CommandError, match="not an http"):
        run("add", "ftp://example.invalid/feed")


def test_it_lists_feeds_as_json_in_the_documented_shape(demo_newsroom):
    run("import", demo_newsroom.opml_url)
    rows = json.loads(run("list", "--json"))
    assert len(rows) == len(demo_newsroom.corpus.outlets)
    assert set(rows[0]) == {
        "id",
        "url",
        "title",
        "status",
        "last_error",
        "articles",
        "last_fetched_at",
        "next_fetch_at",
    }
    assert {row["status"] for row in rows} == {"new"}


def test_it_round_trips_opml_through_export_and_import(demo_newsroom, tmp_path: Path, capsysbinary):
    run("import", demo_newsroom.opml_url)
    before = sorted(Feed.objects.values_list("url", "title"))
    call_command("feeds", "export")
    exported = capsysbinary.readouterr().out
    path = tmp_path / "feeds.opml"
    path.write_bytes(exported)
    Feed.objects.all().delete()
    out = run("import", str(path))
    assert f"{len(before)} added" in out
    assert sorted(Feed.objects.values_list("url", "title")) == before


def test_it_explains_an_unreadable_opml_file(tmp_path: Path):
    path = tmp_path / "broken.opml"
    path.write_text("<opml><body><outline", encoding="utf-8")
    with pytest.raises(CommandError, match="OPML"):
        run("import", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        run("import", str(tmp_path / "missing.opml"))
