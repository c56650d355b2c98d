"""Reads a labelled newsroom corpus (docs/corpus-format.md) straight into Docs and gold labels."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from techissue.curation.document import Doc

REPO = Path(__file__).resolve().parents[3]
CURATION_CORPUS = REPO / "tests" / "fixtures" / "curation_corpus"
DEMO_CORPUS = REPO / "demo" / "newsroom"


@dataclass
class LabelledCorpus:
    """Docs with their gold story and copy labels, keyed by doc id."""

    docs: list[Doc] = field(default_factory=list)
    story: dict[int, str] = field(default_factory=dict)
    copy_of: dict[int, int] = field(default_factory=dict)
    slug: dict[int, str] = field(default_factory=dict)
    now: datetime | None = None


def load_corpus(root: Path) -> LabelledCorpus:
    """Every article of the corpus as a Doc (title + body), ids in sorted path order."""
    outlets = {
        outlet["slug"]: outlet for outlet in tomllib.loads((root / "outlets.toml").read_text("utf-8")).get("outlet", [])
    }
    corpus = LabelledCorpus()
    raw_copy_of: dict[int, str] = {}
    ids_by_slug: dict[str, int] = {}
    for index, path in enumerate(sorted((root / "articles").glob("*/*.toml")), start=1):
        article = tomllib.loads(path.read_text("utf-8"))
        outlet_slug = path.parent.name
        outlet = outlets.get(outlet_slug, {})
        slug = f"{outlet_slug}/{path.stem}"
        url = f"http://127.0.0.1/{outlet_slug}/{path.stem}.html"
        corpus.docs.append(
            Doc(
                id=index,
                outlet=outlet_slug,
                lang=outlet.get("lang", "en"),
                title=article["title"],
                text=article.get("body", article.get("summary", "")),
                published=article["published"],
                url=url,
                canonical_url=url,
                guid=url,
                weight=float(outlet.get("weight", 1.0)),
            )
        )
        ids_by_slug[slug] = index
        corpus.slug[index] = slug
        corpus.story[index] = article["story"]
        if article.get("copy_of"):
            raw_copy_of[index] = article["copy_of"]
    corpus.copy_of = {copy: ids_by_slug[original] for copy, original in raw_copy_of.items() if original in ids_by_slug}
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
