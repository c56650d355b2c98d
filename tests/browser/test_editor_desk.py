"""The editor logs in, reorders picks by drag and drop, previews and schedules an edition."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story
from tests.browser.actions import click_and_wait_for_post
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_it_lets_the_editor_order_preview_and_schedule(live_server, page, plain_static) -> None:
    User.objects.create_superuser("editor", "editor@127.0.0.1", "a-long-password-1")
    for score, title in [(3, "Alpha"), (2, "Beta"), (1, "Gamma")]:
        make_story(title, score=score)
    edition = services.draft_edition(size=3)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password-1")
    click_and_wait_for_post(page, "input[type=submit]")
    page.goto(f"{live_server.url}/admin/editions/edition/{edition.pk}/change/")

    rows = page.locator(".sortable-picks tbody tr.has_original")
    rows.nth(2).locator(".pick-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
    positions = page.eval_on_selector_all(
        ".sortable-picks tbody tr.has_original",
        "rows => rows.map(r => [r.querySelector('input[name$=\"-headline\"]').value, r.querySelector('input.pick-position').value])",
    )
    assert positions == [["Gamma", "1"], ["Alpha", "2"], ["Beta", "3"]]

    page.fill("textarea.editorial-source", "**굵은 사설** <script>alert(1)</script>")
    page.wait_for_selector(".editorial-preview strong")
    assert page.locator(".editorial-preview").inner_html().count("<script") == 0
    screenshot(page, "editor-desk")
    click_and_wait_for_post(page, "input[name=_continue]")
    assert [p.headline for p in edition.picks.all()] == ["Gamma", "Alpha", "Beta"]

    with page.expect_popup() as popup_info:
        page.click("a.preview-link >> nth=0")
    preview = popup_info.value
    preview.locator("p.pick-title").first.wait_for()  # the element itself, not a load state
    assert preview.locator("p.pick-title").first.inner_text().startswith("1. Gamma")

    page.goto(f"{live_server.url}/admin/editions/edition/")
    page.check(f"input[name=_selected_action][value='{edition.pk}']")
    page.select_option("select[name=action]", "schedule_action")
    click_and_wait_for_post(page, "button[name=index]")
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED and edition.scheduled_at is not None
    assert page.console_errors == []
