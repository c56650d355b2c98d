"""The order of picks: the editor's order is the order readers see."""

from __future__ import annotations

import pytest

from techissue.editions import services
from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


def _draft_three() -> object:
    for score, title in [(3, "Alpha"), (2, "Beta"), (1, "Gamma")]:
        make_story(title, score=score)
    return services.draft_edition(size=3, language="en")


def test_it_reorders_picks_to_the_given_order() -> None:
    edition = _draft_three()
    alpha, beta, gamma = edition.picks.all()

    services.reorder_picks(edition, [gamma.id, alpha.id, beta.id])

    assert [(p.headline, p.position) for p in edition.picks.all()] == [("Gamma", 1), ("Alpha", 2), ("Beta", 3)]


def test_it_keeps_picks_left_out_of_the_new_order_after_the_named_ones() -> None:
    edition = _draft_three()
    beta = edition.picks.get(headline="Beta")

    services.reorder_picks(edition, [beta.id, 999_999])

    assert [p.headline for p in edition.picks.all()] == ["Beta", "Alpha", "Gamma"]


def test_it_shows_picks_in_order_in_the_email_and_on_the_web(client) -> None:
    edition = _draft_three()
    alpha, beta, gamma = edition.picks.all()
    services.reorder_picks(edition, [gamma.id, beta.id, alpha.id])
    services.publish_edition(edition)

    _, text, html = prepare_email(edition).personalize("", "http://127.0.0.1/u", "http://127.0.0.1/p")
    page = client.get(edition.get_absolute_url()).content.decode()

    for rendered in (text, html, page):
        assert rendered.index("Gamma") < rendered.index("Beta") < rendered.index("Alpha")
    assert "1. Gamma" in text


def test_it_changes_the_cached_page_when_the_order_changes(client) -> None:
    edition = _draft_three()
    services.publish_edition(edition)
    alpha, beta, gamma = edition.picks.all()
    before = client.get(edition.get_absolute_url()).content.decode()

    services.reorder_picks(edition, [gamma.id, beta.id, alpha.id])
    after = client.get(edition.get_absolute_url()).content.decode()

    assert before.index("Alpha") < before.index("Gamma")
    assert after.index("Gamma") < after.index("Alpha")
