"""Collect benchmark: `techissue fetch` against a bare sequential feedparser + httpx + trafilatura loop.

2,000 summary-only entries across 20 feeds, each with an article page, served on loopback by a
separate newsroom process. Prints articles per second for both, their ratio and techissue's peak RSS.
Run: `.venv/bin/python -m bench.collect [--outlets 20 --per-outlet 100]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import feedparser
import httpx
import trafilatura

from bench.newsroom_synth import write_corpus
from bench.proctree import PeakSampler

BIN = Path(sys.executable).parent


def start_newsroom(corpus: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "techissue.newsroom", str(corpus), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # "newsroom at http://127.0.0.1:PORT/  (OPML: …)"
    base = line.split()[2].rstrip("/")
    return process, base


def bare_loop(opml_feeds: list[str]) -> int:
    """The baseline: one request at a time, no database, no politeness beyond a client timeout."""
    stored = 0
    with httpx.Client(timeout=20) as client:
        for url in opml_feeds:
            parsed = feedparser.parse(client.get(url).content)
            for entry in parsed.entries:
                page = client.get(entry.link).text
                text = trafilatura.extract(page, url=entry.link)
                stored += bool(text)
    return stored


def techissue(env: dict[str, str], opml_url: str) -> tuple[float, int, str]:
    def run(*args: str) -> None:
        subprocess.run([str(BIN / "techissue"), *args], env=env, check=True, capture_output=True, text=True)

    run("migrate", "--noinput")
    run("feeds", "import", opml_url)
    started = time.monotonic()
    process = subprocess.Popen([str(BIN / "techissue"), "fetch", "--quiet"], env=env, stdout=subprocess.PIPE, text=True)
    with PeakSampler(process.pid) as sampler:
        out, _ = process.communicate()
    seconds = time.monotonic() - started
    if process.returncode:
        raise SystemExit(f"techissue fetch failed:\n{out}")
    return seconds, sampler.peak, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--per-outlet", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="techissue-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        total = write_corpus(corpus, args.outlets, args.per_outlet, content="summary")
        newsroom, base = start_newsroom(corpus)
        try:
            feeds = [f"{base}/outlet-{n:02d}/feed.xml" for n in range(args.outlets)]
            started = time.monotonic()
            bare_count = bare_loop(feeds)
            bare_seconds = time.monotonic() - started

            env = {**os.environ, "TECHISSUE_DATA_DIR": str(Path(tmp) / "data"), "TECHISSUE_ENV_FILE": os.devnull}
            env["TECHISSUE_FETCH_ALLOW_NETWORKS"] = "127.0.0.0/8"  # the newsroom is on loopback, refused by default
            env.pop("DATABASE_URL", None)
            seconds, peak, out = techissue(env, f"{base}/opml.xml")
        finally:
            newsroom.terminate()
            newsroom.wait()
    stored = int(out.split("new articles")[1].split()[1].strip("│ ")) if "new articles" in out else total
    bare_rate = bare_count / bare_seconds
    rate = stored / seconds
    print(f"entries: {total} summary-only across {args.outlets} feeds, each with its article page, on loopback")
    print(
        f"bare sequential loop (feedparser + httpx + trafilatura, no db): {bare_count} in {bare_seconds:.1f} s = {bare_rate:.1f} articles/s"
    )
    print(
        f"techissue fetch (concurrent, extraction in {os.cpu_count()} processes, stored): {stored} in {seconds:.1f} s = {rate:.1f} articles/s"
    )
    print(f"ratio: {rate / bare_rate:.2f} (goal >= 1.5)")
    print(f"techissue fetch peak RSS (process tree): {peak / 2**20:.0f} MB (goal < 300 MB)")


if __name__ == "__main__":
    main()
