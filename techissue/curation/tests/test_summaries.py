"""Extractive summaries: language, length, sentences from the story, title from an article."""

from __future__ import annotations

from techissue.curation.summaries import split_sentences, summaries_by_language, summarize
from techissue.curation.tests.samples import HBM_EN, HBM_KO, RATE_EN, doc


def test_it_summarises_in_korean_when_a_korean_article_exists() -> None:
    summary = summarize([doc(1, HBM_EN, "en"), doc(2, HBM_KO, "ko", title="삼성전자, 12단 HBM4 양산")])
    assert summary.lang == "ko"
    assert summary.title == "삼성전자, 12단 HBM4 양산"
    assert "HBM4" in summary.text


def test_it_summarises_in_english_otherwise() -> None:
    summary = summarize([doc(1, HBM_EN, "en", title="Samsung starts HBM4"), doc(2, RATE_EN, "en")])
    assert summary.lang == "en"
    assert summary.title in {"Samsung starts HBM4", doc(2, RATE_EN, "en").title}


def test_it_takes_at_most_the_asked_number_of_sentences_from_the_story() -> None:
    summary = summarize([doc(1, HBM_KO, "ko")], sentences=2)
    sentences = split_sentences(summary.text, "ko")
    assert 1 <= len(sentences) <= 2
    assert all(sentence in HBM_KO for sentence in sentences)


def test_it_splits_english_sentences_at_punctuation() -> None:
    assert split_sentences('It rose 5%. Analysts said so! "Fine." Then', "en") == [
        "It rose 5%.",
        "Analysts said so!",
        '"Fine."',
        "Then",
    ]


def test_it_survives_an_empty_story() -> None:
    assert summarize([]).text == ""


def test_it_does_not_state_the_same_fact_twice() -> None:
    first = (
        "Velmora Robotics raised $85 million in a Series C round led by Aurora Capital. "
        "The company makes robots that pick boxes in warehouses."
    )
    second = (
        "Warehouse robot maker Velmora closed an $85 million Series C on Monday. "
        "It will build a second production line with the money."
    )
    third = "Velmora expects to ship more than 1,200 robots this year, double last year's number."
    summary = summarize([doc(1, first, "en", "a"), doc(2, second, "en", "b"), doc(3, third, "en", "c")], sentences=3)
    assert summary.text.count("$85 million") == 1
    assert "second production line" in summary.text or "1,200 robots" in summary.text


def test_it_writes_an_english_summary_too_when_an_english_article_exists() -> None:
    both = summaries_by_language([doc(1, HBM_EN, "en"), doc(2, HBM_KO, "ko")])
    assert set(both) == {"ko", "en"}
    assert "HBM4" in both["en"].text and both["en"].lang == "en"
    assert all(char < "\uac00" or char > "\ud7a3" for char in both["en"].text)
    assert set(summaries_by_language([doc(1, HBM_KO, "ko")])) == {"ko"}
