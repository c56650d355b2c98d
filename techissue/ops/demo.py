"""The offline demo: the bundled newsroom served on loopback, run through every stage of the real flow."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from techissue.newsroom.server import NewsroomServer, serve_corpus
from techissue.sources.claiming import claim_due_feeds
from techissue.sources.feeds import import_opml, read_opml_source
from techissue.sources.models import Article, Feed
from techissue.sources.services import fetch_feeds

DEMO_CORPUS = settings.PROJECT_DIR / "demo" / "newsroom"
DEMO_EDITOR = "editor"


DEMO_READERS = [
    ("jiwoo.kim@example.com", "김지우", "ko"),
    ("minjun.park@example.com", "박민준", "ko"),
    ("seoyeon.lee@example.com", "이서연", "ko"),
    ("alex.morgan@example.com", "Alex Morgan", "en"),
    ("priya.shah@example.com", "Priya Shah", "en"),
]


@dataclass
class DemoReport:
    newsroom_url: str
    feeds: int
    feeds_failed: int
    new_articles: int
    articles_by_lang: dict[str, int]
    editor_password: str
    stories: int = 0
    edition_url: str = ""
    delivered: int = 0
    password_note: str = ""
    edition_number: int = 0


class DemoRefused(Exception):
    """The data dir holds data the demo did not make: the demo will not touch it."""


STATE_FILE = "demo.json"


@dataclass
class DemoState:
    """What the demo made in its data dir: its editions and its editor's first password.

    The file is also the mark of a demo data dir: without it, a database that holds anything is
    someone's real data, and the demo refuses it.
    """

    path: Path
    editions: list[int] = field(default_factory=list)
    password: str = ""

    @classmethod
    def load(cls, data_dir: Path) -> DemoState | None:
        path = data_dir / STATE_FILE
        if not path.is_file():
            return None
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(path, editions=list(raw.get("editions", [])), password=str(raw.get("password", "")))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Owner only: it holds the demo editor's first password.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"editions": self.editions, "password": self.password}, handle)


def holds_real_data() -> bool:
    """True when the database has feeds, readers, editions or accounts: someone's data, not an empty one."""
    from techissue.audience.models import Subscriber
    from techissue.editions.models import Edition

    return (
        Feed.objects.exists()
        or Subscriber.objects.exists()
        or Edition.objects.exists()
        or get_user_model().objects.exists()
    )


def claim_data_dir(data_dir: Path) -> DemoState:
    """The demo's state in this data dir; an empty database becomes a demo one, any other is refused."""
    state = DemoState.load(data_dir)
    if state is not None:
        return state
    if holds_real_data():
        raise DemoRefused(
            f"the data dir {data_dir} (database {settings.DATABASES['default']['NAME']}) holds data the demo "
            "did not make, and the demo never changes real data. Run it on a data dir of its own: "
            "TECHISSUE_DATA_DIR=var/demo techissue demo (the default when TECHISSUE_DATA_DIR is not set), "
            "and without DATABASE_URL."
        )
    state = DemoState(data_dir / STATE_FILE)
    state.save()
    return state


# The demo newsroom is served on loopback, which the fetcher refuses unless it is allowed on purpose.
DEMO_FETCH_NETWORKS = ["127.0.0.0/8"]


def allow_demo_networks() -> None:
    """Let this process's fetcher reach the demo newsroom on loopback (and only add to what the operator set)."""
    allowed = list(settings.TECHISSUE_FETCH_ALLOW_NETWORKS)
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = allowed + [net for net in DEMO_FETCH_NETWORKS if net not in allowed]


def start_newsroom(port: int, corpus: Path = DEMO_CORPUS) -> NewsroomServer:
    """Serve the demo newsroom with its dates moved so the newest article is from just now."""
    allow_demo_networks()
    return serve_corpus(corpus, port=port, shift_to=timezone.now())


def import_newsroom_feeds(newsroom: NewsroomServer) -> int:
    """Import the newsroom's OPML over HTTP, the way an editor would bring in a list of feeds."""
    report = import_opml(read_opml_source(newsroom.opml_url))
    return len(report.added) + len(report.existing)


def ensure_editor(state: DemoState, username: str = DEMO_EDITOR) -> tuple[str, str]:
    """The demo editor account, made once with a random password; returns (password to show, note).

    A later run keeps the account and its password: it shows the first password again while it
    still works, and says so when the editor has set another one.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        state.password = secrets.token_urlsafe(9)
        user = user_model(username=username, email="editor@localhost", is_staff=True, is_superuser=True)
        user.set_password(state.password)
        user.save()
        state.save()
        return state.password, "made for this demo"
    if state.password and user.check_password(state.password):
        return state.password, "unchanged since the first run"
    return "(the one you set)", "unchanged: the demo never resets it (techissue changepassword editor sets a new one)"


def use_mail_sink(port: int) -> None:
    """Send every mail of this process to the demo's own SMTP sink on loopback."""
    from techissue.delivery.periodic import reset

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    reset()


def subscribe_demo_readers() -> int:
    """Demo readers subscribe and confirm through the real actions (each gets a confirmation mail)."""
    from techissue.audience.models import Subscriber
    from techissue.audience.subscribe import confirm_subscription, request_subscription

    for email, name, language in DEMO_READERS:
        if Subscriber.objects.with_email(email).exists():
            continue  # subscribed on an earlier run; one who left since stays away
        request_subscription(email, name=name, language=language, ip="127.0.0.1")
        subscriber = Subscriber.objects.with_email(email).get()
        confirm_subscription(subscriber)
    return Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count()


def send_first_edition(say: Callable[[str], None], news_came_in: bool, state: DemoState) -> tuple[str, int]:
    """Draft an edition from the top stories, publish it and deliver it to every demo reader.

    A run that brought no news sends nothing new: it shows the edition it sent before. Only the
    demo's own editions (`state.editions`) are ever sent: a draft the editor made stays a draft.
    """
    from techissue.delivery import periodic
    from techissue.delivery.services import finish_if_done, send_progress
    from techissue.editions.models import Edition
    from techissue.editions.render import absolute_url
    from techissue.editions.services import draft_edition, start_sending

    own = Edition.objects.filter(id__in=state.editions).exclude(status=Edition.Status.CANCELLED)
    edition = own.order_by("-number").first()
    if edition is None or (news_came_in and edition.status in {Edition.Status.SENT, Edition.Status.SENDING}):
        edition = draft_edition(size=8, language=settings.LANGUAGE_CODE)
        edition.subtitle = "AI 칩과 메모리, 모델 경쟁, 그 뒤의 돈: 데모 뉴스룸에서 고른 이번 주 소식"
        edition.editorial_md = DEMO_EDITORIAL
        edition.save(update_fields=["subtitle", "editorial_md", "updated_at"])
        state.editions.append(edition.id)
        state.save()
        say(f"drafted edition #{edition.number} with {edition.picks.count()} picks")
    if edition.status in {Edition.Status.DRAFT, Edition.Status.SCHEDULED}:
        edition = start_sending(edition)
    while periodic.tick():
        pass
    finish_if_done(edition.id)
    progress = send_progress(edition)
    return absolute_url(edition.get_absolute_url()), progress["sent"]


DEMO_EDITORIAL = """이번 호는 데모 뉴스룸에서 기계가 고른 이야기로 채웠습니다. 실제 편집자라면 여기에 한 주를 꿰는 사설을 씁니다.

> 좋은 뉴스레터는 많이 모으는 데서가 아니라 잘 버리는 데서 나옵니다.

*This edition was drafted by techissue from the offline demo newsroom; an editor writes this part.*
"""


def run_demo(newsroom: NewsroomServer, say: Callable[[str], None], state: DemoState) -> DemoReport:
    """Collect the demo newsroom through the real fetch path, then the later stages."""
    count = import_newsroom_feeds(newsroom)
    say(f"imported {count} feeds from {newsroom.opml_url}")
    feeds = claim_due_feeds(
        feed_ids=list(Feed.objects.filter(url__startswith=newsroom.base_url).values_list("id", flat=True))
    )
    summary = fetch_feeds(
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
    from techissue.curation.models import Story
    from techissue.curation.services import curate

    curated = curate()
    say(
        f"curated: {curated.copies} copies found, {curated.new_stories} new stories, "
        f"{curated.rescored} ranked and summarised in {curated.seconds:.1f} s"
    )
    readers = subscribe_demo_readers()
    say(f"{readers} demo readers subscribed and confirmed")
    edition_url, delivered = send_first_edition(say, news_came_in=summary.new_articles > 0, state=state)
    say(f"edition published at {edition_url} and delivered to {delivered} readers")
    from techissue.editions.models import Edition

    password, password_note = ensure_editor(state)
    return DemoReport(
        newsroom_url=newsroom.base_url,
        feeds=count,
        feeds_failed=summary.feeds_failed,
        new_articles=summary.new_articles,
        articles_by_lang=by_lang,
        editor_password=password,
        password_note=password_note,
        stories=Story.objects.ranked().count(),
        edition_url=edition_url,
        delivered=delivered,
        edition_number=Edition.objects.filter(id__in=state.editions)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0,
    )
