"""CSV import and export of subscribers.

Columns (a header row is required; only `email` is mandatory):
  email     the address
  name      the person's name
  language  ko or en (default: LANGUAGE_CODE)
  status    active (default), pending, unsubscribed, bounced or complained
  consent_at  ISO 8601 time of the original consent (default: now)
Rows become subscribers with consent recorded as `import`. Re-importing the same file changes nothing.
An address already suppressed here is never made active again by an import.
The file may be UTF-8 (with or without BOM), UTF-16 or CP949/EUC-KR. Every bad row is reported by line
with its reason; every good row goes in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from techissue.audience.csvsafe import safe_writer
from techissue.audience.encodings import UnknownEncoding, decode
from techissue.audience.models import Subscriber
from techissue.audience.subscribe import known_language

COLUMNS = ["email", "name", "language", "status", "consent_at"]


# Rows per transaction: large enough that a bulk insert pays, small enough that a failing chunk is cheap
# to go through again row by row.
CHUNK = 1000
NAME_MAX = Subscriber._meta.get_field("name").max_length or 200
ANALYZE_EVERY = 20_000  # rows created between two ANALYZEs of the table during one import (PostgreSQL)
STATUSES = frozenset(Subscriber.Status.values)  # a property that builds a new list on every call
EMAIL_MAX = Subscriber._meta.get_field("email").max_length or 254


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    encoding: str = ""


@dataclass
class Row:
    line: int
    email: str
    name: str
    language: str
    status: str
    consent_at: datetime


def import_bytes(data: bytes) -> ImportReport:
    """Import a CSV file as uploaded: its encoding is detected first (see `encodings.decode`)."""
    try:
        text, encoding = decode(data)
    except UnknownEncoding as error:
        return ImportReport(errors=[(1, str(error))])
    report = import_rows(io.StringIO(text, newline=""))
    report.encoding = encoding
    return report


def import_rows(handle: IO[str]) -> ImportReport:
    """Import every good row; report each bad one by its line number with the reason.

    1. Every row is checked first: the address, the lengths the database holds, NUL bytes, the status,
       the language, the consent time, and repeats within the file.
    2. Good rows go in by chunks: one query finds who exists (through the lowercase-email index), then
       one bulk insert and one bulk update.
    3. A chunk the database refuses is done again row by row, so that only the rows at fault are left
       out, each reported with the database's reason.
    """
    report = ImportReport()
    reader = csv.DictReader(handle)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        report.errors.append((1, _("the header row cannot be read: %(error)s") % {"error": error}))
        return report
    if not fieldnames or "email" not in [name.strip().lower().lstrip("\ufeff") for name in fieldnames]:
        report.errors.append((1, _("the header row has no 'email' column")))
        return report
    seen: set[str] = set()
    chunk: list[Row] = []
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.errors.append((reader.line_num, _("this line cannot be read as CSV: %(error)s") % {"error": error}))
            continue
        row = check_row(raw, reader.line_num, seen, report)
        if row is not None:
            chunk.append(row)
        if len(chunk) >= CHUNK:
            store_chunk(chunk, report)
            chunk = []
    if chunk:
        store_chunk(chunk, report)
    report.errors.sort()
    return report


def check_row(raw: dict[str | None, Any], line: int, seen: set[str], report: ImportReport) -> Row | None:
    """The row, cleaned, or None after reporting why it cannot go in."""
    if None in raw:
        report.errors.append((line, _("more cells than the header has columns")))
        return None
    row = {(key or "").strip().lower().lstrip("\ufeff"): (value or "").strip() for key, value in raw.items()}
    if any("\x00" in value for value in row.values()):
        report.errors.append((line, _("the row contains a NUL byte")))
        return None
    email = row.get("email", "")
    if len(email) > EMAIL_MAX:
        report.errors.append((line, _("the address is longer than %(max)d characters") % {"max": EMAIL_MAX}))
        return None
    try:
        validate_email(email)
    except ValidationError:
        report.errors.append((line, _("not an email address: %(email)r") % {"email": email}))
        return None
    if email.lower() in seen:
        report.errors.append((line, _("the same address appears earlier in the file")))
        return None
    name = row.get("name", "")
    if len(name) > NAME_MAX:
        report.errors.append(
            (
                line,
                _("the name is %(length)d characters long (at most %(max)d)") % {"length": len(name), "max": NAME_MAX},
            )
        )
        return None
    status = row.get("status") or Subscriber.Status.ACTIVE
    if status not in STATUSES:
        report.errors.append((line, _("unknown status: %(status)r") % {"status": status}))
        return None
    consent_at = timezone.now()
    if row.get("consent_at"):
        parsed = parse_datetime(row["consent_at"])
        if parsed is None:
            report.errors.append(
                (line, _("consent_at is not an ISO 8601 time: %(value)r") % {"value": row["consent_at"]})
            )
            return None
        consent_at = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    language = row.get("language", "")
    if language and known_language(language, None) != language:
        report.errors.append((line, _("unknown language: %(language)r") % {"language": language}))
        return None
    seen.add(email.lower())
    return Row(line, email, name, known_language(language), status, consent_at)


def store_chunk(rows: list[Row], report: ImportReport) -> None:
    """Store a chunk in one transaction; if the database refuses it, row by row (each in a savepoint)."""
    try:
        with transaction.atomic():
            counts = upsert_many(rows)
    except DatabaseError:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for row in rows:
            try:
                with transaction.atomic():
                    outcome = upsert_many([row])
            except DatabaseError as error:
                reason = " ".join(str(error).split())[:200]
                report.errors.append((row.line, _("the database refused the row: %(reason)s") % {"reason": reason}))
                continue
            for key, value in outcome.items():
                counts[key] += value
    before = report.created
    report.created += counts["created"]
    report.updated += counts["updated"]
    report.unchanged += counts["unchanged"]
    if connection.vendor == "postgresql" and report.created // ANALYZE_EVERY > before // ANALYZE_EVERY:
        # A large import into a young table outruns autovacuum: without fresh statistics the planner
        # believes the table empty and scans it for every chunk's lookup, and the cost per row grows.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Subscriber._meta.db_table)}")


def upsert_many(rows: list[Row]) -> dict[str, int]:
    """Create the new, update the changed: three queries for the whole chunk."""
    existing = {
        subscriber.email.lower(): subscriber
        for subscriber in Subscriber.objects.select_for_update().with_any_email([row.email for row in rows])
    }
    new: list[Subscriber] = []
    changed: list[Subscriber] = []
    now = timezone.now()
    for row in rows:
        subscriber = existing.get(row.email.lower())
        if subscriber is None:
            new.append(
                Subscriber(
                    email=row.email,
                    name=row.name,
                    language=row.language,
                    status=row.status,
                    consent_at=row.consent_at,
                    consent_method=Subscriber.Consent.IMPORT,
                    confirmed_at=row.consent_at if row.status == Subscriber.Status.ACTIVE else None,
                )
            )
            continue
        dirty = False
        if row.name and row.name != subscriber.name:
            subscriber.name, dirty = row.name, True
        # Suppression wins: an old list must not bring back someone who left or bounced.
        suppressed = subscriber.is_suppressed and row.status in ("active", "pending")
        if row.status != subscriber.status and not suppressed:
            subscriber.status, dirty = row.status, True
        if dirty:
            subscriber.updated_at = now
            changed.append(subscriber)
    if connection.vendor == "postgresql":
        copy_insert(new, now)
    else:
        Subscriber.objects.bulk_create(new)
    if changed:
        Subscriber.objects.bulk_update(changed, ["name", "status", "updated_at"])
    return {"created": len(new), "updated": len(changed), "unchanged": len(rows) - len(new) - len(changed)}


def copy_insert(subscribers: list[Subscriber], now: datetime) -> None:
    """Insert through PostgreSQL's COPY: the values as the model holds them, with no per-field preparation
    by the ORM (which costs more than the database's work). Every concrete field is written, so a field
    added later is covered by its model default."""
    if not subscribers:
        return
    fields = [field for field in Subscriber._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    table = connection.ops.quote_name(Subscriber._meta.db_table)

    def value(subscriber: Subscriber, field: Any) -> object:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        raw = getattr(subscriber, field.attname)
        if field.get_internal_type() == "JSONField":
            return field.get_db_prep_save(raw, connection)
        return raw

    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for subscriber in subscribers:
            copy.write_row([value(subscriber, field) for field in fields])


def upsert(email: str, name: str, language: str, status: str, consent_at: datetime) -> str:
    """Import one reader; returns "created", "updated" or "unchanged"."""
    with transaction.atomic():
        counts = upsert_many([Row(0, email, name, language, status, consent_at)])
    return next(outcome for outcome, count in counts.items() if count)


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
