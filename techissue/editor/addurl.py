"""Add an article by its address, from the desk or the bookmarklet: store it, curate it, say what happened in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from techissue.curation.models import Story
from techissue.sources.byhand import NotAnArticle, add_article


@dataclass
class AddOutcome:
    ok: bool
    message: str
    story: Story | None = None
    detail: str = ""


def add_and_curate(url: str) -> AddOutcome:
    from techissue.curation.desk import curate_added_article

    if not url:
        return AddOutcome(False, _("Paste the address of an article."))
    try:
        article, created = add_article(url)
    except NotAnArticle as error:
        words = {
            "bad_url": _("This is not a web address (it must start with http:// or https://)."),
            "fetch": _("The page could not be fetched."),
            "not_html": _("This address is not a web page (a PDF, an image or a file?)."),
            "not_article": _(
                "This page does not look like an article: it has too little text of its own (a home page, a list or a form?)."
            ),
        }[error.kind]
        return AddOutcome(False, words, detail=error.detail)
    story = curate_added_article(article)
    if created:
        message = _("Added “%(title)s” to the story “%(story)s”.") % {"title": article.title, "story": story.title}
    else:
        message = _("We already had this article; it is in the story “%(story)s”.") % {"story": story.title}
    return AddOutcome(True, message, story)
