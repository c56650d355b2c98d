"""Pre-flight checks before a send: errors that block it, and warnings the editor must tick to go on."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from techissue.editions import lifecycle
from techissue.editions.links import reader_link
from techissue.editions.markup import markdown_images
from techissue.editions.models import Edition, Pick
from techissue.editions.render import prepare_email

# Gmail cuts a message's HTML after about 102 KB and hides the rest behind "[Message clipped]".
GMAIL_CLIP_BYTES = 102 * 1024
SUBJECT_MAX_CHARS = 60
# 정보통신망법 제50조: what an advertising edition must show, and the night when sending it needs more consent.
SENDER_SETTINGS = ("TECHISSUE_SENDER_NAME", "TECHISSUE_SENDER_CONTACT")
NIGHT_STARTS, NIGHT_ENDS = 21, 8
LINK_CHECK_BODY_BYTES = 256 * 1024  # a page bigger than this still answered: reading it all proves nothing more


@dataclass(frozen=True)
class Finding:
    code: str  # stable: the confirmation form ticks warnings by it
    message: str


@dataclass
class Report:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    email_bytes: int = 0

    @property
    def blocked(self) -> bool:
        return bool(self.errors)

    def warning_codes(self) -> set[str]:
        return {finding.code for finding in self.warnings}


class SendRefused(lifecycle.EditionError):
    """The checks stopped a send: an error, or a warning the editor did not tick."""

    def __init__(self, message: str, report: Report):
        super().__init__(message)
        self.report = report


def email_size(edition: Edition) -> int:
    """The bytes of the email's HTML part as a reader gets it (what Gmail counts before clipping)."""
    html = prepare_email(edition).personalize("", settings.SITE_URL, settings.SITE_URL)[2]
    return len(html.encode("utf-8"))


def _kilobytes(size: int) -> str:
    return f"{size / 1024:.0f}"


def default_titles(number: int) -> set[str]:
    """The titles `draft_edition` gives, in every language ("3호", "Issue 3")."""
    titles = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.add(_("Issue %(number)d") % {"number": number})
    return {title.strip().lower() for title in titles} | {f"#{number}", str(number)}


def _headline_language(pick: Pick) -> str:
    from techissue.sources.language import detect_language

    return detect_language(pick.headline)


def broken_links(urls: list[str], timeout: float | None = None) -> dict[str, str]:
    """The URLs that do not answer 2xx within `timeout` seconds (through the polite fetcher), with why."""
    if not urls:
        return {}
    from techissue.sources.fetch import Fetcher, FetchError
    from techissue.sources.services import fetch_policy

    deadline = timeout if timeout is not None else settings.TECHISSUE_PREFLIGHT_LINK_TIMEOUT
    policy = dataclasses.replace(
        fetch_policy(),
        deadline=deadline,
        connect_timeout=min(deadline, 5),
        read_timeout=deadline,
        max_body_bytes=LINK_CHECK_BODY_BYTES,
    )

    async def check_all() -> dict[str, str]:
        async with Fetcher(policy) as fetcher:

            async def check(url: str) -> tuple[str, str]:
                try:
                    await fetcher.get(url)
                except FetchError as error:
                    return url, "" if error.kind == "too_large" else str(error)
                return url, ""

            results = await asyncio.gather(*(check(url) for url in dict.fromkeys(urls)))
        return {url: reason for url, reason in results if reason}

    return asyncio.run(check_all())


def check_edition(edition: Edition, check_links: bool = True) -> Report:
    """Every check, in the editor's active language; `check_links` fetches each pick's link."""
    report = Report()
    picks = list(edition.picks.all())
    error, warn = report.errors.append, report.warnings.append

    if not picks:
        error(Finding("no_picks", _("The edition has no picks.")))
    for pick in picks:
        if not reader_link(pick.url):
            error(Finding("pick_without_link", _("Pick %(position)d (%(headline)s) has no link.") % _pick(pick)))
    for image in markdown_images(edition.editorial_md):
        if not image.alt.strip():
            error(
                Finding(
                    "image_without_alt", _("An image in the editorial has no description: %(src)s") % image.as_dict()
                )
            )
    if edition.cover_image and not edition.cover_alt.strip():
        error(Finding("image_without_alt", _("The cover image has no description.")))
    if check_links:
        links = [reader_link(pick.url) for pick in picks if reader_link(pick.url)]
        for url, reason in broken_links(links).items():
            error(
                Finding(
                    "link_not_answering",
                    _("This link does not answer: %(url)s (%(reason)s)") % {"url": url, "reason": reason},
                )
            )

    if not edition.editorial_md.strip():
        warn(Finding("empty_editorial", _("The editorial is empty.")))
    without_comment = [pick for pick in picks if not pick.comment.strip()]
    if without_comment:
        positions = ", ".join(str(pick.position) for pick in without_comment)
        warn(
            Finding(
                "pick_without_comment",
                ngettext(
                    "Pick %(positions)s has no comment.", "Picks %(positions)s have no comment.", len(without_comment)
                )
                % {"positions": positions},
            )
        )
    if edition.previewed_at is None:
        warn(Finding("never_previewed", _("You have never previewed this edition.")))
    if edition.tested_at is None:
        warn(Finding("no_test_mail", _("No test mail was sent for this edition.")))
    report.email_bytes = email_size(edition)
    if report.email_bytes > GMAIL_CLIP_BYTES:
        warn(
            Finding(
                "email_too_large",
                _("The email is %(size)s KB: Gmail clips messages over %(limit)s KB.")
                % {"size": _kilobytes(report.email_bytes), "limit": _kilobytes(GMAIL_CLIP_BYTES)},
            )
        )
    subject = prepare_email(edition).subject
    if len(subject) > SUBJECT_MAX_CHARS:
        warn(
            Finding(
                "subject_too_long",
                _("The subject has %(count)d characters; inboxes cut it after about %(limit)d: %(subject)s")
                % {"count": len(subject), "limit": SUBJECT_MAX_CHARS, "subject": subject},
            )
        )
    foreign = [pick for pick in picks if _headline_language(pick) in {"ko", "en"} - {edition.language}]
    if foreign:
        warn(
            Finding(
                "headline_language",
                _("Headlines in another language than the edition's: %(headlines)s")
                % {"headlines": "; ".join(pick.headline for pick in foreign)},
            )
        )
    advertising_checks(edition, picks, report)
    if edition.title.strip().lower() in default_titles(edition.number):
        warn(Finding("default_title", _("The title is still the default one (%(title)s).") % {"title": edition.title}))
    return report


def advertising_checks(edition: Edition, picks: list[Pick], report: Report) -> None:
    """정보통신망법 제50조: an advertising edition names its sender; sent at night, the editor confirms."""
    if not edition.carries_advertising(picks):
        return
    missing = [name for name in SENDER_SETTINGS if not str(getattr(settings, name, "")).strip()]
    if missing:
        report.errors.append(
            Finding(
                "advertising_without_sender",
                _("An advertising edition must show its sender's name and contact: set %(settings)s.")
                % {"settings": ", ".join(missing)},
            )
        )
    zone = ZoneInfo(settings.TIME_ZONE)
    at = edition.scheduled_at if edition.status == Edition.Status.SCHEDULED and edition.scheduled_at else None
    hour = (at or timezone.now()).astimezone(zone).hour
    if hour >= NIGHT_STARTS or hour < NIGHT_ENDS:
        report.warnings.append(
            Finding(
                "advertising_at_night",
                _(
                    "This advertising edition goes out between 21:00 and 08:00 (%(zone)s). 정보통신망법 제50조 "
                    "제3항 asks for the readers' separate consent at night, and its decree (시행령 제61조) exempts "
                    "email: confirm that this applies to you, or send it in the daytime."
                )
                % {"zone": settings.TIME_ZONE},
            )
        )


def _pick(pick: Pick) -> dict[str, object]:
    return {"position": pick.position, "headline": pick.headline}


def send_after_checks(edition: Edition, acknowledged: set[str], check_links: bool = True) -> Edition:
    """Send now, only when no check fails and every warning was ticked; else SendRefused with the report."""
    report = check_edition(edition, check_links=check_links)
    if report.blocked:
        raise SendRefused(_("Not sent: fix the errors first."), report)
    missing = report.warning_codes() - set(acknowledged)
    if missing:
        raise SendRefused(_("Not sent: tick each warning to confirm you saw it."), report)
    return lifecycle.start_sending(edition)


def markdown_problems(text: str) -> list[str]:
    """Constructs that Markdown leaves as literal text, said in words (the editor sees them while writing)."""
    problems = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if re.search(r"!?\[[^\]]*\]\([^)]*$", line):
            problems.append(
                _("Line %(line)d: a link or image is not closed with “)”; it shows as plain text.") % {"line": number}
            )
        elif re.search(r"!\[[^\]]*$", line):
            problems.append(
                _("Line %(line)d: an image is not closed with “]”; it shows as plain text.") % {"line": number}
            )
    if (text or "").count("```") % 2:
        problems.append(_("A code block opened with ``` is never closed: the rest of the text is shown as code."))
    return problems
