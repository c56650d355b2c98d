"""The magazine: every published edition's editorial as a post of its own, and the standalone essays, in one order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from techissue.editions.models import Edition
from techissue.editions.render import absolute_url
from techissue.site.models import Post
from techissue.site.reading import reading_minutes

TITLE_LIMIT = 80
_HEADING = re.compile(r"\A\s*#{1,3}[ \t]+(?P<title>[^\n]+?)[ \t#]*(?:\n|\Z)")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s")
_MARKDOWN_INLINE = re.compile(r"<[^>]*>|!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`>#]")


@dataclass
class Entry:
    """One post of the magazine, whatever stores it: what its page, the index, the feed and search show."""

    title: str
    subtitle: str
    url: str
    card_url: str
    language: str
    byline: str
    date: datetime
    body_md: str
    cover_url: str
    cover_alt: str
    edition: Edition | None
    post: Post | None

    @property
    def minutes(self) -> int:
        return reading_minutes(self.body_md)

    @property
    def absolute_url(self) -> str:
        return absolute_url(self.url)

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.date, self.url)


def _plain(markdown: str) -> str:
    return re.sub(r"\s+", " ", _MARKDOWN_INLINE.sub(lambda m: m.group(1) or "", markdown)).strip()


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """`text` cut to `limit` characters at a word boundary where there is one, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"


def editorial_title(edition: Edition) -> tuple[str, str]:
    """The editorial's own title and the text that follows it.

    1. The editor's title on the edition's post, when there is one; the editorial is the text.
    2. Else a heading that opens the editorial (`# …`), which then leaves the text.
    3. Else the editorial's first sentence, shortened.
    """
    text = edition.editorial_md.strip()
    post = edition.post if _has_post(edition) else None
    if post is not None and post.title:
        return post.title, text
    heading = _HEADING.match(text)
    if heading:
        return _plain(heading.group("title")), text[heading.end() :].lstrip()
    first_paragraph = _plain(text.split("\n\n", 1)[0])
    sentence = _SENTENCE_END.split(first_paragraph, maxsplit=1)[0]
    return shorten(sentence or first_paragraph), text


def _has_post(edition: Edition) -> bool:
    try:
        return edition.post is not None
    except Post.DoesNotExist:
        return False


def entry_for_edition(edition: Edition) -> Entry:
    post = edition.post if _has_post(edition) else None
    title, body = editorial_title(edition)
    cover = (post.cover_image if post and post.cover_image else None) or edition.cover_image or None
    cover_alt = (post.cover_alt if post and post.cover_image else edition.cover_alt) or title
    return Entry(
        title=title,
        subtitle=(post.subtitle if post else "") or edition.subtitle,
        url=reverse("site:editorial", kwargs={"number": edition.number, "slug": edition.slug}),
        card_url=reverse("site:editorial_card", kwargs={"number": edition.number, "slug": edition.slug}),
        language=edition.language,
        byline=(post.byline if post else "") or _("the techissue editor"),
        date=edition.published_at or edition.updated_at,
        body_md=body,
        cover_url=absolute_url(cover.url) if cover else "",
        cover_alt=cover_alt,
        edition=edition,
        post=post,
    )


def entry_for_post(post: Post) -> Entry:
    return Entry(
        title=post.title,
        subtitle=post.subtitle,
        url=post.get_absolute_url(),
        card_url=reverse("site:post_card", kwargs={"slug": post.slug}),
        language=post.language,
        byline=post.byline or _("the techissue editor"),
        date=post.published_at or post.created_at,
        body_md=post.body_md,
        cover_url=absolute_url(post.cover_image.url) if post.cover_image else "",
        cover_alt=post.cover_alt or post.title,
        edition=None,
        post=post,
    )


def editions_with_editorial() -> list[Edition]:
    """Published editions whose editorial is not empty: each is a post of the magazine."""
    published = Edition.objects.published().exclude(editorial_md="").select_related("post")
    return [edition for edition in published if edition.editorial_md.strip()]


def entries() -> list[Entry]:
    """Every post of the magazine, newest first."""
    found = [entry_for_edition(edition) for edition in editions_with_editorial()]
    found += [entry_for_post(post) for post in Post.objects.standalone_published()]
    return sorted(found, key=lambda entry: entry.key, reverse=True)


def neighbours(entry: Entry, every: list[Entry] | None = None) -> tuple[Entry | None, Entry | None]:
    """The previous (older) and next (newer) posts of the magazine."""
    every = entries() if every is None else every
    urls = [candidate.url for candidate in every]
    if entry.url not in urls:
        return None, None
    index = urls.index(entry.url)
    older = every[index + 1] if index + 1 < len(every) else None
    newer = every[index - 1] if index > 0 else None
    return older, newer


def magazine_version() -> str:
    """Changes whenever a post, or an edition that may be one, changes: the cache keys of the magazine's pages."""
    editions = Edition.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    posts = Post.objects.aggregate(latest=Max("updated_at"), count=Count("id"))
    return f"{editions and editions.isoformat()}:{posts['latest'] and posts['latest'].isoformat()}:{posts['count']}"
