"""Shared fixtures: the demo corpus, served once per test session on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from techissue.newsroom import Corpus, NewsroomServer, load_corpus, serve_corpus

DEMO_CORPUS = Path(__file__).resolve().parents[3] / "demo" / "newsroom"


@pytest.fixture(scope="session")
def demo_corpus() -> Corpus:
    return load_corpus(DEMO_CORPUS)


@pytest.fixture(scope="session")
def newsroom() -> Iterator[NewsroomServer]:
    with serve_corpus(DEMO_CORPUS) as server:
        yield server
