"""The desk's queries: ranked stories by state, language, outlet, time and title words (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techissue.curation.models import Story, StoryMember
from techissue.sources.models import Article

VIEWS = ("open", "picked", "skipped")
# The score's parts (curation.ranking) under the names the editor reads.
SCORE_PARTS = {
    "coverage": _("coverage"),
    "velocity": _("velocity"),
    "outlet": _("outlet weight"),
    "recency": _("recency"),
    "novelty": _("novelty"),
    "taste": _("your taste"),
}
SINCE = {"24h": timedelta(hours=24), "3d": timedelta(days=3), "7d": timedelta(days=7), "30d": timedelta(days=30)}


@dataclass(frozen=True)
class TriageFilters:
    view: str = "open"
    lang: str = ""
    outlet: str = ""
    since: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: object) -> TriageFilters:
        """From request.GET; unknown values fall back to "everything" rather than failing."""
        get = getattr(query, "get", lambda _key, default="": default)
        view = get("view", "open")
        since = get("since", "")
        return cls(
            view=view if view in VIEWS else "open",
            lang=get("lang", "")[:8],
            outlet=get("outlet", "")[:300],
            since=since if since in SINCE else "",
            q=" ".join(get("q", "").split())[:200],
        )

    def as_query(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value and not (key == "view" and value == "open")}


def members_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=StoryMember.objects.select_related("article", "article__duplicate_of").order_by(
            "article__published_at", "article_id"
        ),
    )


def triage_stories(filters: TriageFilters) -> QuerySet[Story]:
    """Live stories best first, narrowed by the desk's filters (members prefetched for the cards)."""
    stories = Story.objects.ranked().filter(sent_at__isnull=True)
    if filters.view == "open":
        stories = stories.filter(decision="")
    else:
        stories = stories.filter(decision=filters.view).order_by("-decided_at", "-score", "id")
    if filters.lang:
        stories = stories.filter(languages__contains=filters.lang)
    if filters.since:
        stories = stories.filter(last_article_at__gte=timezone.now() - SINCE[filters.since])
    if filters.outlet:
        member = StoryMember.objects.filter(story=OuterRef("pk"), article__outlet=filters.outlet)
        stories = stories.filter(Exists(member))
    if filters.q:
        for word in filters.q.split()[:6]:
            in_article = StoryMember.objects.filter(story=OuterRef("pk"), article__title__icontains=word)
            stories = stories.filter(Q(title__icontains=word) | Exists(in_article))
    return stories.prefetch_related(members_prefetch())


def story_for_desk(story_id: int) -> Story:
    return Story.objects.prefetch_related(members_prefetch()).get(id=story_id, merged_into__isnull=True)


def desk_outlets(limit: int = 300) -> list[str]:
    """The outlets of live articles, for the outlet filter."""
    return list(Article.objects.order_by("outlet").values_list("outlet", flat=True).distinct()[:limit])


def search_stories(q: str, exclude: int | None = None, limit: int = 8) -> list[Story]:
    """Stories whose title (or an article's title) has every word of `q`: merge candidates."""
    words = q.split()[:6]
    if not words:
        return []
    stories = Story.objects.ranked().filter(sent_at__isnull=True)
    if exclude is not None:
        stories = stories.exclude(id=exclude)
    for word in words:
        in_article = StoryMember.objects.filter(story=OuterRef("pk"), article__title__icontains=word)
        stories = stories.filter(Q(title__icontains=word) | Exists(in_article))
    return list(stories[:limit])


def decided_counts() -> dict[str, int]:
    live = Story.objects.filter(merged_into__isnull=True, sent_at__isnull=True)
    return {
        "open": live.filter(decision="").count(),
        "picked": live.filter(decision=Story.Decision.PICKED).count(),
        "skipped": live.filter(decision=Story.Decision.SKIPPED).count(),
    }
