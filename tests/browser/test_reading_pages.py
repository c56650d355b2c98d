"""The archive page and an edition's email render in Chromium without a console error."""

from __future__ import annotations

import pytest

from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import make_story, published_edition
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_it_renders_the_archive_and_an_edition_page(live_server, page) -> None:
    make_story("<script>window.hacked=1</script> 반도체 수출 급증", summary="메모리 가격이 오른다.", score=999)
    edition = published_edition(title="AI 반도체의 한 주", editorial="> 이번 주의 흐름\n\n**요약**: 수출이 늘었다.")

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() in {"지난 호", "Archive"}
    assert screenshot(page, "archive").exists()

    page.goto(f"{live_server.url}{edition.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "AI 반도체의 한 주"
    assert page.evaluate("window.hacked") is None
    assert page.evaluate("getComputedStyle(document.body).wordBreak") == "keep-all"
    assert "<script>" in page.locator(".pick h3").first.inner_text()
    assert screenshot(page, "edition").exists()
    assert page.console_errors == []


def test_it_renders_an_edition_email(live_server, page) -> None:
    edition = published_edition(title="메일로 받는 테크이슈")
    _, _, html = prepare_email(edition).personalize("김하나", f"{live_server.url}/u", f"{live_server.url}/p")

    page.set_content(html)

    assert page.get_by_text("김하나님, 안녕하세요.").is_visible()
    assert page.get_by_role("link", name="구독 취소").is_visible()
    assert page.evaluate("document.querySelector('table.sheet').getBoundingClientRect().width") <= 600
    assert screenshot(page, "email").exists()
    assert page.console_errors == []
