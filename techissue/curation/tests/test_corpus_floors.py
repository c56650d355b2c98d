"""The evaluation gate: scores on the labelled corpora must not drop below the recorded floors."""

from __future__ import annotations

import pytest

from techissue.curation.tests.corpus import CURATION_CORPUS, DEMO_CORPUS, UNSEEN_CORPUS, load_corpus, score_corpus
from techissue.evaluation.curation import floors

FLOORS = floors()
CORPORA = {"curation_corpus": CURATION_CORPUS, "demo_newsroom": DEMO_CORPUS, "unseen_names": UNSEEN_CORPUS}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_it_scores_the_labelled_corpus_above_its_floors(name: str) -> None:
    root = CORPORA[name]
    scores = score_corpus(load_corpus(root))
    below = {
        measure: (round(scores[measure], 4), floor)
        for measure, floor in FLOORS[name].items()
        if scores[measure] < floor
    }
    assert not below, f"{name}: (score, floor) below the floor: {below}"
