"""Actions on subscribers: subscribe with double opt-in, confirm, unsubscribe, preferences, suppress."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from techissue.audience.models import Subscriber

log = logging.getLogger(__name__)

CONFIRMATION_RESEND_AFTER = timedelta(hours=1)
SOFT_BOUNCE_LIMIT = 3


def known_language(language: str | None, fallback: str | None = None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return str(language)
    return fallback if fallback in codes else settings.LANGUAGE_CODE


def request_subscription(email: str, name: str = "", language: str | None = None, ip: str | None = None) -> bool:
    """Record a wish to subscribe and mail a confirmation link; True when a mail went out.

    1. A new address becomes `pending`. A suppressed one becomes `pending` again (the person asks anew;
       the consent is only recorded when they confirm). An active one stays active and gets nothing.
    2. A confirmation goes out at most once an hour per address, so the form cannot bomb an inbox.
    """
    from techissue.audience.mail import send_confirmation

    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email, name=name.strip(), language=known_language(language)
                    )
            except IntegrityError:  # the same address, submitted twice at once
                return False
        elif subscriber.status == Subscriber.Status.ACTIVE:
            return False
        recent = subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
        if recent:
            return False
        if subscriber.status != Subscriber.Status.PENDING:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.token_version = F("token_version") + 1
        if name.strip():
            subscriber.name = name.strip()
        subscriber.language = known_language(language, subscriber.language)
        subscriber.consent_ip = ip
        subscriber.confirmation_sent_at = now
        subscriber.save()
        subscriber.refresh_from_db()
    try:
        send_confirmation(subscriber)
    except (smtplib.SMTPException, OSError) as error:
        # The relay is down or refused: the reader gets the usual answer (no enumeration, no
        # traceback), and the hourly limit is lifted so that asking again can send the link.
        log.warning("confirmation mail to subscriber %s failed: %s", subscriber.id, error)
        Subscriber.objects.filter(id=subscriber.id).update(confirmation_sent_at=None)
        return False
    return True


def confirm_subscription(subscriber: Subscriber) -> None:
    """The person clicked and confirmed: active, consent recorded, older links retired."""
    if subscriber.status == Subscriber.Status.ACTIVE:
        return
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.paused = False
    subscriber.consent_at = timezone.now()
    subscriber.consent_method = Subscriber.Consent.FORM
    subscriber.confirmed_at = subscriber.consent_at
    subscriber.left_at = None
    subscriber.soft_bounces = 0
    subscriber.save(
        update_fields=[
            "status",
            "paused",
            "consent_at",
            "consent_method",
            "confirmed_at",
            "left_at",
            "soft_bounces",
            "updated_at",
        ]
    )
    log.info("subscriber %s confirmed", subscriber.pk)


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop every mail to this person at once (also mid-send: the engine re-checks before sending)."""
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return
    if subscriber.is_suppressed:  # bounced or complained stays that, a stronger reason
        return
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.left_at = timezone.now()
    subscriber.save(update_fields=["status", "left_at", "updated_at"])
    log.info("subscriber %s unsubscribed", subscriber.pk)


def update_preferences(subscriber: Subscriber, language: str, paused: bool) -> None:
    subscriber.language = known_language(language, subscriber.language)
    subscriber.paused = paused
    subscriber.save(update_fields=["language", "paused", "updated_at"])


def suppress(subscriber: Subscriber, status: str, reason: str) -> None:
    """Mark an address bounced or complained: no path sends to it again until the person re-subscribes."""
    subscriber.status = status
    subscriber.last_bounce = reason[:2000]
    subscriber.left_at = timezone.now()
    subscriber.save(update_fields=["status", "last_bounce", "left_at", "updated_at"])
    log.info("subscriber %s suppressed as %s", subscriber.pk, status)


def record_bounce(email: str, hard: bool, reason: str = "", complaint: bool = False) -> Subscriber | None:
    """A bounce or complaint about `email`: hard and complaints suppress now, soft after SOFT_BOUNCE_LIMIT."""
    subscriber = Subscriber.objects.with_email(email).first()
    if subscriber is None or subscriber.is_suppressed:
        return subscriber
    if complaint:
        suppress(subscriber, Subscriber.Status.COMPLAINED, reason or "complaint")
    elif hard:
        suppress(subscriber, Subscriber.Status.BOUNCED, reason or "hard bounce")
    else:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            soft_bounces=F("soft_bounces") + 1, last_bounce=reason[:2000]
        )
        subscriber.refresh_from_db()
        if subscriber.soft_bounces >= SOFT_BOUNCE_LIMIT:
            suppress(subscriber, Subscriber.Status.BOUNCED, f"{subscriber.soft_bounces} soft bounces: {reason}")
    return subscriber
