"""The Atom feeds: the published editions, and the magazine's posts; both point browsers at a readable XSL view."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.xmlutils import SimplerXMLGenerator

from techissue.editions.links import reader_link
from techissue.editions.markup import render_markdown
from techissue.editions.models import Edition, Pick
from techissue.editions.render import absolute_url
from techissue.site import magazine

FEED_SIZE = 30
EMPTY_FEED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


class StyledAtomFeed(Atom1Feed):
    """Atom with an `xml-stylesheet` instruction, so that a browser opening the feed shows a page (feed.xsl)."""

    def write(self, outfile: Any, encoding: str) -> None:
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.processingInstruction("xml-stylesheet", 'type="text/xsl" href="/feed.xsl"')
        handler.startElement("feed", self.root_attributes())  # type: ignore[arg-type]
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def latest_post_date(self) -> datetime:
        # Django dates a feed without items "now", which would rewrite its static copy at every export.
        if not any(item.get("pubdate") or item.get("updateddate") for item in self.items):
            return EMPTY_FEED_DATE
        return super().latest_post_date()


def _pick_item(pick: Pick) -> str:
    link = reader_link(pick.url)
    if link:
        return format_html('<li><a href="{}">{}</a> <small>{}</small></li>', link, pick.headline, pick.outlets)
    return format_html("<li>{} <small>{}</small></li>", pick.headline, pick.outlets)


class EditionsFeed(Feed):
    feed_type = StyledAtomFeed
    title = "techissue"
    subtitle = _("A curated tech and business newsletter.")
    author_name = "techissue"
    language = settings.LANGUAGE_CODE

    def link(self) -> str:
        return absolute_url("/")

    def feed_url(self) -> str:
        return absolute_url("/feed.atom")

    def items(self) -> list[Edition]:
        return list(Edition.objects.published().prefetch_related("picks")[:FEED_SIZE])

    def item_title(self, item: Edition) -> str:
        return f"#{item.number} {item.title}"

    def item_description(self, item: Edition) -> str:
        # Atom carries this as HTML: every outside string is escaped here, so a hostile headline stays text.
        parts = [format_html("<p>{}</p>", item.subtitle)] if item.subtitle else []
        picks = [_pick_item(pick) for pick in item.picks.all()]
        if picks:
            parts.append(format_html("<ol>{}</ol>", mark_safe("".join(picks))))
        return "".join(parts)

    def item_link(self, item: Edition) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Edition) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Edition) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Edition) -> datetime:
        return item.updated_at


class PostsFeed(Feed):
    """The magazine's posts: every editorial and essay, newest first, with its whole text."""

    feed_type = StyledAtomFeed
    title = _("techissue magazine")
    subtitle = _("The editor's essays, one with each edition and some on their own.")
    author_name = "techissue"
    language = settings.LANGUAGE_CODE

    def link(self) -> str:
        return absolute_url("/magazine/")

    def feed_url(self) -> str:
        return absolute_url("/magazine/feed.atom")

    def items(self) -> list[magazine.Entry]:
        return magazine.entries()[:FEED_SIZE]

    def item_title(self, item: magazine.Entry) -> str:
        return item.title

    def item_description(self, item: magazine.Entry) -> str:
        subtitle = format_html("<p><em>{}</em></p>", item.subtitle) if item.subtitle else ""
        return subtitle + render_markdown(item.body_md, base_url=settings.SITE_URL)  # nh3 sanitises it

    def item_link(self, item: magazine.Entry) -> str:
        return item.absolute_url

    def item_guid(self, item: magazine.Entry) -> str:
        return item.absolute_url

    def item_author_name(self, item: magazine.Entry) -> str:
        return item.byline

    def item_pubdate(self, item: magazine.Entry) -> datetime:
        return item.date
