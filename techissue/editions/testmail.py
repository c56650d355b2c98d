"""Test mail: the edition as a reader gets it, sent to the editor's own addresses through the configured transport."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from techissue.editions.models import Edition
from techissue.editions.render import absolute_url, prepare_email

log = logging.getLogger(__name__)
MAX_TEST_ADDRESSES = 5


@dataclass
class TestResult:
    sent: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # address -> the reason, in the editor's language


def parse_addresses(text: str) -> list[str]:
    """Addresses separated by commas, spaces or lines; raises ValidationError naming a bad one."""
    addresses = [part.strip() for part in text.replace(",", " ").split() if part.strip()]
    if not addresses:
        raise ValidationError(_("Give at least one address."))
    if len(addresses) > MAX_TEST_ADDRESSES:
        raise ValidationError(_("A test goes to at most %(count)d addresses.") % {"count": MAX_TEST_ADDRESSES})
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(_("%(address)s is not an email address.") % {"address": address}) from None
    return list(dict.fromkeys(addresses))


def _send_one(message: EmailMultiAlternatives) -> None:
    """The configured transport (EMAIL_URL, or the demo's sink while the demo runs), as every single mail."""
    from techissue.delivery.transport import send_message  # delivery depends on editions, not the reverse

    send_message(message)


def send_test(edition: Edition, addresses: Iterable[str], name: str = "", language: str | None = None) -> TestResult:
    """Mail the edition to each address, marked [TEST]; record the time when at least one went out."""
    prepared = prepare_email(edition, language)
    subject, text, html = prepared.personalize(name, absolute_url("/"), absolute_url("/"))
    result = TestResult()
    for address in addresses:
        message = EmailMultiAlternatives(
            f"[TEST] {subject}",
            text,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            reply_to=[settings.TECHISSUE_REPLY_TO] if settings.TECHISSUE_REPLY_TO else None,
        )
        message.attach_alternative(html, "text/html")
        try:
            _send_one(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            result.refused[address] = _("the mail server refused %(address)s: %(code)s %(reply)s") % {
                "address": address,
                "code": code,
                "reply": reply.decode(errors="replace") if isinstance(reply, bytes) else reply,
            }
        except (smtplib.SMTPException, OSError) as error:
            result.refused[address] = _("the mail server could not be reached or refused the mail: %(error)s") % {
                "error": error
            }
        else:
            result.sent.append(address)
    if result.sent:
        now = timezone.now()
        Edition.objects.filter(pk=edition.pk).update(tested_at=now)
        edition.tested_at = now
        log.info("test mail of edition %s sent to %s", edition.number, result.sent)
    return result
