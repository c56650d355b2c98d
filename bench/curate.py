"""Curate benchmark: `techissue curate --rebuild` on synthetic corpora of 10k and 100k articles.

Prints time and peak RSS for each size, the ratio of the two times against the ratio of the sizes
(near-linear means the time ratio stays close to the size ratio), and an incremental run that adds
500 articles to a 30k-article window. Also the baseline of the same run: kiwipiepy tokenising the
same Korean text on its own, since Korean morphology is the expensive part.
Run: `.venv/bin/python -m bench.curate [--sizes 10000 100000] [--skip-incremental]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.proctree import PeakSampler

BIN = Path(sys.executable).parent


def env_for(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "TECHISSUE_DATA_DIR": str(data_dir), "TECHISSUE_ENV_FILE": os.devnull}
    env.pop("DATABASE_URL", None)
    env.setdefault("DJANGO_SETTINGS_MODULE", "techissue.settings")
    return env


def load(count: int, seed: int, newer_than_days: int = 0) -> None:
    """(Runs inside a Django process.) Insert `count` synthetic articles straight into the database."""
    import django

    django.setup()
    from techissue.curation.synthetic import synthetic_corpus
    from techissue.sources.models import Article, Feed

    corpus = synthetic_corpus(count, seed=seed)
    feeds: dict[str, Feed] = {}
    rows = []
    offset = timedelta(days=newer_than_days)
    for doc in corpus.docs:
        feed = feeds.get(doc.outlet)
        if feed is None:
            feed, _ = Feed.objects.get_or_create(
                url=f"http://127.0.0.1/{doc.outlet}/feed.xml", defaults={"title": doc.outlet, "lang": doc.lang}
            )
            feeds[doc.outlet] = feed
        url = f"{doc.url}?seed={seed}"
        rows.append(
            Article(
                feed=feed,
                outlet=doc.outlet,
                guid=url,
                url=url,
                canonical_url=url,
                title=doc.title,
                text=doc.text,
                published_at=doc.published + offset,
                lang=doc.lang,
                full_text_source="feed",
            )
        )
    Article.objects.bulk_create(rows, batch_size=2000)


def run(data_dir: Path, *args: str) -> tuple[float, int, str]:
    started = time.monotonic()
    process = subprocess.Popen(
        [str(BIN / "techissue"), *args], env=env_for(data_dir), stdout=subprocess.PIPE, text=True
    )
    with PeakSampler(process.pid, interval=0.2) as sampler:
        out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"techissue {' '.join(args)} failed")
    return time.monotonic() - started, sampler.peak, out.strip()


def prepare(data_dir: Path, count: int, seed: int, newer_than_days: int = 0) -> None:
    env = env_for(data_dir)
    subprocess.run([str(BIN / "techissue"), "migrate", "--noinput"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.curate",
            "--load",
            str(count),
            "--seed",
            str(seed),
            "--newer",
            str(newer_than_days),
        ],
        env=env,
        check=True,
    )


def kiwi_baseline(characters: int = 300_000) -> float:
    """Characters per second of kiwipiepy tokenising synthetic Korean text, alone."""
    from techissue.curation.synthetic import synthetic_corpus

    texts = [doc.text for doc in synthetic_corpus(600, seed=3).docs if doc.lang == "ko"]
    from kiwipiepy import Kiwi

    kiwi = Kiwi()
    kiwi.tokenize("준비")
    total, started = 0, time.monotonic()
    for _ in kiwi.tokenize(texts):
        pass
    total = sum(map(len, texts))
    return total / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument("--only-incremental", action="store_true")
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--newer", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load(args.load, args.seed, args.newer)
        return

    print(f"baseline: kiwipiepy alone tokenises {kiwi_baseline():,.0f} Korean characters/s")
    times: dict[int, float] = {}
    for size in [] if args.only_incremental else args.sizes:
        with tempfile.TemporaryDirectory(prefix="techissue-curate-") as tmp:
            prepare(Path(tmp), size, seed=1)
            seconds, peak, out = run(Path(tmp), "curate", "--rebuild")
            times[size] = seconds
            print(f"curate --rebuild, {size:,} articles: {seconds:.1f} s, peak RSS {peak / 2**20:.0f} MB — {out}")
    if len(times) >= 2:
        small, large = min(times), max(times)
        print(
            f"time ratio {large:,}/{small:,}: {times[large] / times[small]:.1f} (size ratio {large / small:.0f}; goal <= 12)"
        )
    if not args.skip_incremental:
        with tempfile.TemporaryDirectory(prefix="techissue-curate-") as tmp:
            prepare(Path(tmp), 30_000, seed=2)
            run(Path(tmp), "curate")
            # 500 new articles dated after the window's end, as the next fetch would bring.
            subprocess.run(
                [sys.executable, "-m", "bench.curate", "--load", "500", "--seed", "9", "--newer", "28"],
                env=env_for(Path(tmp)),
                check=True,
            )
            seconds, peak, out = run(Path(tmp), "curate")
            print(
                f"incremental: 500 new articles onto 30,000: {seconds:.1f} s (goal <= 15 s), peak RSS {peak / 2**20:.0f} MB — {out}"
            )


if __name__ == "__main__":
    main()
