"""Scores of the curate stage against gold labels: B-cubed, cross-language recall, copies, top 10."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class PRF:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _groups(labels: Mapping[Hashable, Hashable]) -> dict[Hashable, set[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return groups


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """B-cubed precision and recall of a clustering; both maps go item → cluster label.

    For each item: precision is the share of its predicted cluster that shares its gold label,
    recall the share of its gold cluster that shares its predicted cluster; both averaged over
    the items of `gold`.
    """
    items = list(gold)
    if not items:
        return PRF(1.0, 1.0)
    predicted_groups = _groups({item: predicted.get(item, ("alone", item)) for item in items})
    gold_groups = _groups({item: gold[item] for item in items})
    precision = recall = 0.0
    for item in items:
        predicted_cluster = predicted_groups[predicted.get(item, ("alone", item))]
        gold_cluster = gold_groups[gold[item]]
        overlap = len(predicted_cluster & gold_cluster)
        precision += overlap / len(predicted_cluster)
        recall += overlap / len(gold_cluster)
    return PRF(precision / len(items), recall / len(items))


def cross_language_recall(
    predicted: Mapping[Hashable, Hashable],
    gold: Mapping[Hashable, Hashable],
    lang: Mapping[Hashable, str],
) -> float:
    """Share of gold same-story pairs in different languages that the prediction also puts together."""
    found = total = 0
    for members in _groups(dict(gold)).values():
        for first, second in combinations(sorted(members, key=str), 2):
            if lang[first] == lang[second]:
                continue
            total += 1
            if first in predicted and predicted.get(first) == predicted.get(second):
                found += 1
    return found / total if total else 1.0


def copy_scores(predicted_copy_of: Mapping[Hashable, Hashable], gold_copy_of: Mapping[Hashable, Hashable]) -> PRF:
    """Precision and recall of (copy, original) pairs.

    A predicted original counts as correct when it is the gold original or another copy of that
    same original (both republish one wire story), and vice versa for the gold pairs.
    """

    def root(item: Hashable, table: Mapping[Hashable, Hashable]) -> Hashable:
        seen = set()
        while item in table and item not in seen:
            seen.add(item)
            item = table[item]
        return item

    def same_wire(first: Hashable, second: Hashable) -> bool:
        return root(first, gold_copy_of) == root(second, gold_copy_of)

    correct_predicted = sum(
        1 for copy, original in predicted_copy_of.items() if copy in gold_copy_of and same_wire(copy, original)
    )
    correct_gold = sum(
        1 for copy in gold_copy_of if copy in predicted_copy_of and same_wire(copy, predicted_copy_of[copy])
    )
    precision = correct_predicted / len(predicted_copy_of) if predicted_copy_of else 1.0
    recall = correct_gold / len(gold_copy_of) if gold_copy_of else 1.0
    return PRF(precision, recall)


def top_multi_outlet_share(
    ranked_stories: Sequence[Sequence[Hashable]],
    gold: Mapping[Hashable, Hashable],
    outlet: Mapping[Hashable, str],
    gold_copy_of: Mapping[Hashable, Hashable] | None = None,
    top: int = 10,
) -> float:
    """Share of the top `top` predicted stories that are real multi-outlet stories.

    A predicted story counts when its majority gold story is covered by at least two outlets
    independently (a wire copy is not independent coverage).
    """
    gold_copy_of = gold_copy_of or {}
    independent_outlets: dict[Hashable, set[str]] = defaultdict(set)
    for item, story in gold.items():
        if item not in gold_copy_of:
            independent_outlets[story].add(outlet[item])
    head = list(ranked_stories[:top])
    if not head:
        return 0.0
    real = 0
    for members in head:
        labels = [gold[member] for member in members if member in gold]
        if not labels:
            continue
        majority = max(set(labels), key=labels.count)
        if len(independent_outlets[majority]) >= 2:
            real += 1
    return real / len(head)


def attainable_top_share(
    gold: Mapping[Hashable, Hashable],
    outlet: Mapping[Hashable, str],
    gold_copy_of: Mapping[Hashable, Hashable] | None = None,
    top: int = 10,
) -> float:
    """The best `top_multi_outlet_share` any ranking can reach: a corpus with only 8 real
    multi-outlet stories caps the top-10 share at 0.8."""
    gold_copy_of = gold_copy_of or {}
    independent_outlets: dict[Hashable, set[str]] = defaultdict(set)
    for item, story in gold.items():
        if item not in gold_copy_of:
            independent_outlets[story].add(outlet[item])
    real = sum(1 for outlets in independent_outlets.values() if len(outlets) >= 2)
    stories = len(independent_outlets)
    return min(real, top) / min(stories, top) if stories else 0.0
