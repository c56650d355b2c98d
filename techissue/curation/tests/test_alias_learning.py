"""Aliases learned: a confident cross-language story proposes its name pairs; one click accepts them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from techissue.curation.alias_learning import confident, hangul_candidates, name_pairs
from techissue.curation.aliases import DEFAULT_ALIASES
from techissue.curation.tests.samples import doc

KO = "벨모라 로보틱스가 시리즈C 투자를 유치했다. 벨모라는 물류 로봇을 만든다. 서울 성수동에 본사가 있다."
EN = "Velmora Robotics raised a Series C round. Velmora makes warehouse robots. WASHINGTON officials said nothing."


def story() -> list:  # type: ignore[type-arg]
    return [
        doc(1, KO, "ko", "a", title="벨모라 로보틱스, 투자 유치"),
        doc(2, EN, "en", "b", title="Velmora Robotics raises money"),
        doc(3, EN, "en", "c"),
    ]


def test_it_finds_a_hangul_name_and_its_latin_spelling() -> None:
    pairs = {(pair.hangul, pair.latin) for pair in name_pairs(story(), DEFAULT_ALIASES)}
    assert ("벨모라", "Velmora") in pairs
    assert not any(latin == "WASHINGTON" for _, latin in pairs)
    assert "벨모라는" in hangul_candidates("벨모라는") and "벨모라" in hangul_candidates("벨모라는")


def test_it_proposes_nothing_the_alias_table_already_knows() -> None:
    known = {**DEFAULT_ALIASES, "Velmora": "velmora"}
    assert not [pair for pair in name_pairs(story(), known) if pair.latin == "Velmora"]


def test_it_learns_only_from_stories_across_languages_and_outlets() -> None:
    assert confident(story(), {})
    assert not confident(story()[1:], {})
    assert not confident(story(), {3: 2})  # a copy is not a third outlet


@pytest.mark.django_db
def test_it_accepts_a_proposal_with_one_click_and_the_next_run_uses_it(client) -> None:  # type: ignore[no-untyped-def]
    from techissue.curation.alias_proposals import known_surfaces, propose_from_docs
    from techissue.curation.models import Alias, AliasProposal, Story

    proposal = next(
        p for p in propose_from_docs(Story.objects.create(title="t"), story(), known_surfaces()) if p.latin == "Velmora"
    )
    assert propose_from_docs(Story.objects.create(title="again"), story(), known_surfaces()) == []  # asked once
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-for-tests")
    client.force_login(editor)
    page = client.get("/admin/curation/aliasproposal/").content.decode()
    assert f"/admin/curation/aliasproposal/{proposal.id}/decide/" in page
    response = client.post(f"/admin/curation/aliasproposal/{proposal.id}/decide/", {"decision": "accept"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == AliasProposal.Status.ACCEPTED
    assert dict(Alias.objects.values_list("surface", "key")) == {"벨모라": "velmora", "Velmora": "velmora"}
    assert known_surfaces()["벨모라"] == known_surfaces()["Velmora"]
    assert not [p for p in name_pairs(story(), known_surfaces()) if p.latin == "Velmora"]
