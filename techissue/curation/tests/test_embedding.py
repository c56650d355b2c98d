"""The meaning signal: one vector per article from a model inside its package, stored and read back."""

from __future__ import annotations

import numpy as np

from techissue.curation.embedding import DIMENSIONS, EMBED_CHARS, embed_docs, embed_text, from_bytes, to_bytes
from techissue.curation.stories import ClusterParams, cluster
from techissue.curation.tests.samples import doc

# An invented company in both languages, no alias for it, and no figure the two texts share.
GROVEN_KO = (
    "그로벤 로보틱스가 병원용 배송 로봇을 처음 공개했다. 이 로봇은 약품과 검체를 싣고 복도와 엘리베이터를 "
    "스스로 오가며 간호사의 이동 시간을 줄인다고 회사는 설명했다."
)
GROVEN_EN = (
    "Groven Robotics has shown its first delivery robot for hospitals. The machine carries medicine and "
    "lab samples through corridors and lifts on its own, saving nurses time, the company said."
)
BAKERY_KO = (
    "동네 빵집들이 밀가루 값 상승에 빵 가격을 올리고 있다. 제과점 주인들은 버터와 설탕 값도 함께 올라 "
    "버티기 어렵다고 말한다."
)


def test_it_places_a_korean_article_next_to_its_english_twin() -> None:
    vectors = embed_docs([doc(1, GROVEN_KO, "ko"), doc(2, GROVEN_EN, "en"), doc(3, BAKERY_KO, "ko")])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.15


def test_it_embeds_only_the_title_and_lead() -> None:
    long = doc(1, GROVEN_EN + "\n\n" + "More. " * 500, "en")
    assert len(embed_text(long)) == EMBED_CHARS


def test_it_stores_a_vector_in_half_the_bytes_and_reads_it_back() -> None:
    vector = embed_docs([doc(1, GROVEN_EN, "en")])[0]
    data = to_bytes(vector)
    assert len(data) == DIMENSIONS * 2
    back = from_bytes(data)
    assert back is not None and float(back @ vector) > 0.999
    assert from_bytes(b"") is None and from_bytes(b"\x00" * 10) is None


def test_it_joins_an_unseen_name_across_languages_by_meaning() -> None:
    docs = [
        doc(1, GROVEN_KO, "ko", "a", title="그로벤 로보틱스, 병원 배송 로봇 공개"),
        doc(2, GROVEN_EN, "en", "b", hours=2, title="Groven Robotics shows a hospital delivery robot"),
        doc(3, BAKERY_KO, "ko", "c", hours=1, title="밀가루 값에 빵값도 오른다"),
    ]
    labels = cluster(docs)
    assert labels[1] == labels[2] != labels[3]
    without = cluster(
        docs, params=ClusterParams(meaning_cross_weight=0.0, meaning_same_weight=0.0, gate_low=-2.0, gate_high=-1.0)
    )
    assert without[1] != without[2], "the pair must need the meaning term (else this test proves nothing)"
