"""The evaluation measures: B-cubed, cross-language recall, copy scores, top-10 share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from techissue.curation.evaluate import (
    bcubed,
    copy_scores,
    cross_language_recall,
    top_multi_outlet_share,
)

labellings = st.dictionaries(st.integers(0, 40), st.integers(0, 6), min_size=1)


@given(labellings)
def test_it_scores_identical_clusterings_as_perfect(gold: dict[int, int]) -> None:
    assert bcubed(gold, gold).f1 == 1.0


@given(labellings, st.integers(1, 100))
def test_it_ignores_the_names_of_clusters(gold: dict[int, int], shift: int) -> None:
    renamed = {item: label + shift for item, label in gold.items()}
    assert bcubed(renamed, gold).f1 == 1.0


@given(labellings, labellings)
def test_it_keeps_scores_between_zero_and_one(predicted: dict[int, int], gold: dict[int, int]) -> None:
    score = bcubed(predicted, gold)
    assert 0.0 <= score.precision <= 1.0 and 0.0 <= score.recall <= 1.0


def test_it_computes_bcubed_of_a_known_case() -> None:
    gold = {1: "a", 2: "a", 3: "b"}
    lumped = {1: 0, 2: 0, 3: 0}
    score = bcubed(lumped, gold)
    assert score.recall == 1.0
    assert abs(score.precision - (2 / 3 + 2 / 3 + 1 / 3) / 3) < 1e-9


def test_it_counts_only_cross_language_pairs() -> None:
    gold = {1: "a", 2: "a", 3: "a"}
    lang = {1: "ko", 2: "en", 3: "en"}
    assert cross_language_recall({1: 0, 2: 0, 3: 1}, gold, lang) == 0.5


def test_it_credits_a_copy_pointing_at_a_sibling_copy() -> None:
    gold = {2: 1, 3: 1}
    assert copy_scores({2: 1, 3: 2}, gold).precision == 1.0
    assert copy_scores({2: 1, 3: 2}, gold).recall == 1.0


def test_it_penalises_wrong_and_missing_copies() -> None:
    gold = {2: 1, 3: 1}
    score = copy_scores({2: 1, 5: 4}, gold)
    assert score.precision == 0.5 and score.recall == 0.5


def test_it_counts_copies_as_no_extra_coverage_in_the_top_ten() -> None:
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    outlet = {1: "x", 2: "y", 3: "x", 4: "y"}
    assert top_multi_outlet_share([[1, 2], [3, 4]], gold, outlet, {4: 3}) == 0.5
