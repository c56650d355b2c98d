"""Story scores: coverage, velocity, outlet weight, recency, novelty and the editor's taste."""

from __future__ import annotations

from datetime import timedelta

from techissue.curation.ranking import TasteModel, novelty, score_story, story_features, story_keys
from techissue.curation.tests.samples import HBM_EN, HBM_KO, PHONE_EN, RATE_EN, RATE_KO, T0, doc


def test_it_rewards_independent_outlets_and_both_languages() -> None:
    one = score_story([doc(1, HBM_EN, "en", "a")], T0)
    two = score_story([doc(1, HBM_EN, "en", "a"), doc(2, PHONE_EN, "en", "b")], T0)
    both = score_story([doc(1, HBM_EN, "en", "a"), doc(2, HBM_KO, "ko", "b")], T0)
    assert one.coverage == 0.0 < two.coverage < both.coverage


def test_it_does_not_count_a_copy_as_coverage() -> None:
    docs = [doc(1, HBM_EN, "en", "a"), doc(2, HBM_EN, "en", "wire")]
    assert score_story(docs, T0, duplicate_of={2: 1}).coverage == 0.0


def test_it_halves_recency_every_half_life() -> None:
    docs = [doc(1, HBM_EN, "en")]
    assert abs(score_story(docs, T0 + timedelta(hours=36)).recency - 0.5) < 1e-9


def test_it_uses_the_editors_outlet_weights() -> None:
    docs = [doc(1, HBM_EN, "en", "a")]
    assert score_story(docs, T0, outlet_weights={"a": 2.0}).outlet == 1.0
    assert score_story(docs, T0, outlet_weights={"a": 0.5}).outlet == 0.25


def test_it_marks_a_story_already_sent_as_not_novel() -> None:
    docs = [doc(1, RATE_KO, "ko"), doc(2, RATE_EN, "en")]
    sent = [story_keys(docs)]
    assert score_story(docs, T0, sent_story_keys=sent).novelty == 0.0
    assert score_story(docs, T0, sent_story_keys=[story_keys([doc(3, PHONE_EN, "en")])]).novelty > 0.8
    assert novelty(set(), sent) == 1.0


def test_it_gives_a_neutral_taste_before_enough_picks() -> None:
    model = TasteModel(min_examples=10).fit([{"a": 1.0}] * 3, [True, False, True])
    assert not model.ready
    assert score_story([doc(1, HBM_EN, "en")], T0, taste_model=model).taste == 0.5


def test_it_learns_the_editors_taste_from_picks_and_skips() -> None:
    chips = story_features([doc(1, HBM_EN, "en", "a")])
    phones = story_features([doc(2, PHONE_EN, "en", "b")])
    model = TasteModel(min_examples=4).fit([chips, phones] * 5, [True, False] * 5)
    assert model.ready
    assert model.predict(chips) > 0.5 > model.predict(phones)


def test_it_adds_the_parts_into_the_total() -> None:
    parts = score_story([doc(1, HBM_EN, "en", "a"), doc(2, HBM_KO, "ko", "b")], T0)
    expected = (
        0.45 * parts.coverage
        + 0.10 * parts.velocity
        + 0.05 * parts.outlet
        + 0.15 * parts.recency
        + 0.15 * parts.novelty
        + 0.10 * parts.taste
    )
    assert abs(parts.total - expected) < 1e-9


def test_it_measures_coverage_continuously_with_the_editors_weights() -> None:
    texts = [HBM_EN, HBM_KO, PHONE_EN, RATE_EN, RATE_KO, HBM_EN, HBM_EN]
    previous = 0.0
    for size in range(2, 8):
        docs = [doc(i, texts[i % len(texts)], "en", f"o{i}") for i in range(size)]
        coverage = score_story(docs, T0).coverage
        assert previous < coverage < 1.0
        previous = coverage
    pair = [doc(1, HBM_EN, "en", "a"), doc(2, HBM_EN, "en", "b")]
    heavy = score_story(pair, T0, outlet_weights={"a": 2.0, "b": 2.0}).coverage
    light = score_story(pair, T0, outlet_weights={"a": 0.5, "b": 0.5}).coverage
    assert light < score_story(pair, T0).coverage < heavy


def test_it_rewards_coverage_that_came_fast() -> None:
    fast = [doc(i, HBM_EN, "en", f"o{i}", hours=i) for i in range(4)]
    slow = [doc(i, HBM_EN, "en", f"o{i}", hours=20 * i) for i in range(4)]
    alone = [doc(1, HBM_EN, "en", "a")]
    assert score_story(fast, T0 + timedelta(hours=60)).velocity > score_story(slow, T0 + timedelta(hours=60)).velocity
    assert score_story(alone, T0).velocity == 0.0


def test_it_does_not_tie_big_stories_that_differ_in_coverage() -> None:
    # Five to twelve outlets in both languages, the newest article of each equally old: a capped
    # coverage would call them all 1.0 and tie them.
    stories = [
        [
            doc(100 * size + i, HBM_EN if i % 2 else HBM_KO, "en" if i % 2 else "ko", f"o{i}", hours=i)
            for i in range(size)
        ]
        for size in range(5, 13)
    ]
    totals = [round(score_story(docs, T0 + timedelta(hours=len(docs) + 6)).total, 6) for docs in stories]
    assert len(set(totals)) == len(totals)
    assert totals == sorted(totals)
