"""The offline demo: the bundled newsroom served on loopback, run through every stage of the real flow."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from techissue.newsroom.server import NewsroomServer, serve_corpus
from techissue.sources import services as sources
from techissue.sources.models import Article, Feed

DEMO_CORPUS = settings.PROJECT_DIR / "demo" / "newsroom"
DEMO_EDITOR = "editor"


@dataclass
class DemoReport:
    newsroom_url: str
    feeds: int
    feeds_failed: int
    new_articles: int
    articles_by_lang: dict[str, int]
    editor_password: str


def start_newsroom(port: int, corpus: Path = DEMO_CORPUS) -> NewsroomServer:
    """Serve the demo newsroom with its dates moved so the newest article is from just now."""
    return serve_corpus(corpus, port=port, shift_to=timezone.now())


def import_newsroom_feeds(newsroom: NewsroomServer) -> int:
    """Import the newsroom's OPML over HTTP, the way an editor would bring in a list of feeds."""
    report = sources.import_opml(sources.read_opml_source(newsroom.opml_url))
    return len(report.added) + len(report.existing)


def reset_editor_password(username: str = DEMO_EDITOR) -> str:
    """A demo editor account (staff, superuser) with a fresh random password, printed for the person at the keyboard."""
    password = secrets.token_urlsafe(9)
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username, defaults={"email": "editor@localhost"})
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


def run_demo(newsroom: NewsroomServer, say: Callable[[str], None]) -> DemoReport:
    """Collect the demo newsroom through the real fetch path, then the later stages."""
    count = import_newsroom_feeds(newsroom)
    say(f"imported {count} feeds from {newsroom.opml_url}")
    feeds = sources.claim_due_feeds(
        feed_ids=list(Feed.objects.filter(url__startswith=newsroom.base_url).values_list("id", flat=True))
    )
    summary = sources.fetch_feeds(
        feeds,
        on_feed_done=lambda feed, outcome: say(
            f"  fetched {feed.title or feed.url}: {len(outcome.entries)} entries"
            + ("" if outcome.ok else f" — error: {outcome.error_message}")
        ),
    )
    say(f"stored {summary.new_articles} new articles ({summary.seen_again} seen before) in {summary.seconds:.1f} s")
    by_lang: dict[str, int] = {}
    for lang in Article.objects.values_list("lang", flat=True):
        by_lang[lang or "?"] = by_lang.get(lang or "?", 0) + 1
    return DemoReport(
        newsroom_url=newsroom.base_url,
        feeds=count,
        feeds_failed=summary.feeds_failed,
        new_articles=summary.new_articles,
        articles_by_lang=by_lang,
        editor_password=reset_editor_password(),
    )
