"""Desk benchmark: server time of the editor's desk page and of a pick, next to the admin's change list.

Builds N open stories (one or two articles each, over 20 outlets) in a fresh database, then times, in
the same run and through the same in-process Django client (so every figure is server time: URL
routing, middleware, the view, the queries and the template):
  - GET /editor/desk/                       the desk's first page (40 cards, members prefetched)
  - POST /editor/desk/story/<id>/decide/    a pick, answered with the changed card (an htmx request)
  - GET /admin/curation/story/              the baseline: Django's admin change list over the same rows
Prints p50 and p95 for each at every size, the desk/change-list p95 ratio (goal ≤ 2) and the pick p95
(goal ≤ 300 ms). Run: `.venv/bin/python -m bench.desk [--sizes 2000 20000 --repeat 40]`
(`DATABASE_URL=postgres://… ` for PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta


def setup_django() -> None:
    os.environ.setdefault("TECHISSUE_DATA_DIR", tempfile.mkdtemp(prefix="techissue-bench-desk-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's "testserver" host in
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def build(size: int) -> None:
    """`size` open stories, best first by score; every third has a second article from another outlet."""
    from django.core.management import call_command
    from django.utils import timezone

    from techissue.curation.models import Story, StoryMember
    from techissue.sources.models import Article, Feed

    call_command("flush", "--noinput", verbosity=0)
    now = timezone.now()
    feeds = Feed.objects.bulk_create(
        Feed(url=f"http://127.0.0.1:9/outlet-{n}.xml", title=f"Outlet {n}", status="ok") for n in range(20)
    )
    articles, stories = [], []
    for n in range(size):
        when = now - timedelta(minutes=n)
        count = 2 if n % 3 == 0 else 1
        for k in range(count):
            feed = feeds[(n + k * 7) % len(feeds)]
            articles.append(
                Article(
                    feed=feed,
                    outlet=feed.title,
                    guid=f"g{n}-{k}",
                    url=f"http://127.0.0.1:9/a/{n}/{k}",
                    canonical_url=f"http://127.0.0.1:9/a/{n}/{k}",
                    title=f"반도체 수출 {n}번째 소식 {k}",
                    published_at=when,
                    lang="ko" if n % 2 else "en",
                    text="본문 " * 200,
                )
            )
        stories.append(
            Story(
                title=f"반도체 수출 {n}번째 소식",
                summary="요약 문장 하나. " * 4,
                languages="ko,en" if count == 2 else ("ko" if n % 2 else "en"),
                score=size - n,
                score_parts={"coverage": 0.4, "outlet": 0.5, "recency": 0.9, "novelty": 1.0, "taste": 0.5},
                last_article_at=when,
                first_article_at=when,
                outlet_count=count,
                article_count=count,
            )
        )
    Article.objects.bulk_create(articles, batch_size=2000)
    Story.objects.bulk_create(stories, batch_size=2000)
    by_guid = dict(Article.objects.values_list("guid", "id"))
    story_ids = list(Story.objects.order_by("-score").values_list("id", flat=True))
    members = [
        StoryMember(story_id=story_ids[n], article_id=by_guid[f"g{n}-{k}"])
        for n in range(size)
        for k in range(2 if n % 3 == 0 else 1)
    ]
    StoryMember.objects.bulk_create(members, batch_size=2000)


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    call()  # warm the caches (templates, first queries) once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def measure(size: int, repeat: int) -> dict[str, tuple[float, float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from techissue.curation.models import Story

    build(size)
    user = get_user_model().objects.create_superuser("bench", "bench@127.0.0.1", "bench-password-1")
    client = Client()
    client.force_login(user)
    ids = iter(Story.objects.order_by("-score").values_list("id", flat=True)[: repeat + 1])

    def desk() -> None:
        assert client.get("/editor/desk/").status_code == 200

    def changelist() -> None:
        assert client.get("/admin/curation/story/").status_code == 200

    def pick() -> None:
        response = client.post(
            f"/editor/desk/story/{next(ids)}/decide/", {"decision": "picked"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200

    return {"change list": timed(changelist, repeat), "desk page": timed(desk, repeat), "pick": timed(pick, repeat)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    print(f"database: {connection.vendor}; {args.repeat} timed requests each, after one warm-up")
    print(f"{'open stories':>12}  {'request':<12} {'p50 ms':>8} {'p95 ms':>8}")
    for size in args.sizes:
        results = measure(size, args.repeat)
        for name, (p50, p95) in results.items():
            print(f"{size:>12,}  {name:<12} {p50:>8.1f} {p95:>8.1f}")
        ratio = results["desk page"][1] / results["change list"][1]
        pick95 = results["pick"][1]
        print(
            f"{size:>12,}  desk p95 / change list p95 = {ratio:.2f} (goal ≤ 2: {'met' if ratio <= 2 else 'NOT met'}); "
            f"pick p95 {pick95:.1f} ms (goal ≤ 300 ms: {'met' if pick95 <= 300 else 'NOT met'})"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
