"""Actions on subscribers: subscribe with double opt-in, confirm, unsubscribe, preferences, suppress."""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from techissue import events
from techissue.audience.models import Subscriber

log = logging.getLogger(__name__)

CONFIRMATION_RESEND_AFTER = timedelta(hours=1)
SOFT_BOUNCE_LIMIT = 3
NEVER_FROM_THE_FORM = (Subscriber.Status.ACTIVE, Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)
# A web address or markup in a name is a stranger's text riding on our domain's mail: such names are dropped.
LINK_LIKE = re.compile(r"[<>]|://|www\.|[\w-]\.[a-z]{2,}\b|@", re.IGNORECASE)


def _event_data(subscriber: Subscriber) -> dict[str, object]:
    return {"id": subscriber.pk, "email": subscriber.email, "name": subscriber.name, "language": subscriber.language}


def plain_name(name: str) -> str:
    """The name as given, or "" when it carries a web address, an email address or markup."""
    name = " ".join(name.split())[:200]
    return "" if LINK_LIKE.search(name) else name


def known_language(language: str | None, fallback: str | None = None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return str(language)
    return fallback if fallback in codes else settings.LANGUAGE_CODE


def queue_subscription_request(email: str, name: str = "", language: str | None = None, ip: str | None = None) -> None:
    """What the subscribe form does, for every address alike: queue the request, look at nothing.

    Whether the address is new, pending, active or suppressed is decided by the worker, so the form's
    answer and its time say nothing about it (no enumeration by timing), and no mail is sent in the request.
    """
    from techissue.audience.tasks import handle_subscription_request

    handle_subscription_request.enqueue(email.strip(), name.strip(), language or "", ip)


def request_subscription(email: str, name: str = "", language: str | None = None, ip: str | None = None) -> bool:
    """Record a wish to subscribe and mail a confirmation link; True when a mail went out.

    1. A new address becomes `pending`. An unsubscribed one becomes `pending` again (the person asks
       anew; the consent is only recorded when they confirm). An active one stays active and gets nothing.
    2. A bounced or complained address gets nothing: the form is a stranger's request, and mail to an
       address that bounced or complained hurts the sender's reputation (the admin can reactivate one).
    3. A confirmation goes out at most once an hour per address, so the form cannot bomb an inbox; asking
       again within the hour is answered by the link already sent, which stays valid.
    """
    from techissue.audience.mail import send_confirmation

    email = email.strip()
    name = plain_name(name)
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, name=name, language=known_language(language))
                events.announce("subscriber.created", **_event_data(subscriber))
            except IntegrityError:  # the same address, submitted twice at once
                return False
        elif subscriber.status in NEVER_FROM_THE_FORM:
            log.info("subscribe request for %s subscriber %s: no mail", subscriber.status, subscriber.id)
            return False
        recent = subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
        if recent:
            return False
        if subscriber.status != Subscriber.Status.PENDING:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.token_version = F("token_version") + 1
        if name:
            subscriber.name = name
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
    """The person clicked and confirmed: active, consent recorded. Only a pending request can be confirmed."""
    if subscriber.status != Subscriber.Status.PENDING:
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
    events.announce("subscriber.confirmed", **_event_data(subscriber))
    log.info("subscriber %s confirmed", subscriber.pk)


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop every mail to this person at once (also mid-send: the engine re-checks before sending)."""
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return
    if subscriber.is_suppressed:  # bounced or complained stays that, a stronger reason
        return
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.left_at = timezone.now()
    subscriber.token_version = F("token_version") + 1  # leaving retires every link sent before, confirm links too
    subscriber.save(update_fields=["status", "left_at", "token_version", "updated_at"])
    subscriber.refresh_from_db(fields=["token_version"])
    events.announce("subscriber.unsubscribed", **_event_data(subscriber))
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
    subscriber.token_version = F("token_version") + 1  # leaving retires every link sent before, confirm links too
    subscriber.save(update_fields=["status", "last_bounce", "left_at", "token_version", "updated_at"])
    subscriber.refresh_from_db(fields=["token_version"])
    events.announce(f"subscriber.{status}", **_event_data(subscriber))  # bounced or complained
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
