"""Advertising editions (정보통신망법 제50조): pre-flight names missing sender settings and flags night sends; web labels."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone, translation

from techissue.editions import preflight
from techissue.editions.models import Edition
from techissue.editions.tests.builders import published_edition
from techissue.editions.tests.test_preflight import codes, ready

pytestmark = pytest.mark.django_db


def tomorrow_at(hour: int) -> datetime:
    zone = ZoneInfo(django_settings.TIME_ZONE)
    day = timezone.now().astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=zone)


def test_an_advertising_edition_without_sender_details_is_blocked_naming_the_settings(settings) -> None:
    settings.TECHISSUE_SENDER_NAME, settings.TECHISSUE_SENDER_CONTACT = "", " "
    edition = ready(status=Edition.Status.SCHEDULED, scheduled_at=tomorrow_at(10))
    edition.picks.update(is_sponsored=True)
    with translation.override("en"):
        report = preflight.check_edition(edition, check_links=False)
    [finding] = [f for f in report.errors if f.code == "advertising_without_sender"]
    assert "TECHISSUE_SENDER_NAME" in finding.message and "TECHISSUE_SENDER_CONTACT" in finding.message
    with pytest.raises(preflight.SendRefused):
        preflight.send_after_checks(edition, report.warning_codes(), check_links=False)
    edition.picks.update(is_sponsored=False)
    assert codes(edition) == (set(), set())  # without a sponsor nothing of this applies


def test_an_advertising_edition_at_night_is_a_warning_citing_the_rule(settings) -> None:
    settings.TECHISSUE_SENDER_NAME, settings.TECHISSUE_SENDER_CONTACT = "테크이슈", "editor@example.test"
    night = ready(is_advertising=True, status=Edition.Status.SCHEDULED, scheduled_at=tomorrow_at(22))
    assert codes(night) == (set(), {"advertising_at_night"})
    with translation.override("ko"):
        [finding] = preflight.check_edition(night, check_links=False).warnings
    assert "제50조" in finding.message and "시행령 제61조" in finding.message
    night.scheduled_at = tomorrow_at(10)
    assert codes(night) == (set(), set())


def test_the_web_page_labels_sponsored_picks_and_advertising_editions() -> None:
    edition = published_edition(language="ko")
    first = edition.picks.first()
    assert first is not None
    edition.picks.filter(pk=first.pk).update(is_sponsored=True)
    page = Client().get(edition.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert page.count('<span class="sponsored">광고</span>') == 1 and "이번 호는 광고입니다." not in page
    edition.is_advertising = True
    edition.save()
    assert "이번 호는 광고입니다." in Client().get(edition.get_absolute_url()).content.decode()
