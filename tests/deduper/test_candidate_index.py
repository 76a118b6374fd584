"""The candidate index against a plain model of what a lookup must return."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from newsdesk.deduper import candidate_index, kernels
from newsdesk.deduper.candidate_index import CandidateIndex

TERMS = [f"t{i}" for i in range(12)]
#: Few distinct weights, so that scores tie often and sums depend on the order they are added in.
WEIGHTS = [0.1, 0.2, 0.3, 0.7]


class Model:
    """Posting lists as plain lists of event ids, scores added one by one in term order."""

    def __init__(self, index_terms: int, scan: int) -> None:
        self.index_terms, self.scan = index_terms, scan
        self.lists: dict[str, list[str]] = {}

    def put(self, event_id: str, centroid: dict[str, float]) -> None:
        self.remove(event_id)
        top = sorted(centroid, key=lambda t: -centroid[t])[: self.index_terms]
        for term in top:
            self.lists.setdefault(term, []).append(event_id)

    def remove(self, event_id: str) -> None:
        for term in list(self.lists):
            self.lists[term] = [e for e in self.lists[term] if e != event_id]
            if not self.lists[term]:
                del self.lists[term]

    def candidates_for(self, terms: list[str], query: dict[str, float], limit: int) -> list[str]:
        scores: dict[str, float] = {}
        for term in terms:
            for event_id in self.lists.get(term, [])[-self.scan:]:
                scores[event_id] = scores.get(event_id, 0.0) + query[term]
        ranked = sorted(scores.items(), key=lambda item: -item[1])  # stable: first met wins ties
        return [event_id for event_id, _ in ranked[:limit]]


@dataclass(eq=False)  # identity, as Cluster: the index tells events apart by identity
class Event:
    event_id: str
    centroid: dict[str, float]


def ids(events: list[Event]) -> list[str]:
    return [e.event_id for e in events]


def centroid(rng: random.Random) -> dict[str, float]:
    return {t: rng.choice(WEIGHTS) for t in rng.sample(TERMS, rng.randint(1, 6))}


@pytest.fixture(params=["python", "c"])
def kernel(request, monkeypatch) -> str:
    """The index on the Python kernels, then on the C ones (see test_kernels for when those are missing)."""
    if request.param == "python":
        monkeypatch.setattr(candidate_index, "candidates", kernels.candidates_py)
        monkeypatch.setattr(candidate_index, "top_terms", kernels.top_terms_py)
    elif kernels._kernels is None:
        pytest.skip("the C kernels are not built")
    else:
        monkeypatch.setattr(candidate_index, "candidates", kernels._kernels.candidates)
        monkeypatch.setattr(candidate_index, "top_terms", kernels._kernels.top_terms)
    return request.param


@pytest.mark.parametrize("seed", range(30))
def test_lookups_match_the_model_through_puts_and_removals(seed: int, kernel: str) -> None:
    rng = random.Random(seed)
    index, model = CandidateIndex(index_terms=4, scan=5), Model(index_terms=4, scan=5)
    for step in range(400):
        event_id = f"e{rng.randrange(40)}"
        action = rng.random()
        if action < 0.55:
            vector = centroid(rng)
            # Equal weights make "the heaviest terms" ambiguous; the model must pick the same ones.
            vector = dict(sorted(vector.items(), key=lambda item: -item[1]))
            index.put(Event(event_id, vector))
            model.put(event_id, vector)
        elif action < 0.7:
            index.remove(event_id)
            model.remove(event_id)
        else:
            query = centroid(rng)
            terms = list(query)
            limit = rng.randint(1, 8)
            assert ids(index.candidates_for(terms, query, limit)) == model.candidates_for(terms, query, limit), step
        for term in TERMS:
            assert index.posting(term) == model.lists.get(term, [])


def test_a_lookup_with_nothing_indexed_finds_nothing() -> None:
    index = CandidateIndex(index_terms=4, scan=5)
    assert index.candidates_for(["t1"], {"t1": 0.5}, 3) == []
    index.put(Event("a", {"t1": 0.5}))
    index.remove("a")
    assert index.candidates_for(["t1"], {"t1": 0.5}, 3) == [] and index.postings == {}


def test_neighbours_leave_the_event_itself_out() -> None:
    index = CandidateIndex(index_terms=4, scan=5)
    a, b = Event("a", {"t1": 0.5, "t2": 0.5}), Event("b", {"t1": 0.5})
    index.put(a)
    index.put(b)
    assert index.neighbours(a, 3) == [b]
