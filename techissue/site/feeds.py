"""The Atom feed of published editions."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from techissue.editions.links import reader_link
from techissue.editions.models import Edition, Pick
from techissue.editions.render import absolute_url

FEED_SIZE = 30


def _pick_item(pick: Pick) -> str:
    link = reader_link(pick.url)
    if link:
        return format_html('<li><a href="{}">{}</a> <small>{}</small></li>', link, pick.headline, pick.outlets)
    return format_html("<li>{} <small>{}</small></li>", pick.headline, pick.outlets)


class EditionsFeed(Feed):
    feed_type = Atom1Feed
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
