"""Guessing the admin password over HTTP: after a few wrong ones the account is locked from that address."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.webclient import Browser

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"


def attempt(browser: Browser, password: str) -> tuple[int, str]:
    return browser.submit(LOGIN, {"username": "editor", "password": password})


def logged_in(browser: Browser) -> bool:
    status, _ = browser.get("/admin/")
    return status == 200 and "/admin/login/" not in browser.last_url


def test_fifty_wrong_passwords_then_the_right_one_is_refused(live_server, settings) -> None:
    settings.TECHISSUE_TRUSTED_PROXIES = 1
    User.objects.create_superuser("editor", password=PASSWORD)
    attacker = Browser(live_server.url, forwarded_for="203.0.113.66")

    answers = [attempt(attacker, f"guess-{n}")[0] for n in range(50)]
    status, page = attempt(attacker, PASSWORD)

    assert answers[0] == 200 and answers[-1] == 429  # the login form again, then the lockout page
    assert status == 429 and ("Too many failed logins" in page or "로그인 실패가 너무 많습니다" in page)
    assert not logged_in(attacker)


def test_the_lock_is_for_that_address_so_the_editor_still_gets_in(live_server, settings) -> None:
    settings.TECHISSUE_TRUSTED_PROXIES = 1
    User.objects.create_superuser("editor", password=PASSWORD)
    attacker = Browser(live_server.url, forwarded_for="203.0.113.66")
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        attempt(attacker, f"guess-{n}")

    editor = Browser(live_server.url, forwarded_for="198.51.100.20")
    attempt(editor, PASSWORD)

    assert logged_in(editor)
