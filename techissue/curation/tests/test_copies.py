"""Exact and near copies, and which doc counts as the original."""

from __future__ import annotations

from dataclasses import replace

from techissue.curation.copies import CopyIndex, find_copies
from techissue.curation.tests.samples import BUYBACK_KO, HBM_EN, HBM_KO, PHONE_EN, doc

WIRE_EN = (
    "Samsung Electronics has started mass production of 12-high HBM4 memory, the company said on "
    "Monday. The chips, produced at its Pyeongtaek campus, will ship to Nvidia from the end of the month.\n\n"
    "Samsung plans to invest 20 trillion won in HBM production lines as it tries to catch up with "
    "SK hynix in high-bandwidth memory for AI accelerators."
)
WIRE_KO = HBM_KO.replace("업계는", "반도체 업계는").replace("16일 밝혔다", "16일 발표했다")


def test_it_finds_a_reworded_english_wire_copy() -> None:
    original, copy = doc(1, HBM_EN, "en"), doc(2, WIRE_EN, "en", hours=1, title="New headline")
    assert find_copies([copy, original]) == {2: 1}


def test_it_finds_a_reworded_korean_wire_copy() -> None:
    original, copy = doc(1, HBM_KO, "ko"), doc(2, WIRE_KO, "ko", hours=2)
    assert find_copies([original, copy]) == {2: 1}


def test_it_finds_a_korean_copy_with_morpheme_shingles_too() -> None:
    original, copy = doc(1, HBM_KO, "ko"), doc(2, WIRE_KO, "ko", hours=2)
    assert find_copies([original, copy], korean="morphs") == {2: 1}


def test_it_does_not_call_different_articles_copies() -> None:
    docs = [doc(1, HBM_EN, "en"), doc(2, PHONE_EN, "en"), doc(3, HBM_KO, "ko"), doc(4, BUYBACK_KO, "ko")]
    assert find_copies(docs) == {}


def test_it_finds_exact_copies_by_guid_and_canonical_url() -> None:
    original = doc(1, HBM_EN, "en")
    same_guid = replace(doc(2, PHONE_EN, "en", hours=1), guid=original.guid)
    same_url = replace(doc(3, BUYBACK_KO, "ko", hours=1), canonical_url=original.canonical_url)
    assert find_copies([original, same_guid, same_url]) == {2: 1, 3: 1}


def test_it_finds_exact_copies_by_normalised_text() -> None:
    shouted = HBM_EN.upper().replace(",", " ,")
    assert find_copies([doc(1, HBM_EN, "en"), doc(2, shouted, "en", hours=1)]) == {2: 1}


def test_it_ignores_empty_bodies() -> None:
    assert find_copies([doc(1, "", "en"), doc(2, "", "en", hours=1)]) == {}


def test_it_takes_the_earliest_as_original_and_the_lowest_id_on_a_tie() -> None:
    late, early = doc(1, HBM_EN, "en", hours=5), doc(2, WIRE_EN, "en", hours=0)
    assert find_copies([late, early]) == {1: 2}
    first, second = doc(7, HBM_EN, "en"), doc(3, WIRE_EN, "en")
    assert find_copies([first, second]) == {7: 3}


def test_it_points_every_copy_at_the_first_original() -> None:
    third = WIRE_EN.replace("Monday", "Monday morning")
    docs = [doc(1, HBM_EN, "en"), doc(2, WIRE_EN, "en", hours=1), doc(3, third, "en", hours=2)]
    assert find_copies(docs) == {2: 1, 3: 1}


def test_it_answers_queries_from_an_index_of_existing_docs() -> None:
    index = CopyIndex()
    index.add([doc(1, HBM_EN, "en"), doc(2, PHONE_EN, "en")])
    assert index.query([doc(10, WIRE_EN, "en", hours=3), doc(11, BUYBACK_KO, "ko")]) == {10: 1}
    assert len(index) == 2  # a query does not index


def test_it_still_finds_exact_copies_after_forgetting_fingerprints():
    from datetime import UTC, datetime, timedelta

    from techissue.curation.copies import CopyIndex
    from techissue.curation.document import Doc

    start = datetime(2026, 11, 1, tzinfo=UTC)
    body = "반도체 업계가 새 공정에 투자한다. " * 40
    original = Doc(1, "a", "ko", "원문", body, start, "http://127.0.0.1/a/1", "http://127.0.0.1/a/1", "g1")
    near = Doc(
        2,
        "b",
        "ko",
        "받은 글",
        body + " 끝.",
        start + timedelta(days=9),
        "http://127.0.0.1/b/2",
        "http://127.0.0.1/b/2",
        "g2",
    )
    exact = Doc(
        3, "c", "ko", "그대로", body, start + timedelta(days=9), "http://127.0.0.1/c/3", "http://127.0.0.1/c/3", "g3"
    )
    index = CopyIndex()
    index.add([original])
    assert index.forget_near_copies_before((start + timedelta(days=1)).timestamp()) == 1
    # The near copy needs the forgotten fingerprint; the exact copy is still found by its text hash.
    assert index.add([near, exact]) == {3: 1}
