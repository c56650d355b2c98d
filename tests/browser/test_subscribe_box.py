"""The subscribe box works from the exported static page (via a static-first front) and from Django's own page."""

from __future__ import annotations

from pathlib import Path

import pytest

from techissue.audience.models import Subscriber
from techissue.audience.tests.helpers import run_queued_tasks
from techissue.editions.tests.builders import published_edition
from techissue.site.export import export_site, file_for
from tests.browser.actions import click_and_wait_for_post
from tests.browser.conftest import screenshot
from tests.browser.static_front import static_front

pytestmark = pytest.mark.browser


@pytest.fixture
def public_dir(settings: object, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path / "public"


def subscribe(page: object, url: str, email: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    assert page.context.cookies() == []  # type: ignore[attr-defined]  # the page itself sets no cookie
    page.fill(".subscribe input[name=email]", email)  # type: ignore[attr-defined]
    click_and_wait_for_post(page, ".subscribe button[type=submit]", then_url="**/subscribe/")
    # Now on the answer page: let its favicon request end too, before a test stops the static front.
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]


def test_it_subscribes_from_the_exported_static_page(live_server, page, public_dir: Path) -> None:
    edition = published_edition(title="정적 페이지에서 구독하기", editorial="**한글** 문단: 반도체 수출이 늘었다.")
    export_site()
    exported = public_dir / file_for(edition.get_absolute_url())
    assert 'name="csrfmiddlewaretoken" value=""' in exported.read_text()

    with static_front(public_dir, live_server.url) as front:
        response = page.goto(f"{front}{edition.get_absolute_url()}")
        assert response.headers["x-served-by"] == "static"
        assert page.locator(".subscribe form").is_visible()
        screenshot(page, "edition-static")
        subscribe(page, f"{front}{edition.get_absolute_url()}", "static-reader@example.test")

    assert page.url == f"{front}/subscribe/" and page.locator("h1").inner_text() == "받은편지함을 확인해 주세요"
    run_queued_tasks()  # the worker handles the request
    assert Subscriber.objects.filter(email="static-reader@example.test").exists()
    assert page.console_errors == []


def test_it_subscribes_from_the_page_django_serves(live_server, page, public_dir: Path) -> None:
    edition = published_edition(title="장고가 보여 주는 페이지")

    subscribe(page, f"{live_server.url}{edition.get_absolute_url()}", "django-reader@example.test")

    run_queued_tasks()  # the worker handles the request
    assert Subscriber.objects.filter(email="django-reader@example.test").exists()
    assert [cookie["name"] for cookie in page.context.cookies()] == ["csrftoken"]
    assert page.console_errors == []


def test_it_offers_the_subscription_page_without_javascript(live_server, chromium, public_dir: Path) -> None:
    edition = published_edition()
    context = chromium.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{edition.get_absolute_url()}")
        assert not page.locator(".subscribe form").is_visible()
        page.click("a.subscribe-page")
        page.fill("input[name=email]", "no-script@example.test")
        click_and_wait_for_post(page, "form button[type=submit], form input[type=submit]", then_url="**/subscribe/")
    finally:
        context.close()
    run_queued_tasks()  # the worker handles the request
    assert Subscriber.objects.filter(email="no-script@example.test").exists()
