"""Fixtures for the delivery tests: an SMTP server on loopback, readers, an edition ready to send."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.delivery import dkimsign, periodic
from techissue.delivery.tests.smtpserver import SmtpServer
from techissue.editions.models import Edition


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server, override_settings(EMAIL_HOST="127.0.0.1", EMAIL_PORT=server.port, EMAIL_USE_TLS=False):
        periodic.reset()
        dkimsign.signer_from_settings.cache_clear()
        yield server
        periodic.reset()


def make_readers(count: int, domain: str = "example.test") -> list[Subscriber]:
    now = timezone.now()
    return [
        Subscriber.objects.create(
            email=f"reader{index}@{domain}",
            name=f"Reader {index}",
            status=Subscriber.Status.ACTIVE,
            consent_at=now,
            consent_method=Subscriber.Consent.ADMIN,
        )
        for index in range(count)
    ]


def make_edition(number: int = 1) -> Edition:
    return Edition.objects.create(
        number=number, title=f"Edition {number}", slug=f"edition-{number}", editorial_md="Hello **world**."
    )


def run_until_idle(limit: int = 1000) -> int:
    ticks = 0
    while periodic.tick() and ticks < limit:
        ticks += 1
    return ticks
