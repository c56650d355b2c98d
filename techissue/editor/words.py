"""What went wrong, in the editor's words: feed error kinds and score parts under translated names."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from techissue.curation.triage import SCORE_PARTS

__all__ = ["FEED_ERRORS", "SCORE_PARTS", "feed_error_words"]

FEED_ERRORS: dict[str, Promise] = {
    "timeout": _("The site did not answer in time."),
    "deadline": _("The site answered too slowly: the fetch ran out of time."),
    "too_large": _("The feed is larger than the size we accept."),
    "too_many_redirects": _("The address redirects too many times."),
    "redirect_loop": _("The address redirects in a loop."),
    "http_status": _("The site answered with an error page."),
    "connection": _("The site could not be reached."),
    "bad_url": _("The feed address is not a valid web address."),
    "tls": _("The site's secure connection (TLS) failed."),
    "parse": _("The address does not give a feed we can read."),
    "internal": _("Something failed on our side while reading this feed."),
}


def feed_error_words(kind: str, status_code: int | None = None) -> str:
    """A sentence for a feed's error kind; an unknown kind still gets a sentence."""
    return str(FEED_ERRORS.get(kind, _("The last fetch failed.")))
