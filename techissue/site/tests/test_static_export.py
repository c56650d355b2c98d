"""The static export: every published page, exactly as Django answers it, written atomically, drafts left out."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.core.management import call_command

from techissue.editions import services
from techissue.editions.tests.builders import make_story, published_edition
from techissue.site.export import export_site, file_for

pytestmark = pytest.mark.django_db


def edition_file(public_dir: Path, edition: object) -> Path:
    return public_dir / file_for(edition.get_absolute_url())  # type: ignore[attr-defined]


def test_it_maps_urls_to_the_files_nginx_looks_for() -> None:
    assert file_for("/") == Path("index.html")
    assert file_for("/e/12-ai-chips/") == Path("e/12-ai-chips/index.html")
    assert file_for("/feed.atom") == Path("feed.atom")
    assert file_for("/e/3-%ED%95%9C%EA%B8%80/") == Path("e/3-한글/index.html")


def test_it_writes_every_published_edition_and_no_draft(public_dir: Path) -> None:
    first = published_edition(title="First")
    second = published_edition(title="Second")
    draft = services.draft_edition()

    written = export_site()

    # two editions and their cards, the index, the feed, the sitemap, robots.txt, the magazine, its feed, feed.xsl
    assert written == 11
    assert edition_file(public_dir, first).is_file() and edition_file(public_dir, second).is_file()
    assert (edition_file(public_dir, first).parent / "card.png").read_bytes().startswith(b"\x89PNG")
    assert not edition_file(public_dir, draft).exists()
    assert sorted(p.name for p in public_dir.iterdir()) == [
        "e",
        "feed.atom",
        "feed.xsl",
        "index.html",
        "magazine",
        "robots.txt",
        "sitemap.xml",
    ]
    assert draft.get_absolute_url() not in (public_dir / "sitemap.xml").read_text()


def test_it_writes_exactly_what_django_answers(public_dir: Path, client) -> None:
    edition = published_edition(title="AI 반도체의 한 주", editorial="**요약**")
    export_site()

    for url in [edition.get_absolute_url(), "/", "/feed.atom", "/sitemap.xml", "/robots.txt"]:
        assert (public_dir / file_for(url)).read_bytes() == client.get(url, HTTP_HOST="127.0.0.1:8000").content, url


def test_it_leaves_unchanged_files_alone_and_readable_by_nginx(public_dir: Path) -> None:
    edition = published_edition()
    export_site()
    page = edition_file(public_dir, edition)
    before = page.stat().st_mtime_ns

    assert export_site() == 0
    assert page.stat().st_mtime_ns == before
    assert stat.S_IMODE(page.stat().st_mode) == 0o644
    assert not [p for p in public_dir.rglob("*.tmp")]


def test_it_removes_an_edition_that_leaves_the_archive(public_dir: Path) -> None:
    edition = published_edition(title="Withdrawn")
    export_site()
    assert edition_file(public_dir, edition).exists()

    services.cancel_edition(edition)
    export_site()

    assert not edition_file(public_dir, edition).parent.exists()
    assert "Withdrawn" not in (public_dir / "index.html").read_text()


def test_it_keeps_a_hostile_headline_escaped_in_the_file(public_dir: Path) -> None:
    make_story('<script>alert("x")</script><img src=x onerror=alert(1)>', score=10_000)
    edition = published_edition(picks=1)
    export_site()

    html = edition_file(public_dir, edition).read_text()
    feed = (public_dir / "feed.atom").read_text()

    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in feed


def test_it_prints_what_the_command_did(public_dir: Path, capsys) -> None:
    published_edition()

    call_command("publish_site")
    call_command("publish_site")

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{public_dir}: 9 written, 0 unchanged, 0 removed",
        f"{public_dir}: 0 written, 9 unchanged, 0 removed",
    ]
