"""Publishing, editing and cancelling editions update the static copy once the transaction commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from techissue.editions import services
from techissue.editions.tests.builders import published_edition
from techissue.site.export import file_for

pytestmark = pytest.mark.django_db


def page(public_dir: Path, edition: object) -> Path:
    return public_dir / file_for(edition.get_absolute_url())  # type: ignore[attr-defined]


def test_it_exports_an_edition_when_it_is_published(public_dir: Path, django_capture_on_commit_callbacks) -> None:
    draft = services.draft_edition()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_edition(draft, title="Still a draft")
    assert not public_dir.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_edition(draft)

    assert "<h1>Still a draft</h1>" in page(public_dir, draft).read_text()
    assert draft.get_absolute_url() in (public_dir / "index.html").read_text()


def test_it_changes_the_page_on_disk_after_an_edit(public_dir: Path, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        edition = published_edition(title="Before")
    assert "<h1>Before</h1>" in page(public_dir, edition).read_text()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_edition(edition, title="After")
        services.update_pick(edition.picks.first(), headline="A corrected headline")

    html = page(public_dir, edition).read_text()
    assert "<h1>After</h1>" in html and "A corrected headline" in html
    assert "After" in (public_dir / "feed.atom").read_text()


def test_it_links_the_previous_page_to_a_newer_edition(public_dir: Path, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = published_edition(title="One")
    assert 'rel="next"' not in page(public_dir, first).read_text()

    with django_capture_on_commit_callbacks(execute=True):
        second = published_edition(title="Two")

    assert f'rel="next" href="{second.get_absolute_url()}"' in page(public_dir, first).read_text()


def test_it_removes_the_page_of_a_cancelled_edition(public_dir: Path, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        edition = published_edition(title="Withdrawn")
    assert page(public_dir, edition).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_edition(edition)

    assert not page(public_dir, edition).exists()


def test_it_exports_once_for_a_transaction_that_touches_many_rows(
    public_dir: Path, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from techissue.site import receivers

    calls: list[set[int]] = []
    monkeypatch.setattr(receivers, "run_export", lambda numbers, posts=(): calls.append(set(numbers)))
    edition = published_edition(picks=3)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for pick in edition.picks.all():
            services.update_pick(pick, comment="edited")
        services.update_edition(edition, subtitle="edited")

    assert calls == [{edition.number}]
