"""Clustering into stories, across languages, and incremental assignment."""

from __future__ import annotations

from techissue.curation.stories import StorySnapshot, assign, cluster
from techissue.curation.tests.samples import (
    BUYBACK_KO,
    HBM_EN,
    HBM_KO,
    PHONE_EN,
    RATE_EN,
    RATE_KO,
    doc,
)

HBM_KO_2 = (
    "삼성전자의 12단 HBM4 양산으로 엔비디아 공급망이 달라진다. 삼성전자는 평택에서 만든 HBM4를 "
    "엔비디아에 납품하며, 20조 원 규모의 HBM 설비 투자를 예고했다.\n\nSK하이닉스와의 격차가 줄어들지 주목된다."
)


def _docs():
    return [
        doc(1, HBM_KO, "ko", "ko-a"),
        doc(2, HBM_EN, "en", "en-a", hours=2),
        doc(3, HBM_KO_2, "ko", "ko-b", hours=3),
        doc(4, PHONE_EN, "en", "en-b", hours=1),
        doc(5, BUYBACK_KO, "ko", "ko-c", hours=20),
        doc(6, RATE_KO, "ko", "ko-a", hours=30),
        doc(7, RATE_EN, "en", "en-a", hours=31),
    ]


def test_it_groups_one_event_across_outlets_and_languages() -> None:
    labels = cluster(_docs())
    assert labels[1] == labels[2] == labels[3]
    assert labels[6] == labels[7]


def test_it_keeps_different_events_of_one_company_apart() -> None:
    labels = cluster(_docs())
    assert len({labels[1], labels[4], labels[5]}) == 3


def test_it_keeps_the_same_event_apart_outside_the_time_window() -> None:
    docs = [doc(1, RATE_KO, "ko"), doc(2, RATE_EN, "en", hours=24 * 10)]
    labels = cluster(docs)
    assert labels[1] != labels[2]


def test_it_puts_a_copy_in_its_originals_story() -> None:
    docs = [*_docs(), doc(8, HBM_EN + " ", "en", "en-wire", hours=5)]
    labels = cluster(docs, copies={8: 2})
    assert labels[8] == labels[2]


def test_it_adds_new_docs_to_an_existing_story() -> None:
    existing = [StorySnapshot("s-hbm", [1, 2]), StorySnapshot("s-phone", [4])]
    existing_docs = [
        doc(1, HBM_KO, "ko", "ko-a"),
        doc(2, HBM_EN, "en", "en-a", hours=2),
        doc(4, PHONE_EN, "en", "en-b"),
    ]
    new = [doc(3, HBM_KO_2, "ko", "ko-b", hours=3), doc(5, BUYBACK_KO, "ko", "ko-c", hours=20)]
    assignment = assign(new, existing, existing_docs)
    assert assignment.story_of[3] == "s-hbm"
    assert assignment.joined == {"s-hbm": [3]}
    assert assignment.story_of[5] in assignment.new_stories


def test_it_never_moves_a_doc_out_of_a_story_the_editor_split() -> None:
    # The editor split the Korean and English versions of one event into two locked stories.
    existing = [StorySnapshot("ko-only", [1], locked=True), StorySnapshot("en-only", [2], locked=True)]
    existing_docs = [doc(1, HBM_KO, "ko", "ko-a"), doc(2, HBM_EN, "en", "en-a", hours=2)]
    assignment = assign([doc(3, HBM_KO_2, "ko", "ko-b", hours=3)], existing, existing_docs)
    assert set(assignment.story_of) == {3}
    assert assignment.story_of[3] in {"ko-only", "en-only"}
    assert not assignment.new_stories


def test_it_attaches_a_new_copy_to_its_originals_existing_story() -> None:
    existing = [StorySnapshot(42, [2])]
    existing_docs = [doc(2, HBM_EN, "en", "en-a")]
    copy = doc(9, HBM_EN.replace("Monday", "Monday morning"), "en", "en-wire", hours=1)
    assignment = assign([copy], existing, existing_docs)
    assert assignment.duplicate_of == {9: 2}
    assert assignment.story_of[9] == 42


def test_it_labels_stories_by_their_lowest_doc_id() -> None:
    labels = cluster(_docs())
    assert labels[1] == 1 and labels[6] == 6
