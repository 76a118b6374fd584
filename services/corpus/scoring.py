"""How close merged events are to the corpus ground truth.

B-cubed precision and recall over articles (an article the events leave out counts as an event
of its own), and the two errors the corpus plants on purpose: distractors merged with the
event they echo (same people another week, same city another day), and wire copies kept
apart from the agency story they reproduce.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Score:
    articles: int
    placed: int  # articles found in some predicted event
    gold_events: int
    predicted_events: int
    precision: float
    recall: float
    f1: float
    distractors_merged: int  # distractor events sharing a predicted event with the event they echo
    distractors: int
    copies_apart: int  # wire copies not in the predicted event of their agency story
    copies: int

    def lines(self) -> list[str]:
        return [
            f"articles={self.articles} placed={self.placed} gold_events={self.gold_events} "
            f"predicted_events={self.predicted_events}",
            f"bcubed precision={self.precision:.3f} recall={self.recall:.3f} f1={self.f1:.3f}",
            f"distractors merged with what they echo: {self.distractors_merged}/{self.distractors}; "
            f"wire copies apart from their original: {self.copies_apart}/{self.copies}",
        ]


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """(precision, recall, F1) over the articles of `gold`; `predicted` must cover them all."""
    if not gold:
        return 1.0, 1.0, 1.0
    gold_members: dict[str, set[str]] = defaultdict(set)
    predicted_members: dict[str, set[str]] = defaultdict(set)
    for article, event in gold.items():
        gold_members[event].add(article)
        predicted_members[predicted[article]].add(article)
    precision = recall = 0.0
    for article in gold:
        same = len(gold_members[gold[article]] & predicted_members[predicted[article]])
        precision += same / len(predicted_members[predicted[article]])
        recall += same / len(gold_members[gold[article]])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def assignments(events: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Article id -> event id from merged events (dicts with 'event_id' and 'articles'); for an
    article in several events (a stale version), the last event read wins."""
    placed: dict[str, str] = {}
    for number, event in enumerate(events):
        event_id = str(event.get("event_id") or f"event-{number}")
        for article in event.get("articles") or ():
            placed[article["id"] if isinstance(article, Mapping) else str(article)] = event_id
    return placed


def score(truth: Iterable[Mapping[str, Any]], predicted: Mapping[str, str]) -> Score:
    """`truth`: the corpus JSON Lines records (or any dicts with id, event and truth)."""
    gold: dict[str, str] = {}
    echoes: dict[str, str] = {}
    copies: dict[str, str] = {}
    for record in truth:
        gold[record["id"]] = record["event"]
        facts = record.get("truth") or {}
        if facts.get("echoes"):
            echoes[record["event"]] = facts["echoes"]
        if facts.get("copy_of"):
            copies[record["id"]] = facts["copy_of"]
    full = {a: predicted.get(a, f"alone:{a}") for a in gold}
    precision, recall, f1 = bcubed(gold, full)
    homes: dict[str, set[str]] = defaultdict(set)  # gold event -> predicted events holding its articles
    for article, event in gold.items():
        homes[event].add(full[article])
    merged = sum(1 for event, echoed in echoes.items() if echoed in homes and homes[event] & homes[echoed])
    apart = sum(1 for copy, original in copies.items() if original in full and full[copy] != full[original])
    return Score(articles=len(gold), placed=sum(a in predicted for a in gold), gold_events=len(set(gold.values())),
                 predicted_events=len(set(full.values())), precision=precision, recall=recall, f1=f1,
                 distractors_merged=merged, distractors=len(echoes), copies_apart=apart, copies=len(copies))
