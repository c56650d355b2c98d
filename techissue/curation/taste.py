"""What the editor taught: the taste model fitted on picks and skips, and the keys of stories already sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from techissue.curation.articles import duplicate_map, story_docs
from techissue.curation.models import Story
from techissue.curation.ranking import TasteModel, story_features, story_keys


def fit_taste_model(now: datetime) -> TasteModel:
    decided = Story.objects.filter(decision__in=[Story.Decision.PICKED, Story.Decision.SKIPPED]).order_by(
        "-decided_at"
    )[:500]
    examples, labels = [], []
    for story in decided:
        docs = story_docs(story)
        if docs:
            examples.append(story_features(docs, duplicate_map(story)))
            labels.append(story.decision == Story.Decision.PICKED)
    return TasteModel().fit(examples, labels)


def sent_story_keys(now: datetime) -> list[set[str]]:
    sent = Story.objects.filter(sent_at__isnull=False, sent_at__gte=now - timedelta(days=60))[:200]
    return [story_keys(story_docs(story)) for story in sent]
