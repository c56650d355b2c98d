"""Why adding or importing feeds failed, in the editor's words (from sources.feeds.FeedError kinds)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from techissue.editor.words import feed_error_words
from techissue.sources.feeds import FeedError


def feed_error_message(error: FeedError) -> str:
    kind = error.kind
    if kind == "fetch":
        return _("The address could not be fetched: %(why)s") % {"why": feed_error_words(error.detail)}
    return {
        "not_http": _("This is not a web address (it must start with http:// or https://)."),
        "weight": _("The weight must be between 0.1 and 3."),
        "no_feed": _(
            "This page is not a feed, and it links to no feed. Try the address of the site's RSS or Atom feed."
        ),
        "parse": _("The address gives a feed we cannot read."),
        "opml": _("This OPML file is broken: it is not an outline of feeds we can read."),
        "unreadable": _("The OPML file could not be read."),
    }.get(kind, _("The feed could not be added."))
