"""Inverted index from an event's heaviest terms to event ids: the candidate lookup for `merge`.

Derived state: rebuilt from the events on restore, never snapshotted. Posting lists are capped
(the most recently updated events win), so a term every article shares cannot make lookups slow.
"""

from __future__ import annotations

from collections import Counter

from newsdesk.deduper.vocabulary import Vector, top_terms


class CandidateIndex:
    def __init__(self, index_terms: int, posting_cap: int) -> None:
        self.index_terms = index_terms
        self.posting_cap = posting_cap
        self.postings: dict[str, dict[str, None]] = {}
        self.terms_of: dict[str, list[str]] = {}

    def put(self, event_id: str, centroid: Vector) -> None:
        self.remove(event_id)
        terms = top_terms(centroid, self.index_terms)
        self.terms_of[event_id] = terms
        for term in terms:
            posting = self.postings.setdefault(term, {})
            posting[event_id] = None
            if len(posting) > self.posting_cap:
                oldest = next(iter(posting))
                del posting[oldest]

    def remove(self, event_id: str) -> None:
        for term in self.terms_of.pop(event_id, []):
            posting = self.postings.get(term)
            if posting is not None:
                posting.pop(event_id, None)
                if not posting:
                    del self.postings[term]

    def candidates(self, query: Vector, query_terms: int, limit: int) -> list[str]:
        """Events sharing the query's heaviest terms, best partial overlap first."""
        return self.candidates_for(top_terms(query, query_terms), query, limit)

    def neighbours(self, event_id: str, centroid: Vector, limit: int) -> list[str]:
        """Other events sharing an event's indexed terms (for event-to-event merging)."""
        found = self.candidates_for(self.terms_of.get(event_id, []), centroid, limit + 1)
        return [e for e in found if e != event_id][:limit]

    def candidates_for(self, terms: list[str], query: Vector, limit: int) -> list[str]:
        scores: Counter[str] = Counter()
        for term in terms:
            posting = self.postings.get(term)
            if not posting:
                continue
            weight = query[term]
            for event_id in posting:
                scores[event_id] += weight
        return [event_id for event_id, _ in scores.most_common(limit)]
