"""Reading time counts Hangul by characters and Latin script by words."""

from __future__ import annotations

from techissue.site.reading import reading_minutes


def test_it_counts_hangul_by_characters() -> None:
    assert reading_minutes("가" * 500) == 1
    assert reading_minutes("가" * 1500) == 3  # no spaces at all: a long compound still counts


def test_it_counts_latin_script_by_words() -> None:
    assert reading_minutes("word " * 230) == 1
    assert reading_minutes("word " * 690) == 3


def test_it_adds_both_scripts_in_one_text() -> None:
    assert reading_minutes("반도체 " * 250 + "memory " * 230) == 3  # 750 syllables (1.5 min) + 230 words (1 min)


def test_it_reads_decomposed_hangul_as_syllables() -> None:
    import unicodedata

    assert reading_minutes(unicodedata.normalize("NFD", "가" * 1000)) == 2


def test_it_ignores_markup_and_gives_nothing_for_no_text() -> None:
    assert reading_minutes("![alt](/media/x.png) <b></b> ##") == 0
    assert reading_minutes("[링크](https://example.com/a-very-long-address) 한") == 1
