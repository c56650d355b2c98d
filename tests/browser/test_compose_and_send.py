"""The writing half of the week in Chromium, against `techissue serve` with its worker and a real SMTP sink.

Draft from picks, reorder by keyboard, an editorial with an uploaded image (seen in the preview, on the
published page and in the delivered mail), a test mail that arrives, a schedule a minute away that the
worker sends with live progress, "send now" stopped by pre-flight errors, and a second edition cancelled
mid-send, after which the static archive and the site agree.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from techissue.delivery.tests.smtpserver import SmtpServer
from techissue.editions.tests.linkserver import link_server
from techissue.editions.tests.uploads import png_bytes
from tests.browser.conftest import screenshot
from tests.browser.served import ServedSite

pytestmark = pytest.mark.browser

ZONE = ZoneInfo("Asia/Seoul")
READERS = 24
SETUP = """
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from techissue.audience.models import Subscriber
from techissue.curation.models import Story
from techissue.editions.tests.builders import make_story
from techissue.sources.models import Article, Feed
User.objects.create_superuser("editor", "editor@example.test", "a-long-password-1", first_name="편집자")
now = timezone.now()
Subscriber.objects.bulk_create([
    Subscriber(email=f"reader{{i}}@example.test", name=f"독자{{i}}", language="en" if i % 4 == 0 else "ko",
               status="active", consent_at=now, consent_method="admin")
    for i in range({readers})
])
titles = ["반도체 수출이 다시 늘었다", "배터리 공장이 새로 문을 연다", "인공지능 규제 초안이 나왔다",
          "전기차 충전 요금이 바뀐다", "클라우드 비용을 줄이는 기업들", "스타트업 투자가 돌아오고 있다"]
for index, title in enumerate(titles):
    story = make_story(title, summary=f"{{title}}에 관한 요약.", score=10 - index,
                       decision=Story.Decision.PICKED if index < 3 else "")
    Article.objects.filter(pk=story.representative_id).update(
        url=f"{links}/article/{{index}}?utm_source=rss", canonical_url=f"{links}/article/{{index}}")
Feed.objects.update(active=False, next_fetch_at=now + timedelta(days=30))
"""


def slot_in(seconds: int) -> tuple[str, datetime]:
    """A TECHISSUE_SCHEDULE with one slot at least `seconds` from now (whole minutes, Seoul time)."""
    moment = (datetime.now(ZONE) + timedelta(seconds=seconds + 60)).replace(second=0, microsecond=0)
    return f"{moment.strftime('%a').lower()} {moment.strftime('%H:%M')}", moment


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[ServedSite, SmtpServer]]:
    with SmtpServer() as sink, link_server() as links:
        spec, _moment = slot_in(55)  # the test reaches "schedule" about 25 s after the server starts
        served = ServedSite(
            tmp_path / "data",
            EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
            TECHISSUE_SCHEDULE=spec,
            DELIVERY_BATCH_SIZE="3",
            DELIVERY_RATE_PER_SECOND="3",
            DELIVERY_CONNECTIONS="1",
            DEFAULT_FROM_EMAIL="techissue <newsletter@example.test>",
        )
        served.start()
        try:
            served.script(SETUP.format(readers=READERS, links=links))
            yield served, sink
        finally:
            served.stop()


def log_in(page: object, base: str) -> None:
    page.goto(f"{base}/admin/login/")  # type: ignore[attr-defined]
    page.fill("#id_username", "editor")  # type: ignore[attr-defined]
    page.fill("#id_password", "a-long-password-1")  # type: ignore[attr-defined]
    page.click("[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def headlines(page: object) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#picks li.pick input[name=headline]", "inputs => inputs.map(i => i.value)"
    )


def wait_for(condition, seconds: float = 120, step: float = 0.5):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting")


def mails_to(sink: SmtpServer, prefix: str) -> list[object]:
    return [
        message_from_bytes(item.data, policy=policy.default)
        for item in sink.recorder.received
        if item.recipient.startswith(prefix)
    ]


def html_of(message: object) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/html")  # type: ignore[attr-defined]
    return part.get_payload(decode=True).decode()


def image_loaded(frame_or_page: object, selector: str = "img") -> bool:
    return bool(
        frame_or_page.eval_on_selector_all(  # type: ignore[attr-defined]
            selector, "imgs => imgs.some(i => i.complete && i.naturalWidth > 0 && i.src.includes('/media/'))"
        )
    )


def test_the_editor_drafts_checks_schedules_sends_and_cancels(chromium: object, site, tmp_path: Path) -> None:
    served, sink = site
    base = served.url
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base)

    # 1. Draft from my picks (three of them), then reorder by keyboard.
    page.goto(f"{base}/editor/editions/")
    page.fill("input[name=size]", "3")
    page.click("#draft-from-picks")
    page.wait_for_selector("#picks li.pick")
    assert headlines(page) == [
        "반도체 수출이 다시 늘었다",
        "배터리 공장이 새로 문을 연다",
        "인공지능 규제 초안이 나왔다",
    ]
    assert "utm_" not in page.input_value("#picks li.pick input[name=url]")
    page.focus("#picks li.pick:nth-child(3) .pick-handle")
    with page.expect_response(re.compile(r"/picks/order/$")):
        page.keyboard.press("ArrowUp")
    with page.expect_response(re.compile(r"/picks/order/$")):
        page.keyboard.press("ArrowUp")
    page.reload()
    assert headlines(page)[0] == "인공지능 규제 초안이 나왔다"
    edition_url = page.url

    # 2. The editorial, with an uploaded image (alt text required), shows in the preview.
    page.fill("input[name=title]", "반도체의 봄")
    page.fill("#editorial", "이번 주에는 **반도체**가 돌아왔습니다.\n\n")
    page.set_input_files("#image-file", {"name": "chart.png", "mimeType": "image/png", "buffer": png_bytes((120, 60))})
    page.click("#image-submit")  # no alt text yet: refused in words, nothing uploaded
    assert page.locator("#image-state.bad").count() == 1
    page.fill("#image-alt", "수출 그래프")
    with page.expect_response(re.compile(r"/images/$")):
        page.click("#image-submit")
    expect(page.locator("#editorial")).to_have_value(re.compile(r"!\[수출 그래프\]\(/media/editions/images/"))
    page.wait_for_timeout(600)
    frame = page.frame_locator("#preview")
    frame.locator("img[alt='수출 그래프']").wait_for()
    wait_for(lambda: image_loaded(page.frame(url=re.compile(r"/preview/")) or page), 20)
    page.click("[data-preview-width=phone]")
    screenshot(page, "compose-ko-1280")

    # 3. A test mail to the editor arrives, with the image by an absolute URL that resolves.
    page.click("#send-test")
    page.wait_for_selector("#test-state .msg-success")
    test_mail = wait_for(lambda: mails_to(sink, "editor@"), 20)[0]
    assert str(test_mail["Subject"]).startswith("[TEST] ")
    image_url = re.search(r'src="(http://127\.0\.0\.1:\d+/media/editions/images/[0-9a-f]+\.png)"', html_of(test_mail))[
        1
    ]
    served_image = httpx.get(image_url)
    assert served_image.status_code == 200 and served_image.headers["x-content-type-options"] == "nosniff"

    # 4. "Send now" with a pre-flight error (a pick without a link) is stopped.
    link = page.locator("#picks li.pick").nth(1).locator("input[name=url]")
    original_link = link.input_value()
    with page.expect_response(re.compile(r"/picks/\d+/$")):
        link.fill("")
        link.dispatch_event("change")
    page.click("#send-now")
    page.wait_for_selector("#confirm-question")
    assert f"{READERS}" in page.inner_text("#confirm-question")
    assert page.locator(".check-error[data-code=pick_without_link]").count() == 1
    assert page.locator("#confirm-send").is_disabled()
    screenshot(page, "confirm-ko-blocked")
    confirm_url = page.url

    # The same pages in English, and the compose page on a phone in both languages.
    page.goto(edition_url)
    page.click(".langswitch button[value=en]")
    page.wait_for_load_state()
    page.goto(confirm_url)
    assert "readers?" in page.inner_text("#confirm-question")
    screenshot(page, "confirm-en-blocked")
    page.goto(edition_url)
    screenshot(page, "compose-en-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "compose-en-phone")
    page.click(".langswitch button[value=ko]")
    page.wait_for_load_state()
    screenshot(page, "compose-ko-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(edition_url)
    with page.expect_response(re.compile(r"/picks/\d+/$")):
        page.locator("#picks li.pick").nth(1).locator("input[name=url]").fill(original_link)
        page.locator("#picks li.pick").nth(1).locator("input[name=url]").dispatch_event("change")

    # 5. Schedule for the slot a minute away; the worker sends it while the page shows live progress.
    page.reload()
    page.check("input[name=slot] >> nth=0")
    page.click("#schedule")
    page.wait_for_selector(".msg-success")
    assert page.locator(".status-scheduled").count() >= 1
    wait_for(lambda: (page.reload(), page.locator("#send-progress").count())[1], 180, step=3)
    panel = page.locator("#send-progress")
    sent_counts = set()
    deadline = time.monotonic() + 90
    while page.locator("#send-progress[data-state=done]").count() == 0 and time.monotonic() < deadline:
        sent_counts.add(panel.locator("[data-figure=sent]").inner_text())
        page.wait_for_timeout(700)
    assert page.locator("#send-progress[data-state=done]").count() == 1, "the worker did not finish the send"
    assert len(sent_counts) >= 2, "the numbers never moved without a reload"
    page.wait_for_selector(".compose-head .status-sent")
    screenshot(page, "progress-ko-sent")
    delivered = wait_for(lambda: mails_to(sink, "reader"), 10)
    assert len(delivered) == READERS
    assert all(image_url.rsplit("/", 1)[1] in html_of(mail) for mail in delivered)
    english = html_of(mails_to(sink, "reader0@")[0])
    assert "Unsubscribe" in english and "반도체의 봄" in english
    published = page.locator(".compose-head a[href^='/e/']").get_attribute("href")
    page.goto(f"{base}{published}")
    assert image_loaded(page), "the image is broken on the published page"

    # 6. A second edition, sent now after ticking the warnings, cancelled mid-send.
    page.goto(f"{base}/editor/editions/")
    page.fill("input[name=size]", "3")
    page.click("#draft-from-picks")
    page.wait_for_selector("#picks li.pick")
    with page.expect_response(re.compile(r"/save/$")):
        page.fill("#editorial", "두 번째 호의 사설.")
    second_url = page.url
    page.click("#send-now")
    page.wait_for_selector("#confirm-question")
    assert page.locator(".check-error").count() == 0
    for box in page.locator("input[name=ack]").all():
        box.check()
    page.click("#confirm-send")
    page.wait_for_selector("#send-progress")
    wait_for(lambda: int(page.locator("#send-progress [data-figure=sent]").inner_text()) > 0, 60, step=0.3)
    page.click("#send-progress button.danger")
    page.wait_for_selector(".compose-head .status-cancelled")  # the page reloads itself once the send ended
    assert page.locator("#send-progress[data-state=cancelled]").count() == 1
    screenshot(page, "progress-ko-cancelled")
    second_page = served.script(
        "from techissue.editions.models import Edition\n"
        f"print(Edition.objects.get(pk={second_url.rstrip('/').rsplit('/', 1)[1]}).get_absolute_url())"
    )
    assert httpx.get(f"{base}{second_page}").status_code == 404
    archive = served.data_dir / "public"
    assert not list((archive / "e").glob(f"{second_page.split('/')[2].split('-')[0]}-*"))
    assert httpx.get(f"{base}{published}").status_code == 200
    assert (archive / published.lstrip("/") / "index.html").exists()
    assert len(mails_to(sink, "reader")) < 2 * READERS

    assert errors == []
    context.close()
