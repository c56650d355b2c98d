"""Drafting an edition from the curated stories."""

from __future__ import annotations

import pytest

from techissue.curation.models import Story
from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


def test_it_drafts_the_top_open_stories_with_summaries_as_comments() -> None:
    make_story("Low", summary="low summary", score=1)
    make_story("High", summary="high summary", outlets=("Reuters", "연합뉴스"), score=9)
    make_story("Skipped", score=50, decision=Story.Decision.SKIPPED)

    edition = services.draft_edition(size=5)

    picks = list(edition.picks.all())
    assert [pick.headline for pick in picks] == ["High", "Low"]
    assert [pick.position for pick in picks] == [1, 2]
    assert picks[0].comment == "high summary"
    assert picks[0].outlets == "Reuters, 연합뉴스"
    assert picks[0].url.startswith("http://127.0.0.1:9/Reuters/")
    assert edition.status == Edition.Status.DRAFT


def test_it_prefers_stories_the_editor_picked() -> None:
    make_story("Ranked first", score=100)
    make_story("Editor's choice", score=1, decision=Story.Decision.PICKED)

    edition = services.draft_edition(size=1)

    assert [pick.headline for pick in edition.picks.all()] == ["Editor's choice"]


def test_it_numbers_editions_one_after_another() -> None:
    first = services.draft_edition()
    second = services.draft_edition()

    assert (first.number, second.number) == (1, 2)
    assert first.slug and first.slug != second.slug


def test_it_does_not_draft_a_story_already_sent_or_in_another_edition() -> None:
    make_story("Sent before", score=10)
    Story.objects.filter(title="Sent before").update(sent_at="2026-01-01T00:00:00Z")
    make_story("In the first draft", score=5)

    services.draft_edition()
    second = services.draft_edition()

    assert second.picks.count() == 0


def test_it_reopens_stories_of_a_cancelled_edition() -> None:
    make_story("Comes back", score=5)
    services.cancel_edition(services.draft_edition())

    again = services.draft_edition()

    assert [pick.headline for pick in again.picks.all()] == ["Comes back"]


def test_it_shortens_a_long_list_of_outlets() -> None:
    make_story("Everyone wrote it", outlets=("A", "B", "C", "D", "E", "F"))

    with_outlets = services.draft_edition(language="en").picks.get()

    assert with_outlets.outlets == "A, B, C, D and 2 more"


def test_it_titles_the_draft_in_its_language() -> None:
    assert services.draft_edition(language="ko").title == "1호"
    assert services.draft_edition(language="en").title == "Issue 2"
