"""The editor's day in Chromium against a live server: home, feeds, the desk by keyboard, add by address, readers.

Screenshots in Korean and English, at 1280 px and on a phone, go to artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from techissue.curation.models import Story
from techissue.editions.tests.builders import make_story
from techissue.editor.tests.pages import serve_pages
from techissue.sources.models import Feed
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WAIT = 120_000  # ms: fetching and curating on a loaded machine


@pytest.fixture
def inline_extraction(settings: object) -> None:
    settings.TECHISSUE_EXTRACT_PROCESSES = 0  # type: ignore[attr-defined]  # no process pool inside the test process


def run_worker_once() -> None:
    """What `techissue worker` does with the queued tasks, on this thread (the page keeps polling meanwhile).

    On this thread, not another: the live server shares this thread's in-memory SQLite connection, and a
    second connection to it would meet shared-cache table locks.
    """
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def shots(page: object, name: str) -> None:
    """The page as it is now at 1280 px and on a phone, in the current language."""
    lang = page.evaluate("document.documentElement.lang")  # type: ignore[attr-defined]
    page.set_viewport_size(DESKTOP)  # type: ignore[attr-defined]
    screenshot(page, f"editor-{name}-{lang}-1280")
    page.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    screenshot(page, f"editor-{name}-{lang}-phone")
    page.set_viewport_size(DESKTOP)  # type: ignore[attr-defined]


def key(page: object, keys: str, card: int, css: str) -> None:
    """Press a desk key and wait for the story's card to show the change in place."""
    page.keyboard.press(keys)  # type: ignore[attr-defined]
    page.wait_for_selector(f"#story-{card}{css}")  # type: ignore[attr-defined]


def test_the_editors_day(live_server, page, plain_static, demo_newsroom, inline_extraction, tmp_path: Path) -> None:
    User.objects.create_superuser("editor", "editor@127.0.0.1", "a-long-password-1")
    for n in range(12):
        make_story(f"스토리 {n:02d}: 반도체와 배터리 소식", score=100 - n)
    two_outlets = make_story("Nvidia earnings and a chip tariff", outlets=("Pacific Wire", "Chip Ilbo"), score=200)
    merge_me = make_story("엔비디아 실적 발표", score=150)

    # Log in: the first page is the editor's home for the day.
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/editor/")
    assert page.locator("h1").inner_text() == "오늘"
    assert page.locator("#reader-growth svg").count() == 1
    shots(page, "home")

    # Feeds: follow a site by its home page, import an OPML file, fetch one feed with live progress.
    outlet = demo_newsroom.corpus.outlets[0]
    page.click("nav.mainnav >> text=피드")
    page.fill("#add-feed-url", demo_newsroom.home_url(outlet.slug))
    page.click("#add-feed-submit")
    page.wait_for_selector("#add-feed-result .msg-success")
    assert Feed.objects.filter(url=demo_newsroom.feed_url(outlet.slug)).exists()
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(httpx.get(demo_newsroom.opml_url).content)
    page.set_input_files("#opml-file", str(opml))
    page.click("#opml-submit")
    page.wait_for_selector("#opml-result .msg")
    assert Feed.objects.filter(url__in=demo_newsroom.feed_urls()).count() == len(demo_newsroom.corpus.outlets)
    feed = Feed.objects.get(url=demo_newsroom.feed_url(outlet.slug))
    page.wait_for_selector(f"#feed-{feed.id}")
    page.click(f"#feed-{feed.id} .feed-actions form:nth-child(2) button")
    page.wait_for_selector(".fetch-run[hx-trigger]")  # polling while the worker runs
    run_worker_once()
    page.wait_for_selector(".fetch-run[data-phase=done]", timeout=WAIT)
    assert "1 / 1" in page.locator(".fetch-run").inner_text().replace("1개 중 1개", "1 / 1")
    shots(page, "feeds")

    # The desk, by keyboard only: ten decisions, an undo of a skip, a merge of two, then a split.
    page.click("nav.mainnav >> text=데스크")
    page.wait_for_selector("#desk-list li.story.current")
    first = int(page.locator("#desk-list li.story.current").get_attribute("data-story"))
    assert first == two_outlets.id
    page.keyboard.press("j")  # to the second story (merge_me), then mark it and the next for merging
    page.keyboard.press("k")
    page.keyboard.press("j")
    assert int(page.locator("li.story.current").get_attribute("data-story")) == merge_me.id
    page.keyboard.press("j")
    decided: list[tuple[int, str]] = []
    for n in range(10):
        current = int(page.locator("li.story.current").get_attribute("data-story"))
        decision = "p" if n % 3 == 1 else "s"  # the tenth is a skip, which u then undoes
        key(page, decision, current, ".is-picked" if decision == "p" else ".is-skipped")
        decided.append((current, decision))
    last_skipped = decided[-1][0]
    key(page, "u", last_skipped, ":not(.is-skipped)")
    assert Story.objects.get(id=last_skipped).decision == ""
    picked = {story for story, decision in decided if decision == "p"}
    assert set(Story.objects.filter(decision="picked").values_list("id", flat=True)) == picked
    assert Story.objects.filter(decision="skipped").count() == 10 - len(picked) - 1

    page.keyboard.press("?")
    assert page.locator("#keys").is_visible()
    page.keyboard.press("Escape")
    page.goto(f"{live_server.url}/editor/desk/")
    page.wait_for_selector("#desk-list li.story.current")
    page.keyboard.press("j")  # merge_me
    page.keyboard.press("x")
    page.keyboard.press("k")  # two_outlets
    page.keyboard.press("x")
    assert page.locator("#mergebar").is_visible()
    page.keyboard.press("m")
    page.wait_for_selector("#panel .msg-success")
    assert Story.objects.get(id=merge_me.id).merged_into_id == two_outlets.id

    page.keyboard.press("o")
    page.wait_for_selector(f"#panel .story-panel[data-story='{two_outlets.id}'] .split-tick")
    page.locator("#panel .split-tick input").first.check()
    page.click("#panel .split-form button[type=submit]")
    page.wait_for_selector("#panel .msg-success")
    assert two_outlets.members.count() == 2  # three articles after the merge, one split off
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "desk-search"
    page.keyboard.press("Escape")

    # Add an article by its address.
    with serve_pages() as site:
        page.click("#add-article summary")
        page.fill("#add-article input[name=url]", f"{site}/news/chips")
        page.click("#add-article button[type=submit]")
        page.wait_for_selector("#add-result .msg-success", timeout=WAIT)
    shots(page, "desk")

    # Readers: a CSV with a bad row; the good rows go in and the bad one is named with its line.
    csv_file = tmp_path / "readers.csv"
    csv_file.write_text(
        "email,name,language\nada@example.test,에이다,ko\nnot-an-address,Bad,en\nbo@example.test,Bo,en\n"
    )
    page.click("nav.mainnav >> text=독자")
    page.set_input_files("#reader-csv", str(csv_file))
    page.click("#reader-import-submit")
    page.wait_for_selector(".import-report")
    assert "not-an-address" in page.locator(".import-report").inner_text()
    shots(page, "readers")

    # The same pages in English, chosen once and kept for this editor.
    page.click(".langswitch button[value=en]")
    page.wait_for_selector("html[lang=en]")
    for name, path in [
        ("home", "/editor/"),
        ("desk", "/editor/desk/"),
        ("feeds", "/editor/feeds/"),
        ("readers", "/editor/readers/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.lang") == "en"
        shots(page, name)
    assert page.console_errors == []  # type: ignore[attr-defined]
