"""Story scores with visible parts: coverage, velocity, outlet weight, recency, novelty, taste."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

from techissue.curation.document import Doc
from techissue.curation.text import document_keys

HALF_LIFE_HOURS = 36.0
WEIGHTS = {"coverage": 0.45, "velocity": 0.10, "outlet": 0.05, "recency": 0.15, "novelty": 0.15, "taste": 0.10}
MAX_OUTLET_WEIGHT = 2.0
# Coverage: weighted outlets beyond the first, on a scale that keeps growing (it never caps, so
# the best stories of a fortnight do not tie at 1.0). A second language counts as half an outlet.
COVERAGE_SCALE = 2.5
BILINGUAL_BONUS = 0.5
# Velocity: new outlets per hour over the story's span; spans under MIN_SPAN_HOURS count as that.
VELOCITY_SCALE = 0.5
MIN_SPAN_HOURS = 2.0


@dataclass(frozen=True)
class ScoreParts:
    """Each part is in [0, 1]; `total` is their weighted sum (see `score_story`)."""

    coverage: float
    velocity: float
    outlet: float
    recency: float
    novelty: float
    taste: float
    total: float

    def as_dict(self) -> dict[str, float]:
        """The parts as a plain dict, rounded for display."""
        return {name: round(value, 6) for name, value in asdict(self).items()}


def independent_docs(story_docs: Sequence[Doc], duplicate_of: Mapping[int, int]) -> list[Doc]:
    """The docs that are not copies of another doc."""
    return [doc for doc in story_docs if doc.id not in duplicate_of]


def recency(newest: datetime, now: datetime, half_life_hours: float = HALF_LIFE_HOURS) -> float:
    """0.5^(age / half-life), the age in hours of the story's newest article (never negative)."""
    age_hours = max(0.0, (now - newest).total_seconds() / 3600)
    return float(0.5 ** (age_hours / half_life_hours))


def weighted_total(parts: Mapping[str, float]) -> float:
    """The score: the parts weighted by WEIGHTS (a missing part counts 0)."""
    return sum(WEIGHTS[name] * float(parts.get(name, 0.0)) for name in WEIGHTS)


def story_features(
    story_docs: Sequence[Doc], duplicate_of: Mapping[int, int] | None = None, aliases: Mapping[str, str] | None = None
) -> dict[str, float]:
    """What the taste model sees of a story: its keys (through the editor's aliases), languages, outlets and size."""
    docs = independent_docs(story_docs, duplicate_of or {}) or list(story_docs)
    features: dict[str, float] = {}
    for doc in docs:
        for key in document_keys(doc, aliases):
            features["key=" + key] = 1.0
        features["outlet=" + doc.outlet] = 1.0
        features["lang=" + doc.lang] = 1.0
    features["outlets"] = float(np.log1p(len({doc.outlet for doc in docs})))
    return features


class TasteModel:
    """The editor's taste: a logistic regression refit from picked and skipped stories.

    Before it has `min_examples` examples of both kinds it answers a neutral 0.5, so a new
    installation ranks on coverage, recency and novelty alone.
    """

    def __init__(self, min_examples: int = 10) -> None:
        self.min_examples = min_examples
        self._hasher = FeatureHasher(n_features=2**14, alternate_sign=False)
        self._model: LogisticRegression | None = None

    @property
    def ready(self) -> bool:
        """True once fitted on enough picks and skips."""
        return self._model is not None

    def fit(self, examples: Sequence[Mapping[str, float]], picked: Sequence[bool]) -> TasteModel:
        """Refit from story features and whether the editor picked (True) or skipped (False)."""
        labels = np.array(picked, dtype=int)
        if len(labels) < self.min_examples or len(set(labels.tolist())) < 2:
            self._model = None
            return self
        matrix = self._hasher.transform([dict(example) for example in examples])
        self._model = LogisticRegression(C=1.0, max_iter=200, class_weight="balanced")
        self._model.fit(matrix, labels)
        return self

    def predict(self, features: Mapping[str, float]) -> float:
        """Probability that the editor picks a story with these features (0.5 when unfitted)."""
        if self._model is None:
            return 0.5
        matrix = self._hasher.transform([dict(features)])
        return float(self._model.predict_proba(matrix)[0, 1])


def novelty(story_keys: set[str], sent_story_keys: Iterable[set[str]]) -> float:
    """1 minus the largest Jaccard overlap of the story's keys with a story already sent."""
    if not story_keys:
        return 1.0
    overlaps = [len(story_keys & sent) / len(story_keys | sent) for sent in sent_story_keys if sent]
    return 1.0 - max(overlaps, default=0.0)


def score_story(
    story_docs: Sequence[Doc],
    now: datetime,
    outlet_weights: Mapping[str, float] | None = None,
    sent_story_keys: Iterable[set[str]] = (),
    taste_model: TasteModel | None = None,
    duplicate_of: Mapping[int, int] | None = None,
    half_life_hours: float = HALF_LIFE_HOURS,
    aliases: Mapping[str, str] | None = None,
) -> ScoreParts:
    """Score a story; every part lies in [0, 1] and the editor sees each of them.

    With the independent outlets o (copies don't count: a wire story republished counts once),
    w(o) the editor's weight of each (0.5 .. 2.0), n their number, span the hours between the
    first and the newest member, and age the newest member's age in hours:
        reach    = sum of w(o) - max w(o) + 0.5·[both Korean and English]   (0 for one outlet)
        coverage = 1 - exp(-reach / 2.5)                    continuous: 2 outlets 0.33, 5 about 0.8
        velocity = 1 - exp(-((n-1) / max(span, 2 h)) / 0.5) how fast the outlets came
        outlet   = mean w(o) / 2
        recency  = 0.5^(age / half_life)                    (half-life 36 h)
        novelty  = 1 - max Jaccard(story keys, keys of each story already sent)
        taste    = P(pick | story features) from the TasteModel, 0.5 before enough picks
        total    = 0.45·coverage + 0.10·velocity + 0.05·outlet + 0.15·recency + 0.15·novelty + 0.10·taste
    Coverage leads because a story that several outlets covered independently is the best
    single sign that it matters. No part is capped at a value many stories reach, so two stories
    tie only when their members are alike in every part. The editor's taste nudges; it does not
    decide.
    """
    duplicate_of = duplicate_of or {}
    docs = independent_docs(story_docs, duplicate_of) or list(story_docs)
    both_languages = len({doc.lang for doc in docs}) > 1
    weights = outlet_weights or {}
    outlet_weight_of = {doc.outlet: weights.get(doc.outlet, doc.weight) for doc in docs}
    outlet_weights_list = list(outlet_weight_of.values())
    reach = sum(outlet_weights_list) - max(outlet_weights_list) + (BILINGUAL_BONUS if both_languages else 0.0)
    coverage = 1.0 - float(np.exp(-reach / COVERAGE_SCALE))
    outlet = min(1.0, float(np.mean(outlet_weights_list)) / MAX_OUTLET_WEIGHT)
    newest = max(doc.published for doc in docs)
    span_hours = max(MIN_SPAN_HOURS, (newest - min(doc.published for doc in docs)).total_seconds() / 3600)
    velocity = 1.0 - float(np.exp(-((len(outlet_weight_of) - 1) / span_hours) / VELOCITY_SCALE))
    fresh = recency(newest, now, half_life_hours)
    sent = [keys for keys in sent_story_keys if keys]
    novel = 1.0
    if sent:  # the keys cost a pass over every text: only worth it when something was sent
        novel = novelty(story_keys(docs, aliases), sent)
    taste = 0.5
    if taste_model and taste_model.ready:
        taste = taste_model.predict(story_features(story_docs, duplicate_of, aliases))
    parts = {
        "coverage": coverage,
        "velocity": velocity,
        "outlet": outlet,
        "recency": fresh,
        "novelty": novel,
        "taste": taste,
    }
    return ScoreParts(total=weighted_total(parts), **parts)


def story_keys(story_docs: Sequence[Doc], aliases: Mapping[str, str] | None = None) -> set[str]:
    """The keys that `novelty` compares (through the editor's aliases): store them for each story an edition sends."""
    keys: set[str] = set()
    for doc in story_docs:
        keys |= document_keys(doc, aliases)
    return keys
