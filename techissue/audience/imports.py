"""CSV import and export of subscribers.

Columns (a header row is required; only `email` is mandatory):
  email     the address
  name      the person's name
  language  ko or en (default: LANGUAGE_CODE)
  status    active (default), pending, unsubscribed, bounced or complained
  consent_at  ISO 8601 time of the original consent (default: now)
Rows become subscribers with consent recorded as `import`. Re-importing the same file changes nothing.
An address already suppressed here is never made active again by an import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from techissue.audience.csvsafe import safe_writer
from techissue.audience.models import Subscriber
from techissue.audience.subscribe import known_language

COLUMNS = ["email", "name", "language", "status", "consent_at"]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_rows(handle: IO[str]) -> ImportReport:
    """Import every good row; report each bad one by its line number with the reason."""
    report = ImportReport()
    reader = csv.DictReader(handle)
    if not reader.fieldnames or "email" not in [name.strip().lower() for name in reader.fieldnames]:
        report.errors.append((1, _("the header row has no 'email' column")))
        return report
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items() if key}
        email = row.get("email", "")
        try:
            validate_email(email)
        except ValidationError:
            report.errors.append((line, _("not an email address: %(email)r") % {"email": email}))
            continue
        if email.lower() in seen:
            report.errors.append((line, _("the same address appears earlier in the file")))
            continue
        seen.add(email.lower())
        status = row.get("status") or Subscriber.Status.ACTIVE
        if status not in Subscriber.Status.values:
            report.errors.append((line, _("unknown status: %(status)r") % {"status": status}))
            continue
        consent_at = timezone.now()
        if row.get("consent_at"):
            parsed = parse_datetime(row["consent_at"])
            if parsed is None:
                report.errors.append(
                    (line, _("consent_at is not an ISO 8601 time: %(value)r") % {"value": row["consent_at"]})
                )
                continue
            consent_at = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        language = row.get("language", "")
        if language and known_language(language, None) != language:
            report.errors.append((line, _("unknown language: %(language)r") % {"language": language}))
            continue
        outcome = upsert(email, row.get("name", ""), known_language(language), status, consent_at)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def upsert(email: str, name: str, language: str, status: str, consent_at: datetime) -> str:
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None:
            Subscriber.objects.create(
                email=email,
                name=name,
                language=language,
                status=status,
                consent_at=consent_at,
                consent_method=Subscriber.Consent.IMPORT,
                confirmed_at=consent_at if status == Subscriber.Status.ACTIVE else None,
            )
            return "created"
        changes: dict[str, object] = {}
        if name and name != subscriber.name:
            changes["name"] = name
        # Suppression wins: an old list must not bring back someone who left or bounced.
        if status != subscriber.status and not (subscriber.is_suppressed and status in ("active", "pending")):
            changes["status"] = status
        if not changes:
            return "unchanged"
        for key, value in changes.items():
            setattr(subscriber, key, value)
        subscriber.save(update_fields=[*changes, "updated_at"])
        return "updated"


def export_rows(handle: IO[str], subscribers: Iterable[Subscriber] | None = None) -> int:
    """Write subscribers as CSV with the import's columns plus consent details; returns how many."""
    writer = safe_writer(handle)  # names come from the public form: no cell may start a formula
    writer.writerow([*COLUMNS, "consent_method", "consent_ip", "created_at"])
    count = 0
    for subscriber in subscribers if subscribers is not None else Subscriber.objects.order_by("pk").iterator():
        writer.writerow(
            [
                subscriber.email,
                subscriber.name,
                subscriber.language,
                subscriber.status,
                subscriber.consent_at.isoformat() if subscriber.consent_at else "",
                subscriber.consent_method,
                subscriber.consent_ip or "",
                subscriber.created_at.isoformat(),
            ]
        )
        count += 1
    return count
