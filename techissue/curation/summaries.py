"""Extractive story summaries without repeats: central sentences chosen with a redundancy penalty (MMR), per language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from techissue.curation.document import Doc
from techissue.curation.numbers import extract_numbers
from techissue.curation.text import get_kiwi, normalize_text

_ENGLISH_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")
_ANY_SENTENCE_END = re.compile(r"(?<=[。！？!?])\s*|(?<=\.)\s+")
# Sentences shorter than this are datelines, bylines or fragments, not summary material.
MIN_SENTENCE_CHARS = 25
MAX_SENTENCE_CHARS = 400
# Maximal marginal relevance: each next sentence maximises
#   RELEVANCE_SHARE · relevance - (1 - RELEVANCE_SHARE) · (its largest similarity to those chosen).
RELEVANCE_SHARE = 0.6
# A sentence this similar to one already chosen says the same thing: never taken.
REPEAT_SIMILARITY = 0.5
# Two sentences that give the same figure and are this similar state the same fact in other words.
SAME_FIGURE_SIMILARITY = 0.2


@dataclass(frozen=True)
class Summary:
    """A story's title (from its most representative article), summary text and language."""

    title: str
    text: str
    lang: str


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one text; Korean through kiwipiepy, English and the rest by punctuation."""
    text = normalize_text(text)
    paragraphs = [part.strip() for part in text.split("\n") if part.strip()]
    sentences: list[str] = []
    for paragraph in paragraphs:
        if lang == "ko":
            sentences.extend(sentence.text.strip() for sentence in get_kiwi().split_into_sents(paragraph))
        elif lang != "en":  # Japanese, Chinese, unknown: full stops of either kind end a sentence
            sentences.extend(part.strip() for part in _ANY_SENTENCE_END.split(paragraph))
        else:
            sentences.extend(part.strip() for part in _ENGLISH_SENTENCE_END.split(paragraph))
    return [sentence for sentence in sentences if sentence]


def _vectorizer() -> TfidfVectorizer:
    # Character n-grams within words work for both languages and need no morphology.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)


def _repeats(similarity: np.ndarray, figures: list[set[str]], chosen: int) -> np.ndarray:
    """How much each sentence repeats the `chosen` one: its similarity, or 1 for the same fact.

    A shared figure (the same amount, date or percentage) with some shared wording counts as a
    full repeat: "raised $85 million" and "closed an $85 million round" are one fact.
    """
    repeat = similarity[:, chosen].copy()
    if figures[chosen]:
        same_figure = np.array([bool(figures[chosen] & other) for other in figures])
        repeat[same_figure & (repeat >= SAME_FIGURE_SIMILARITY)] = 1.0
    return repeat


def summarize(
    story_docs: Sequence[Doc],
    sentences: int = 3,
    duplicate_of: Mapping[int, int] | None = None,
    lang: str | None = None,
) -> Summary:
    """Two or three central sentences of the story, none repeating another, and the title of its most central article.

    1. The language: `lang` if given, else Korean when the story has a Korean article, else English,
       else the story's most common language (Japanese, Chinese, `und`: the same language-neutral path).
    2. Vectorise the articles of that language; the title comes from the one nearest the centroid.
    3. Score each sentence by cosine to the story centroid plus a bonus for coming early in its
       article; choose greedily by maximal marginal relevance (relevance minus similarity to the
       sentences already chosen), never taking a repeat (same wording, or the same figure told again).
    4. Print them in article order (most central article first), sentence order within it.
    """
    if not story_docs:
        return Summary(title="", text="", lang=lang or "en")
    duplicate_of = duplicate_of or {}
    languages = Counter(doc.lang for doc in story_docs)
    if lang is None:
        lang = next((known for known in ("ko", "en") if known in languages), None) or languages.most_common(1)[0][0]
    docs = [doc for doc in story_docs if doc.lang == lang] or list(story_docs)
    docs = [doc for doc in docs if doc.id not in duplicate_of] or docs
    vectorizer = _vectorizer()
    try:
        doc_matrix = vectorizer.fit_transform([normalize_text(doc.full_text) for doc in docs])
    except ValueError:  # no character n-grams at all (only punctuation or symbols): nothing to rank by
        return Summary(title=docs[0].title, text=docs[0].text[:300].strip(), lang=lang)
    centroid = np.asarray(doc_matrix.mean(axis=0)).ravel()
    centrality = doc_matrix @ centroid
    doc_order = list(np.argsort(-centrality, kind="stable"))
    lead_doc = docs[doc_order[0]]
    candidates: list[tuple[int, int, str]] = []  # (rank of its doc, position, sentence)
    for rank, index in enumerate(doc_order):
        for position, sentence in enumerate(split_sentences(docs[index].text, lang)):
            if MIN_SENTENCE_CHARS <= len(sentence) <= MAX_SENTENCE_CHARS:
                candidates.append((rank, position, sentence))
    if not candidates:
        return Summary(title=lead_doc.title, text=lead_doc.text[:300].strip(), lang=lang)
    sentence_matrix = vectorizer.transform([sentence for _, _, sentence in candidates])
    figures = [extract_numbers(sentence) for _, _, sentence in candidates]
    norm = float(np.linalg.norm(centroid)) or 1.0
    relevance = np.asarray(sentence_matrix @ centroid).ravel() / norm
    relevance = relevance + np.array([0.15 / (1 + position) for _, position, _ in candidates])
    similarity = np.asarray((sentence_matrix @ sentence_matrix.T).todense())
    chosen: list[int] = []
    repeat = np.zeros(len(candidates))
    while len(chosen) < sentences:
        value = RELEVANCE_SHARE * relevance - (1 - RELEVANCE_SHARE) * repeat
        value[repeat > REPEAT_SIMILARITY] = -np.inf
        value[chosen] = -np.inf
        best = int(np.argmax(value))
        if not np.isfinite(value[best]):
            break
        chosen.append(best)
        repeat = np.maximum(repeat, _repeats(similarity, figures, best))
    chosen.sort(key=lambda index: (candidates[index][0], candidates[index][1]))
    return Summary(
        title=lead_doc.title,
        text=" ".join(candidates[index][2] for index in chosen),
        lang=lang,
    )


def summary_languages(story_docs: Sequence[Doc]) -> list[str]:
    """The languages a story gets a summary in: Korean if it has a Korean article, English if an
    English one; a story with neither gets one in its most common language."""
    present = {doc.lang for doc in story_docs}
    langs: list[str] = [lang for lang in ("ko", "en") if lang in present]
    if not langs and story_docs:
        langs = [Counter(doc.lang for doc in story_docs).most_common(1)[0][0]]
    return langs


def summaries_by_language(
    story_docs: Sequence[Doc], sentences: int = 3, duplicate_of: Mapping[int, int] | None = None
) -> dict[str, Summary]:
    """A summary in each of the story's summary languages (see `summary_languages`)."""
    return {lang: summarize(story_docs, sentences, duplicate_of, lang=lang) for lang in summary_languages(story_docs)}
