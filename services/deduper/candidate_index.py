"""Inverted index from an event's heaviest terms to event ids: the candidate lookup for `merge`.

Derived state: rebuilt from the events on restore, never snapshotted. A posting list holds every
live event indexed under its term, oldest put first; a lookup reads only the `scan` most recently
put of each list, so a term that thousands of events share costs no more than a rare one, and no
event is ever evicted (restoring the events in the order they were last put rebuilds the very same
lists, and a lookup after a restart finds what it found before).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.deduper.kernels import Posting, candidates
from newsdesk.deduper.vocabulary import Vector, top_terms


class CandidateIndex:
    def __init__(self, index_terms: int, scan: int) -> None:
        self.index_terms = index_terms
        self.scan = scan
        #: Term -> posting list: most terms of a large state index one event, held as its bare
        #: id (a dict of one entry would cost ten times the memory); an insertion-ordered dict
        #: from the second on.
        self.postings: dict[str, Posting] = {}
        self.terms_of: dict[str, tuple[str, ...]] = {}

    def put(self, event_id: str, centroid: Vector) -> None:
        self.remove(event_id)
        terms = tuple(top_terms(centroid, self.index_terms))
        self.terms_of[event_id] = terms
        postings = self.postings
        for term in terms:
            posting = postings.get(term)
            if posting is None:
                postings[term] = event_id
            elif isinstance(posting, str):
                postings[term] = {posting: None, event_id: None}
            else:
                posting[event_id] = None

    def remove(self, event_id: str) -> None:
        postings = self.postings
        for term in self.terms_of.pop(event_id, ()):
            posting = postings.get(term)
            if posting is None:
                continue
            if isinstance(posting, str):
                if posting == event_id:
                    del postings[term]
                continue
            posting.pop(event_id, None)
            if len(posting) == 1:
                postings[term] = next(iter(posting))

    def posting(self, term: str) -> list[str]:
        """The events indexed under `term`, oldest put first."""
        found = self.postings.get(term)
        return [] if found is None else [found] if isinstance(found, str) else list(found)

    def candidates(self, query: Vector, query_terms: int, limit: int) -> list[str]:
        """Events sharing the query's heaviest terms, best partial overlap first."""
        return self.candidates_for(top_terms(query, query_terms), query, limit)

    def neighbours(self, event_id: str, centroid: Vector, limit: int) -> list[str]:
        """Other events sharing an event's indexed terms (for event-to-event merging)."""
        found = self.candidates_for(self.terms_of.get(event_id, ()), centroid, limit + 1)
        return [e for e in found if e != event_id][:limit]

    def candidates_for(self, terms: Sequence[str], query: Vector, limit: int) -> list[str]:
        return candidates(self.postings, terms, query, self.scan, limit)
