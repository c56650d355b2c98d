"""Story scores: coverage, outlet weight, recency, novelty and the editor's taste."""

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
        0.50 * parts.coverage + 0.10 * parts.outlet + 0.15 * parts.recency + 0.15 * parts.novelty + 0.10 * parts.taste
    )
    assert abs(parts.total - expected) < 1e-9
