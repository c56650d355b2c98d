"""Figures normalised to keys that Korean and English share."""

from __future__ import annotations

import pytest

from techissue.curation.numbers import extract_numbers, format_value


@pytest.mark.parametrize(
    ("korean", "english", "key"),
    [
        ("20조 원", "20 trillion won", "num:2e13:krw"),
        ("12단 HBM4", "12-high HBM4", "num:12:layer"),
        ("0.25%포인트 인하", "25 basis points", "num:0.25:pp"),
        ("4050억 달러", "$405 billion", "num:4.05e11:usd"),
        ("1조 2000억원", "KRW 1.2 trillion", "num:1.2e12:krw"),
        ("3.5% 증가", "rose 3.5 percent", "num:3.5:pct"),
        ("3나노 공정", "3nm process", "num:3:nm"),
    ],
)
def test_it_gives_korean_and_english_figures_the_same_key(korean: str, english: str, key: str) -> None:
    assert key in extract_numbers(korean)
    assert key in extract_numbers(english)


def test_it_does_not_read_percentage_points_as_percent() -> None:
    assert extract_numbers("0.25%포인트") == {"num:0.25:pp"}
    assert extract_numbers("0.25 percentage point") == {"num:0.25:pp"}


def test_it_ignores_bare_numbers_without_scale_or_unit() -> None:
    assert extract_numbers("in 2026 the 5 firms") == set()


def test_it_lets_won_and_dollar_amounts_meet_in_a_bucket() -> None:
    won = {key for key in extract_numbers("4200억 원") if key.startswith("fx:")}
    dollars = {key for key in extract_numbers("$310 million") if key.startswith("fx:")}
    assert won & dollars


def test_it_formats_values_compactly() -> None:
    assert [format_value(v) for v in (2e13, 4.05e11, 0.25, 12)] == ["2e13", "4.05e11", "0.25", "12"]
