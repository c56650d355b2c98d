"""A reader's magazine: find an old editorial by a Korean word inside a longer one, read it, follow its
neighbours, share its card and subscribe, in Korean and English, at desktop and phone widths; axe finds no
serious or critical accessibility violation on the public pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.audience.tests.helpers import run_queued_tasks
from techissue.editions.tests.builders import published_edition
from techissue.site.models import Post
from techissue.site.posts import save_post
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"ko": "ko-KR", "en": "en-US"}


@pytest.fixture
def public_dir(settings: object, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path / "public"


@pytest.fixture
def magazine(public_dir: Path, live_server, settings) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Three editorials and an essay, the oldest about pickaxes and jeans in the chip industry."""
    settings.SITE_URL = live_server.url  # absolute links (og:image) must resolve against the running site
    old = published_edition(
        title="1호",
        editorial=(
            "# 곡괭이와 청바지\n\n골드러시에서 돈을 번 쪽은 곡괭이와 청바지를 판 사람들이었다. "
            "올해 반도체업계가 꼭 그렇다. 모델을 만드는 회사보다 칩과 메모리를 파는 회사가 먼저 웃는다.\n\n"
            "HBM 공급이 AI 데이터센터의 속도를 정한다."
        ),
    )
    middle = published_edition(
        title="2호", editorial="# 오픈 모델 위의 스타트업\n\n공개 가중치 모델이 늘면서 작은 팀이 빨라졌다."
    )
    essay = save_post(
        Post(
            title="Why memory is the new oil",
            subtitle="A standalone essay",
            body_md="Memory makers set the pace of the AI build-out this year.",
            language="en",
            published_at=timezone.now(),
        )
    )
    newest = published_edition(title="3호", editorial="# 빅테크의 설비투자\n\n데이터센터 투자가 또 늘었다.")
    essay.published_at = middle.published_at + (newest.published_at - middle.published_at) / 2
    save_post(essay)
    return {"old": old, "middle": middle, "essay": essay, "newest": newest}


def new_page(chromium: object, locale: str, viewport: dict[str, int], bypass_csp: bool = False) -> object:
    # Only the axe check bypasses the site's CSP, to inject axe itself; the reader's journey runs under it.
    context = chromium.new_context(viewport=viewport, locale=locale, bypass_csp=bypass_csp)  # type: ignore[attr-defined]
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    return page


def serious_violations(page: object) -> list[str]:
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['nodes'][0]['html'][:120]}"
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_reader_finds_an_old_editorial_and_follows_the_magazine(
    live_server, chromium, magazine: dict[str, object], language: str, width: str
) -> None:
    page = new_page(chromium, LOCALES[language], VIEWPORTS[width])
    old = magazine["old"]
    old_post = f"{old.get_absolute_url()}editorial/"  # type: ignore[attr-defined]

    # Search with the keyboard only: 반도체 appears only inside 반도체업계.
    page.goto(f"{live_server.url}/search/")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    page.locator("#search-q").focus()  # type: ignore[attr-defined]
    page.keyboard.type("반도체")  # type: ignore[attr-defined]
    with page.expect_navigation(url=lambda url: "q=" in url):  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]
    result = page.locator(f'.results a[href="{old_post}"]')  # type: ignore[attr-defined]
    assert result.count() == 1
    assert page.locator(".results mark").first.inner_text() == "반도체"  # type: ignore[attr-defined]
    screenshot(page, f"magazine-search-{language}-{width}")

    with page.expect_navigation(url=lambda url: url.endswith(old_post)):  # type: ignore[attr-defined]
        result.click()
    assert page.locator("h1").inner_text() == "곡괭이와 청바지"  # type: ignore[attr-defined]
    card = page.locator('meta[property="og:image"]').get_attribute("content")  # type: ignore[attr-defined]
    card_response = page.request.get(card)  # type: ignore[attr-defined]
    assert card_response.status == 200 and card_response.headers["content-type"] == "image/png"
    assert len(card_response.body()) > 10_000
    screenshot(page, f"magazine-post-{language}-{width}")

    # The oldest post has a newer neighbour and no older one; follow it there and back.
    assert page.locator('a[rel="prev"]').count() == 0  # type: ignore[attr-defined]
    middle_post = f"{magazine['middle'].get_absolute_url()}editorial/"  # type: ignore[attr-defined]
    with page.expect_navigation(url=lambda url: url.endswith(middle_post)):  # type: ignore[attr-defined]
        page.locator('a[rel="next"]').click()  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "오픈 모델 위의 스타트업"  # type: ignore[attr-defined]
    with page.expect_navigation(url=lambda url: url.endswith(old_post)):  # type: ignore[attr-defined]
        page.locator('a[rel="prev"]').click()  # type: ignore[attr-defined]

    # Subscribe from the magazine's index.
    page.goto(f"{live_server.url}/magazine/")  # type: ignore[attr-defined]
    assert page.locator(".archive li").count() == 4  # type: ignore[attr-defined]
    screenshot(page, f"magazine-index-{language}-{width}")
    email = f"reader-{language}-{width}@example.test"
    page.fill(".subscribe input[name=email]", email)  # type: ignore[attr-defined]
    with page.expect_navigation(url=lambda url: url.endswith("/subscribe/")):  # type: ignore[attr-defined]
        page.click(".subscribe button[type=submit]")  # type: ignore[attr-defined]
    run_queued_tasks()  # the worker handles the request
    assert Subscriber.objects.filter(email=email).exists()
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_axe_finds_no_serious_violation_on_the_public_pages(live_server, chromium, magazine: dict[str, object]) -> None:
    newest = magazine["newest"]
    paths = {
        "home": "/",
        "magazine": "/magazine/",
        "post": f"{newest.get_absolute_url()}editorial/",  # type: ignore[attr-defined]
        "essay": f"/p/{magazine['essay'].slug}/",  # type: ignore[attr-defined]
        "edition": newest.get_absolute_url(),  # type: ignore[attr-defined]
        "search": "/search/?q=%EB%B0%98%EB%8F%84%EC%B2%B4",
        "subscribe": "/subscribe/",
        "not-found": "/e/999-nothing/",
    }
    found: dict[str, list[str]] = {}
    for language, locale in LOCALES.items():
        page = new_page(chromium, locale, VIEWPORTS["desktop"], bypass_csp=True)
        for name, path in paths.items():
            page.goto(f"{live_server.url}{path}")  # type: ignore[attr-defined]
            violations = serious_violations(page)
            if violations:
                found[f"{language} {name}"] = violations
        if language == "en":
            screenshot(page, "subscribe-page-en")
        page.context.close()  # type: ignore[attr-defined]

    assert found == {}


def test_the_subscribe_page_is_usable_on_a_phone(live_server, chromium) -> None:
    page = new_page(chromium, "ko-KR", VIEWPORTS["phone"])
    page.goto(f"{live_server.url}/subscribe/")  # type: ignore[attr-defined]

    button = page.locator("main button[type=submit]").bounding_box()  # type: ignore[attr-defined]
    field = page.locator("main input[type=email]").bounding_box()  # type: ignore[attr-defined]
    assert button["height"] >= 44 and field["height"] >= 44  # a thumb-sized target
    assert field["width"] >= 300
    screenshot(page, "subscribe-page-ko-phone")
    page.context.close()  # type: ignore[attr-defined]
