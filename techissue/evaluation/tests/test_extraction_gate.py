"""The extraction gate: outlet-like pages collected for real must keep their article text and lose the boxes."""

from __future__ import annotations

from techissue.evaluation.extraction import OUTLET_PAGES, evaluate_extraction, floors


def test_it_stays_above_the_recorded_extraction_floors():
    junk: list[str] = []
    scores = evaluate_extraction(OUTLET_PAGES, junk).as_dict()
    print(f"extraction on outlet_pages: {scores}")  # shown with -s, and in the failure below
    recorded = floors()["outlet_pages"]
    below = {metric: (scores[metric], floor) for metric, floor in recorded.items() if scores[metric] < floor}
    assert not below, f"(score, floor) below the floor: {below}; scores {scores}; kept as text: {junk[:20]}"
    assert scores["pages"] == 12
