"""The synthetic corpus generator used by the benchmarks."""

from __future__ import annotations

from techissue.curation.synthetic import synthetic_corpus, synthetic_docs


def test_it_makes_half_korean_docs_of_about_1500_characters() -> None:
    docs = synthetic_docs(200, seed=3)
    assert len(docs) == 200
    korean = sum(doc.lang == "ko" for doc in docs)
    assert 70 <= korean <= 130
    assert 1400 <= sum(len(doc.text) for doc in docs) / len(docs) <= 1800


def test_it_is_deterministic_for_a_seed() -> None:
    assert [doc.text for doc in synthetic_docs(30, seed=5)] == [doc.text for doc in synthetic_docs(30, seed=5)]


def test_it_makes_stories_and_copies() -> None:
    corpus = synthetic_corpus(300, seed=1)
    assert len(set(corpus.story.values())) < 300
    assert corpus.copy_of
    assert all(corpus.story[copy] == corpus.story[original] for copy, original in corpus.copy_of.items())
