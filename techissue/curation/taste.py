"""What the editor taught: the taste model fitted on picks and skips, and the keys of stories already sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from techissue.curation.articles import duplicate_map, story_docs
from techissue.curation.clustering import alias_table
from techissue.curation.models import Story
from techissue.curation.ranking import TasteModel, story_features, story_keys


def fit_taste_model(now: datetime) -> TasteModel:
    """The editor's taste, from the latest 500 picks and skips; story keys go through the editor's aliases."""
    aliases = alias_table()
    decided = Story.objects.filter(decision__in=[Story.Decision.PICKED, Story.Decision.SKIPPED]).order_by(
        "-decided_at"
    )[:500]
    examples, labels = [], []
    for story in decided:
        docs = story_docs(story)
        if docs:
            examples.append(story_features(docs, duplicate_map(story), aliases))
            labels.append(story.decision == Story.Decision.PICKED)
    return TasteModel().fit(examples, labels)


def sent_story_keys(now: datetime) -> list[set[str]]:
    """The keys (through the editor's aliases) of stories sent in the last 60 days, for novelty."""
    aliases = alias_table()
    sent = Story.objects.filter(sent_at__isnull=False, sent_at__gte=now - timedelta(days=60))[:200]
    return [story_keys(story_docs(story), aliases) for story in sent]
