"""Return paths: a signed VERP envelope sender for each delivery, and the delivery a returned report is about.

Every message goes out with the envelope sender `bounces+<edition>-<subscriber>-<mac>@domain`, where the mac
is an HMAC of the two ids under SECRET_KEY. A bounce (DSN) comes back to that address, and a complaint (ARF)
carries it in the original's Return-Path. A report counts only when it names such an address with a valid
mac, or our Message-ID of a delivery that was sent, and then only for that delivery's recipient. Everything
else is written down as unmatched and changes nobody.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache

from django.conf import settings
from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare

from techissue.audience.models import Subscriber
from techissue.delivery.models import Delivery, ReturnReport

MAC_LENGTH = 20  # hex characters: 80 bits, far beyond guessing by mail
SALT = "techissue.delivery.return-path"
# Lower-case hex and digits only: some mail systems lower-case the local part.
TOKEN = re.compile(rf"\+(\d{{1,18}})-(\d{{1,18}})-([0-9a-fA-F]{{{MAC_LENGTH}}})@")


def bounce_address() -> str:
    """The mailbox that receives bounces: BOUNCE_ADDRESS, else `bounces@` the sender's domain."""
    return _bounce_address(str(getattr(settings, "BOUNCE_ADDRESS", "") or ""), settings.DEFAULT_FROM_EMAIL)


# Cached on the settings' values (so overrides still apply): parseaddr and the key derivation cost more
# than the rest of a message's headers, and this runs once per message.
@lru_cache(maxsize=8)
def _bounce_address(configured: str, from_email: str) -> str:
    if configured:
        return configured
    sender = parseaddr(from_email)[1]
    return f"bounces@{sender.rpartition('@')[2] or 'localhost'}"


@lru_cache(maxsize=4)
def _mac_key(secret: str) -> bytes:
    # What django.utils.crypto.salted_hmac derives, once per secret instead of once per message.
    return hashlib.sha256((SALT + secret).encode()).digest()


def _mac(edition_id: int, subscriber_id: int) -> str:
    value = f"{edition_id}-{subscriber_id}".encode()
    return hmac.new(_mac_key(settings.SECRET_KEY), value, hashlib.sha256).hexdigest()[:MAC_LENGTH]


def envelope_sender_for(edition_id: int, subscriber_id: int) -> str:
    """`bounces+12-345-<mac>@domain`: the MAIL FROM of one delivery, so that its bounce names it."""
    local, _, domain = bounce_address().rpartition("@")
    return f"{local}+{edition_id}-{subscriber_id}-{_mac(edition_id, subscriber_id)}@{domain}"


def anymail_metadata(envelope_sender: str) -> dict[str, str]:
    """Metadata to send through a provider with a message: its webhooks return it with each event, and
    `techissue.audience.webhooks.match_event` checks the signed return address in it."""
    return {"techissue_return": envelope_sender}


def deliveries_named_in(text: str) -> list[Delivery]:
    """The sent deliveries whose signed return address appears in `text` (headers of a report)."""
    found: list[Delivery] = []
    for edition_id, subscriber_id, mac in TOKEN.findall(text):
        if not constant_time_compare(mac.lower(), _mac(int(edition_id), int(subscriber_id))):
            continue
        delivery = _sent().filter(edition_id=int(edition_id), subscriber_id=int(subscriber_id)).first()
        if delivery is not None and delivery not in found:
            found.append(delivery)
    return found


def delivery_with_message_id(message_id: str) -> Delivery | None:
    """The sent delivery that went out with this Message-ID (ours, or a provider's id for it)."""
    message_id = message_id.strip()
    if not message_id:
        return None
    bare = message_id.strip("<>")
    return _sent().filter(message_id__in={message_id, bare, f"<{bare}>"}).first()


def _sent() -> QuerySet[Delivery]:
    # Only rows a server accepted: a report about a message that never left is not about us.
    return Delivery.objects.filter(status=Delivery.Status.SENT).select_related("subscriber")


@dataclass(frozen=True)
class Match:
    """What a report was matched to: a sent delivery and its recipient, a reader alone (by a signed
    unsubscribe token), or nothing; `how` says by what, or why nothing matched."""

    delivery: Delivery | None
    subscriber: Subscriber | None
    how: str


def record_report(
    source: str, kind: str, match: Match, addresses: list[str], outcome: str, detail: str = ""
) -> ReturnReport:
    """Write one received report down, matched or not: the admin's *Returned reports* list shows them."""
    return ReturnReport.objects.create(
        source=source[:40],
        kind=kind,
        matched=match.subscriber is not None,
        delivery=match.delivery,
        subscriber=match.subscriber,
        addresses=", ".join(addresses)[:2000],
        outcome=outcome[:40],
        detail=(f"{match.how}: {detail}" if detail else match.how)[:2000],
    )


def unmatched_reports() -> QuerySet[ReturnReport]:
    """Reports that named no message we sent: they changed nobody, and the admin counts them."""
    return ReturnReport.objects.filter(matched=False)
