"""Archive search over 500 generated editions: p50/p95 of the trigram search next to a LIKE '%…%' scan, per database.

    .venv/bin/python -m bench.search                 # SQLite, then PostgreSQL when reachable
    .venv/bin/python -m bench.search --database sqlite

Goal: p95 ≤ 100 ms, and at least 10× faster than the scan over the same rows.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EDITIONS = 500
PICKS = 10
ROUNDS = 20
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "techissue_bench_search"
QUERIES = ["반도체", "메모리 가격", "데이터센터", "엔비디아", "오픈 모델", "HBM", "AI", "칩", "funding round", "업계"]

# A realistic archive: a large vocabulary with a long tail (Zipf), in which each query word stands in a few
# percent of the editions. (A small vocabulary would put every word in every row and flatter the scan, which
# then stops at the first character of each row.)
VOCABULARY = 5000
QUERY_SHARE = 0.05
SYLLABLES = [chr(0xAC00 + code) for code in range(0, 11172, 37)]
LATIN = "abcdefghijklmnopqrstuvwxyz"


class Corpus:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        korean = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(VOCABULARY)]
        latin = ["".join(rng.choice(LATIN) for _ in range(rng.randint(3, 9))) for _ in range(VOCABULARY // 4)]
        self.words = korean + latin
        self.weights = [1 / (rank + 1) for rank in range(len(self.words))]
        rng.shuffle(self.weights)

    def sentence(self, length: int) -> str:
        words = self.rng.choices(self.words, weights=self.weights, k=length)
        for query in QUERIES:  # each query's words are in about QUERY_SHARE of the sentences' documents
            if self.rng.random() < QUERY_SHARE / 8:
                for word in query.split():
                    words[self.rng.randrange(length)] = word + self.rng.choice(["", "업계", "의", "s"])
        return " ".join(words) + "."


def generate(corpus: Corpus) -> None:
    from django.utils import timezone

    from techissue.editions.models import Edition, Pick

    now = timezone.now()
    editions = Edition.objects.bulk_create(
        Edition(
            number=number,
            title=f"{number}호 " + corpus.sentence(4),
            subtitle=corpus.sentence(6),
            language="ko",
            editorial_md="# " + corpus.sentence(5) + "\n\n" + " ".join(corpus.sentence(12) for _ in range(14)),
            status="sent",
            slug=f"issue-{number}",  # bulk_create skips save(), which fills the slug
            published_at=now - timezone.timedelta(days=EDITIONS - number),
        )
        for number in range(1, EDITIONS + 1)
    )
    Pick.objects.bulk_create(
        Pick(
            edition=edition,
            position=position,
            headline=corpus.sentence(7),
            url=f"https://news.example/{edition.number}/{position}",
            outlets="연합뉴스, Reuters",
            comment=corpus.sentence(15),
        )
        for edition in editions
        for position in range(PICKS)
    )


def like_scan(query: str) -> int:
    """The baseline: every word as LIKE '%word%' over editions, editorials, pick headlines and comments."""
    from django.db.models import Q

    from techissue.editions.models import Edition

    found = Edition.objects.published()
    for word in query.split():
        found = found.filter(
            Q(title__icontains=word)
            | Q(subtitle__icontains=word)
            | Q(editorial_md__icontains=word)
            | Q(picks__headline__icontains=word)
            | Q(picks__comment__icontains=word)
        )
    found = found.distinct()
    total = found.count()
    list(found.order_by("-number")[:10])
    return total


def timed(function, query: str) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function(query)
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_one(database: str) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from techissue.site import search

    generate(Corpus(random.Random(7)))
    started = time.perf_counter()
    documents = search.rebuild_index()
    indexed = time.perf_counter() - started
    for query in QUERIES:  # warm both paths once
        search.search(query)
        like_scan(query)
    ours = [timed(search.search, query) for _ in range(ROUNDS) for query in QUERIES]
    scan = [timed(like_scan, query) for _ in range(ROUNDS) for query in QUERIES]
    if os.environ.get("BENCH_SEARCH_DETAIL"):
        for query in QUERIES:
            mine = statistics.median(timed(search.search, query) for _ in range(ROUNDS))
            theirs = statistics.median(timed(like_scan, query) for _ in range(ROUNDS))
            print(f"  {query!r:18} search {mine:7.2f} ms  scan {theirs:7.2f} ms  hits {search.search(query).total}")
    p50, p95 = statistics.median(ours), percentile(ours, 0.95)
    s50, s95 = statistics.median(scan), percentile(scan, 0.95)
    print(f"{database}: {EDITIONS} editions, {documents} documents indexed in {indexed:.2f} s")
    print(f"  trigram search  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms   (goal p95 <= 100 ms: {100 / p95:.1f}x the goal)")
    print(f"  LIKE scan       p50 {s50:7.2f} ms  p95 {s95:7.2f} ms")
    print(f"  ratio scan/search at p95: {s95 / p95:.1f}x (goal >= 10x), at p50: {s50 / p50:.1f}x")


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3, autocommit=True).close()
        return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.database)
        return
    wanted = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in wanted:
        with tempfile.TemporaryDirectory(prefix="bench-search-") as data_dir:
            env = {**os.environ, "TECHISSUE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "techissue.settings"}
            env.pop("DATABASE_URL", None)
            if database == "postgres":
                if not postgres_reachable():
                    print("postgres: not reachable at 127.0.0.1:5432, skipped")
                    continue
                import psycopg

                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
                    admin.execute(f"CREATE DATABASE {PG_NAME}")
                env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
            command = [sys.executable, "-m", "bench.search", "--child", "--database", database]
            subprocess.run(command, env=env, check=True, cwd=Path(__file__).resolve().parents[1])
            if database == "postgres":
                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")


if __name__ == "__main__":
    main()
