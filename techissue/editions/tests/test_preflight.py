"""Pre-flight: each check that blocks a send, each warning the editor must tick, and the send they guard."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from techissue.editions import preflight, services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story
from techissue.editions.tests.linkserver import link_server

pytestmark = pytest.mark.django_db


def ready(**changes: object) -> Edition:
    """An edition that passes every check: titled, previewed, tested, Korean headlines with comments."""
    make_story("반도체 수출이 다시 늘었다", summary="수출 회복의 신호.", score=5)
    edition = services.draft_edition(size=1)
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        title="반도체의 봄", editorial_md="이번 주의 이야기.", previewed_at=now, tested_at=now
    )
    edition.refresh_from_db()
    for name, value in changes.items():
        setattr(edition, name, value)
    edition.save()
    return edition


def codes(edition: Edition, check_links: bool = False) -> tuple[set[str], set[str]]:
    with translation.override("en"):
        report = preflight.check_edition(edition, check_links=check_links)
    return {f.code for f in report.errors}, {f.code for f in report.warnings}


def test_it_finds_nothing_wrong_with_a_ready_edition() -> None:
    assert codes(ready()) == (set(), set())


def test_it_blocks_an_edition_without_picks() -> None:
    edition = ready()
    edition.picks.all().delete()
    assert "no_picks" in codes(edition)[0]


def test_it_blocks_a_pick_without_a_link() -> None:
    edition = ready()
    edition.picks.update(url="")
    assert codes(edition)[0] == {"pick_without_link"}


def test_it_blocks_an_image_without_alt_text() -> None:
    edition = ready(editorial_md="보세요: ![](/media/editions/images/a.png)")
    assert codes(edition)[0] == {"image_without_alt"}


def test_it_blocks_a_link_that_does_not_answer(settings) -> None:
    settings.TECHISSUE_PREFLIGHT_LINK_TIMEOUT = 0.5
    edition = ready()
    with link_server() as base:
        pick = edition.picks.get()
        services.update_pick(pick, url=f"{base}/ok")
        assert codes(edition, check_links=True)[0] == set()
        services.update_pick(pick, url=f"{base}/gone")
        assert codes(edition, check_links=True)[0] == {"link_not_answering"}
        services.update_pick(pick, url=f"{base}/slow")
        with translation.override("en"):
            report = preflight.check_edition(edition)
    assert [f.code for f in report.errors] == ["link_not_answering"] and f"{base}/slow" in report.errors[0].message


def test_it_warns_of_an_empty_editorial() -> None:
    assert codes(ready(editorial_md=" "))[1] == {"empty_editorial"}


def test_it_warns_of_a_pick_without_a_comment() -> None:
    edition = ready()
    edition.picks.update(comment="")
    assert codes(edition)[1] == {"pick_without_comment"}


def test_it_warns_when_the_edition_was_never_previewed_or_tested() -> None:
    assert codes(ready(previewed_at=None, tested_at=None))[1] == {"never_previewed", "no_test_mail"}


def test_it_warns_of_an_email_that_gmail_would_clip_and_says_its_size() -> None:
    edition = ready(editorial_md="긴 사설입니다. " * 9000)
    with translation.override("en"):
        report = preflight.check_edition(edition, check_links=False)
    assert [f.code for f in report.warnings] == ["email_too_large"]
    assert report.email_bytes > preflight.GMAIL_CLIP_BYTES
    assert f"{report.email_bytes / 1024:.0f} KB" in report.warnings[0].message


def test_it_warns_of_a_subject_over_sixty_characters() -> None:
    assert codes(ready(title="아주 " * 30))[1] == {"subject_too_long"}


def test_it_warns_of_headlines_in_another_language() -> None:
    edition = ready()
    edition.picks.update(headline="Chip exports rise again as the memory market turns")
    assert codes(edition)[1] == {"headline_language"}


def test_it_warns_of_a_default_title() -> None:
    edition = ready()
    edition.title = f"{edition.number}호"
    edition.save()
    assert codes(edition)[1] == {"default_title"}


def test_it_sends_only_when_errors_are_fixed_and_warnings_ticked() -> None:
    edition = ready(previewed_at=None)
    with pytest.raises(preflight.SendRefused):
        preflight.send_after_checks(edition, set(), check_links=False)
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.DRAFT

    sent = preflight.send_after_checks(edition, {"never_previewed"}, check_links=False)
    assert sent.status == Edition.Status.SENDING


def test_it_names_markdown_left_as_plain_text() -> None:
    with translation.override("en"):
        problems = preflight.markdown_problems("fine\n![chart](/media/x.png\n```\ncode")
    assert problems[0].startswith("Line 2:") and "never closed" in problems[1]
