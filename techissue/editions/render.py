"""An edition rendered for email once (subject, plain text, HTML with inlined CSS), then personalised per reader."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from techissue.editions.links import reader_link
from techissue.editions.markup import render_markdown
from techissue.editions.models import Edition, Pick

# Per-reader parts are left in the rendered message as markers: plain ASCII words, so that neither the template
# engine nor the CSS inliner changes them. Each render draws its own random marker, so outside text (a feed's
# link, a title, the editorial) cannot hold one: text that merely looks like a slot comes out as it is.
SLOTS = ("greeting", "unsubscribe", "preferences")
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)
# 정보통신망법 제50조 제4항: an advertising mail's subject starts with this mark.
AD_MARK = "(광고)"


@dataclass(frozen=True)
class Slots:
    """The markers of one render: `x-techissue-<128 random bits>-<name>-end`, and the pattern that finds them."""

    prefix: str = field(default_factory=lambda: f"x-techissue-{secrets.token_hex(16)}-")

    def marker(self, name: str) -> str:
        return f"{self.prefix}{name}-end"

    def split(self, rendered: str) -> tuple[list[str], list[str]]:
        """Text between the slots, and the slot names in order: joining them back is all a reader costs."""
        pattern = re.compile(rf"{re.escape(self.prefix)}({'|'.join(SLOTS)})-end")
        pieces = pattern.split(rendered)
        return pieces[0::2], pieces[1::2]


def absolute_url(url: str) -> str:
    """A URL that works outside the site (mail clients, feed readers)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{'' if url.startswith('/') else '/'}{url}"


def edition_date(edition: Edition) -> datetime:
    """The date an edition carries: when it went out, else when it is planned, else now."""
    return edition.published_at or edition.scheduled_at or timezone.now()


def edition_context(edition: Edition) -> dict[str, object]:
    """What both the email and the web page show, in the edition's language."""
    picks: list[Pick] = list(edition.picks.all())
    for pick in picks:
        # Only web links become links (a feed could carry a javascript: URL), and without tracking parameters.
        pick.safe_url = reader_link(pick.url)  # type: ignore[attr-defined]
    when = timezone.localtime(edition_date(edition))
    return {
        "edition": edition,
        "picks": picks,
        "date": date_format(when, "DATE_FORMAT"),
        "date_iso": when.isoformat(),
        "cover_url": absolute_url(edition.cover_image.url) if edition.cover_image else "",
        "cover_alt": edition.cover_alt or edition.title,
        "browser_url": absolute_url(edition.get_absolute_url()),
        "site_url": settings.SITE_URL,
        "invites_replies": bool(settings.TECHISSUE_REPLY_TO.strip()),
        "advertising": edition.carries_advertising(picks),
        "sender_name": settings.TECHISSUE_SENDER_NAME,
        "sender_contact": settings.TECHISSUE_SENDER_CONTACT,
    }


def _join(parts: list[str], names: list[str], values: dict[str, str]) -> str:
    out = [parts[0]]
    for name, part in zip(names, parts[1:], strict=True):
        out.append(values[name])
        out.append(part)
    return "".join(out)


@dataclass
class PreparedEmail:
    """One edition's email, rendered once; `personalize` fills in a reader's name and links."""

    edition_id: int
    language: str
    subject: str
    browser_url: str
    greeting_named: str
    greeting_anonymous: str
    text_parts: list[str] = field(repr=False)
    text_slots: list[str] = field(repr=False)
    html_parts: list[str] = field(repr=False)
    html_slots: list[str] = field(repr=False)

    def personalize(self, name: str, unsubscribe_url: str, preferences_url: str) -> tuple[str, str, str]:
        """(subject, text, html) for one reader: string joins of escaped values, no template rendering."""
        name = " ".join((name or "").split())[:100]
        if name:
            text_greeting = self.greeting_named.replace("{name}", name)
            html_greeting = escape(self.greeting_named, quote=False).replace("{name}", escape(name))
        else:
            text_greeting = self.greeting_anonymous
            html_greeting = escape(self.greeting_anonymous, quote=False)
        text = _join(
            self.text_parts,
            self.text_slots,
            {"greeting": text_greeting, "unsubscribe": unsubscribe_url, "preferences": preferences_url},
        )
        html = _join(
            self.html_parts,
            self.html_slots,
            {
                "greeting": html_greeting,
                "unsubscribe": escape(unsubscribe_url, quote=True),
                "preferences": escape(preferences_url, quote=True),
            },
        )
        return self.subject, text, html


def email_language(edition: Edition, reader_language: str | None = None) -> str:
    """The language of the email's own words: the reader's choice when we have it, else the edition's."""
    known = {code for code, _name in settings.LANGUAGES}
    return reader_language if reader_language in known else edition.language


def prepare_email(edition: Edition, reader_language: str | None = None) -> PreparedEmail:
    """Render the edition's email once for every reader of one language.

    The email's own words (greeting, section names, footer, unsubscribe and preferences text, the date) are
    in `reader_language` when given; the edition's content (title, editorial, picks) stays as written.
    """
    slots = Slots()
    with translation.override(email_language(edition, reader_language)):
        context = edition_context(edition)
        context.update(
            {
                "editorial_html": render_markdown(edition.editorial_md, base_url=settings.SITE_URL),
                "greeting": slots.marker("greeting"),
                "unsubscribe_url": slots.marker("unsubscribe"),
                "preferences_url": slots.marker("preferences"),
            }
        )
        subject = _("techissue #%(number)d: %(title)s") % {"number": edition.number, "title": edition.title}
        # "{name}" rather than %(name)s: a reader's name may itself hold a percent sign.
        greeting_named = _("Hello, %(name)s.") % {"name": "{name}"}
        greeting_anonymous = _("Hello.")
        text = render_to_string("editions/email/edition.txt", context)
        html = _INLINER.inline(render_to_string("editions/email/edition.html", context))
    subject = " ".join(subject.split())  # a title with a line break must not break the header
    if context["advertising"]:
        subject = f"{AD_MARK} {subject}"  # the law's mark, in Korean whatever the reader's language
    text_parts, text_slots = slots.split(text)
    html_parts, html_slots = slots.split(html)
    return PreparedEmail(
        edition_id=edition.pk,
        language=email_language(edition, reader_language),
        subject=subject,
        browser_url=str(context["browser_url"]),
        greeting_named=greeting_named,
        greeting_anonymous=greeting_anonymous,
        text_parts=text_parts,
        text_slots=text_slots,
        html_parts=html_parts,
        html_slots=html_slots,
    )
