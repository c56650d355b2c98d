"""The evaluation gate through the real path: corpus served on loopback, fetched, stored, curated, scored."""

from __future__ import annotations

import pytest

from techissue.curation.management.commands.eval import CORPORA
from techissue.evaluation.curation import evaluate_corpus, floors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_it_stays_above_the_recorded_floors(name: str):
    scores = evaluate_corpus(CORPORA[name]).as_dict()
    recorded = floors()[name]
    below = {metric: (scores[metric], floor) for metric, floor in recorded.items() if scores[metric] < floor}
    assert not below, f"{name}: (score, floor) below the floor: {below}"
