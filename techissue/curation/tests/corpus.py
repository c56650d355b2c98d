"""Reads a labelled newsroom corpus (docs/corpus-format.md) straight into Docs and gold labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from techissue.curation.document import Doc
from techissue.newsroom.corpus import load_corpus as load_newsroom_corpus

REPO = Path(__file__).resolve().parents[3]
CURATION_CORPUS = REPO / "tests" / "fixtures" / "curation_corpus"
DEMO_CORPUS = REPO / "demo" / "newsroom"
UNSEEN_CORPUS = REPO / "tests" / "fixtures" / "unseen_corpus"


@dataclass
class LabelledCorpus:
    """Docs with their gold story and copy labels, keyed by doc id."""

    docs: list[Doc] = field(default_factory=list)
    story: dict[int, str] = field(default_factory=dict)
    copy_of: dict[int, int] = field(default_factory=dict)
    slug: dict[int, str] = field(default_factory=dict)
    now: datetime | None = None


def load_corpus(root: Path) -> LabelledCorpus:
    """Every article of the corpus as a Doc (title + body), ids in sorted key order.

    The corpus is read by the newsroom's own loader, the one parser of docs/corpus-format.md.
    """
    newsroom = load_newsroom_corpus(root)
    corpus = LabelledCorpus()
    articles = sorted(newsroom.articles, key=lambda article: article.key)
    ids_by_key = {article.key: index for index, article in enumerate(articles, start=1)}
    for index, article in enumerate(articles, start=1):
        outlet = newsroom.outlet(article.outlet)
        url = f"http://127.0.0.1/{article.outlet}/{article.slug}.html"
        corpus.docs.append(
            Doc(
                id=index,
                outlet=article.outlet,
                lang=outlet.lang,
                title=article.title,
                text=article.body or article.summary,
                published=article.published,
                url=url,
                canonical_url=url,
                guid=url,
                weight=outlet.weight,
            )
        )
        corpus.slug[index] = article.key
        corpus.story[index] = article.story
        if article.copy_of and article.copy_of in ids_by_key:
            corpus.copy_of[index] = ids_by_key[article.copy_of]
    if corpus.docs:
        corpus.now = max(doc.published for doc in corpus.docs)
    return corpus


def score_corpus(corpus: LabelledCorpus) -> dict[str, float]:
    """Run copies → stories → ranking on the corpus and score the result against its labels."""
    from techissue.curation.copies import find_copies
    from techissue.curation.evaluate import (
        attainable_top_share,
        bcubed,
        copy_scores,
        cross_language_recall,
        top_multi_outlet_share,
    )
    from techissue.curation.ranking import score_story
    from techissue.curation.stories import cluster

    copies = find_copies(corpus.docs)
    labels = cluster(corpus.docs, copies=copies)
    by_id = {doc.id: doc for doc in corpus.docs}
    members: dict[int, list[int]] = {}
    for doc_id, label in labels.items():
        members.setdefault(label, []).append(doc_id)
    now = corpus.now or max(doc.published for doc in corpus.docs)
    ranked = sorted(
        members.values(),
        key=lambda ids: -score_story([by_id[i] for i in ids], now, duplicate_of=copies).total,
    )
    clusters = bcubed(labels, corpus.story)
    copy = copy_scores(copies, corpus.copy_of)
    return {
        "bcubed_precision": clusters.precision,
        "bcubed_recall": clusters.recall,
        "bcubed_f1": clusters.f1,
        "cross_language_recall": cross_language_recall(labels, corpus.story, {doc.id: doc.lang for doc in corpus.docs}),
        "copy_precision": copy.precision,
        "copy_recall": copy.recall,
        "top10_multi_outlet_share": top_multi_outlet_share(
            ranked, corpus.story, {doc.id: doc.outlet for doc in corpus.docs}, corpus.copy_of
        ),
        "top10_attainable": attainable_top_share(
            corpus.story, {doc.id: doc.outlet for doc in corpus.docs}, corpus.copy_of
        ),
    }
