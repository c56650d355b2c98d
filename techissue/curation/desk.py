"""The editor's desk: pick, skip, merge, split and retitle stories; every later run keeps these decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from techissue import events
from techissue.curation.alias_proposals import propose_from_merge
from techissue.curation.models import Story, StoryMember
from techissue.sources.models import Article

# curation.refresh and taste pull in scikit-learn (seconds to import): merge and split import it when they run,
# so that a pick, a skip or an undo from the desk costs one UPDATE and nothing more.


def decide(story: Story, decision: str, now: datetime | None = None) -> Story:
    """Pick or skip a story (or undo with ""); the taste model learns from it at the next run."""
    if decision not in Story.Decision.values:
        raise ValueError(f"unknown decision {decision!r}")
    story.decision = decision
    story.decided_at = (now or timezone.now()) if decision else None
    story.save(update_fields=["decision", "decided_at", "updated_at"])
    if decision == Story.Decision.PICKED:
        events.announce("story.picked", id=story.pk, title=story.title, score=story.score)
    return story


def merge_stories(target: Story, others: Sequence[Story], now: datetime | None = None) -> Story:
    """Fold other stories into `target`; the result is kept by every later run."""
    now = now or timezone.now()
    with transaction.atomic():
        for other in others:
            if other.id == target.id:
                continue
            StoryMember.objects.filter(story=other).update(story=target, pinned=True)
            other.merged_into = target
            other.save(update_fields=["merged_into", "updated_at"])
        StoryMember.objects.filter(story=target).update(pinned=True)
        target.locked = True
        target.save(update_fields=["locked", "updated_at"])
    from techissue.curation.refresh import refresh_story
    from techissue.curation.taste import fit_taste_model, sent_story_keys

    refresh_story(target, now, fit_taste_model(now), sent_story_keys(now))
    propose_from_merge(target)
    return target


def split_story(story: Story, article_ids: Sequence[int], now: datetime | None = None) -> Story:
    """Move these articles out of `story` into a new story; both are kept by every later run."""
    now = now or timezone.now()
    with transaction.atomic():
        moving = StoryMember.objects.filter(story=story, article_id__in=article_ids)
        if not moving.exists() or moving.count() == story.members.count():
            raise ValueError("choose some, but not all, of the story's articles to split off")
        new_story = Story.objects.create(title="", locked=True)
        moving.update(story=new_story, pinned=True)
        StoryMember.objects.filter(story=story).update(pinned=True)
        story.locked = True
        story.save(update_fields=["locked", "updated_at"])
    from techissue.curation.refresh import refresh_story
    from techissue.curation.taste import fit_taste_model, sent_story_keys

    taste, sent = fit_taste_model(now), sent_story_keys(now)
    refresh_story(story, now, taste, sent)
    refresh_story(new_story, now, taste, sent)
    return new_story


def edit_story_title(story: Story, title: str) -> Story:
    """The editor's own headline for a story; later runs keep it."""
    story.title = title[:1000]
    story.title_edited = True
    story.locked = True
    story.save(update_fields=["title", "title_edited", "locked", "updated_at"])
    return story


def stories_as_json(limit: int = 20) -> dict[str, object]:
    """The `stories --json` shape of DESIGN.md, best first."""
    stories = list(Story.objects.ranked()[:limit])
    return {"stories": [story_as_json(story, rank) for rank, story in enumerate(stories, start=1)]}


def story_as_json(story: Story, rank: int) -> dict[str, object]:
    """One story in the `stories --json` shape (the CLI's and the HTTP API's)."""
    articles = (
        Article.objects.filter(story_member__story=story).select_related("duplicate_of").order_by("published_at", "id")
    )
    return {
        "id": story.id,
        "rank": rank,
        "score": story.score,
        "score_parts": story.score_parts,
        "title": story.title,
        "summary": story.summary,
        "summary_en": story.summary_en,
        "languages": [lang for lang in story.languages.split(",") if lang],
        "decision": story.decision,
        "articles": [
            {
                "id": a.id,
                "url": a.url,
                "canonical_url": a.canonical_url,
                "outlet": a.outlet,
                "lang": a.lang,
                "title": a.title,
                "published": a.published_at.isoformat() if a.published_at else None,
                "duplicate_of": a.duplicate_of.canonical_url if a.duplicate_of else None,
            }
            for a in articles
        ],
    }


def curate_added_article(article: Article, now: datetime | None = None) -> Story:
    """Curate an article the editor added by hand into a story (joining one about the same event, if any)."""
    from techissue.curation.refresh import refresh_story
    from techissue.curation.services import curate
    from techissue.curation.taste import fit_taste_model, sent_story_keys

    now = now or timezone.now()
    curate(now=now)
    member = StoryMember.objects.filter(article=article).select_related("story").first()
    if member is not None:
        story = member.story
        while story.merged_into_id is not None:
            story = Story.objects.get(id=story.merged_into_id)
        return story
    # Outside curation's window (an old article, say): it still gets a story of its own.
    story = Story.objects.create(title=article.title, representative=article, locked=True)
    StoryMember.objects.create(story=story, article=article, pinned=True)
    refresh_story(story, now, fit_taste_model(now), sent_story_keys(now))
    return story
