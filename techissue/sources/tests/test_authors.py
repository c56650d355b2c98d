"""Bylines come out as the person's name: no 기자, e-mail, site name or menu label."""

from __future__ import annotations

import pytest

from techissue.sources.authors import normalise_author


@pytest.mark.parametrize(
    ("raw", "url", "name"),
    [
        ("기자 정보 이동환 기자 Leedong Co Kr 이동환 기자의 기사 모음", "https://www.leedong.co.kr/news/1", "이동환"),
        ("Imbc 연예", "https://enews.imbc.com/News/1", None),
        ("김철수 기자 (kim@example.co.kr)", "https://news.example.kr/1", "김철수"),
        ("박민지 특파원 = 도쿄", "https://news.example.kr/2", "박민지"),
        ("홍길동·김영희 기자", "https://news.example.kr/3", "홍길동, 김영희"),
        ("jane@example.com (Jane Doe)", "https://wire.example/1", "Jane Doe"),
        ("By Jane Doe, Staff Reporter", "https://wire.example/2", "Jane Doe"),
        ("Tech Wire", "https://techwire.example/3", None),
        ("", "https://wire.example/4", None),
    ],
)
def test_it_keeps_the_persons_name(raw: str, url: str, name: str | None) -> None:
    assert normalise_author(raw, url, "Tech Wire") == name
