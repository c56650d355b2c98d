"""Evaluate curation on a labelled corpus served through the real collect path (newsroom → fetch → curate)."""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import asdict, dataclass
from pathlib import Path

from techissue.curation import evaluate
from techissue.curation.models import Story
from techissue.curation.services import curate
from techissue.newsroom.server import serve_corpus
from techissue.ops.demo import allow_demo_networks
from techissue.sources.canonical import canonicalize
from techissue.sources.claiming import claim_due_feeds
from techissue.sources.feeds import import_opml, read_opml_source
from techissue.sources.models import Article, Feed
from techissue.sources.services import fetch_feeds

FLOORS_PATH = Path(__file__).parent / "floors.json"


@dataclass
class CurationScores:
    articles: int
    stories_gold: int
    stories_predicted: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    cross_language_recall: float
    copy_precision: float
    copy_recall: float
    top10_multi_outlet_share: float
    fetch_seconds: float
    curate_seconds: float

    def as_dict(self) -> dict[str, float]:
        return {key: round(value, 4) if isinstance(value, float) else value for key, value in asdict(self).items()}


def evaluate_corpus(path: Path, processes: int = 0) -> CurationScores:
    """Serve the corpus on loopback, fetch every feed into the (empty) database, curate, and score."""
    allow_demo_networks()  # the corpus is served on loopback, which the fetcher refuses otherwise
    with serve_corpus(path) as newsroom:
        import_opml(read_opml_source(newsroom.opml_url))
        feeds = claim_due_feeds(feed_ids=list(Feed.objects.values_list("id", flat=True)))
        fetched = fetch_feeds(feeds, processes=processes)
        key_of_url = {canonicalize(newsroom.article_url(a.key)): a.key for a in newsroom.corpus.articles}
        corpus = newsroom.corpus
    # The newest article of the corpus is "now", so recency ranks as it would on the day.
    report = curate(now=max(a.published for a in corpus.articles))
    gold_story: dict[Hashable, Hashable] = {a.key: a.story for a in corpus.articles}
    gold_copy: dict[Hashable, Hashable] = {a.key: a.copy_of for a in corpus.articles if a.copy_of}
    lang: dict[Hashable, str] = {a.key: corpus.outlet(a.outlet).lang for a in corpus.articles}
    outlet: dict[Hashable, str] = {a.key: a.outlet for a in corpus.articles}
    key_of_id: dict[int, str] = {}
    for article_id, url in Article.objects.values_list("id", "canonical_url"):
        if url in key_of_url:
            key_of_id[article_id] = key_of_url[url]
    predicted_story: dict[Hashable, Hashable] = {
        key_of_id[article_id]: story_id
        for article_id, story_id in Article.objects.filter(story_member__isnull=False).values_list(
            "id", "story_member__story_id"
        )
        if article_id in key_of_id
    }
    predicted_copy: dict[Hashable, Hashable] = {
        key_of_id[copy]: key_of_id[original]
        for copy, original in Article.objects.filter(duplicate_of__isnull=False).values_list("id", "duplicate_of_id")
        if copy in key_of_id and original in key_of_id
    }
    ranked = [
        [key_of_id[a] for a in story.members.values_list("article_id", flat=True) if a in key_of_id]
        for story in Story.objects.ranked()[:10]
    ]
    bcubed = evaluate.bcubed(predicted_story, gold_story)
    copies = evaluate.copy_scores(predicted_copy, gold_copy)
    return CurationScores(
        articles=len(gold_story),
        stories_gold=len(set(gold_story.values())),
        stories_predicted=len(set(predicted_story.values())),
        bcubed_precision=bcubed.precision,
        bcubed_recall=bcubed.recall,
        bcubed_f1=bcubed.f1,
        cross_language_recall=evaluate.cross_language_recall(predicted_story, gold_story, lang),
        copy_precision=copies.precision,
        copy_recall=copies.recall,
        top10_multi_outlet_share=evaluate.top_multi_outlet_share(ranked, gold_story, outlet, gold_copy),
        fetch_seconds=fetched.seconds,
        curate_seconds=report.seconds,
    )


def floors() -> dict[str, dict[str, float]]:
    """The recorded floors per corpus; a score below its floor fails the suite."""
    if not FLOORS_PATH.is_file():
        return {}
    return json.loads(FLOORS_PATH.read_text(encoding="utf-8"))
