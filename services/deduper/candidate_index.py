"""Inverted index from an event's heaviest terms to the events: the candidate lookup for `merge`.

Derived state: rebuilt from the events on restore, never snapshotted. A posting list holds every
live event indexed under its term, oldest put first; a lookup reads only the `scan` most recently
put of each list, so a term that thousands of events share costs no more than a rare one, and no
event is ever evicted (restoring the events in the order they were last put rebuilds the very same
lists, and a lookup after a restart finds what it found before).

The lists hold the event objects themselves, which hash and compare by identity (`Cluster` is a
dataclass with eq=False), not their id strings: a dict keyed by strings hands over each key's hash
by reading it from the string object, a cache miss per entry with a large state (a lookup walks
some 360 entries), where a dict of other keys keeps the hash beside the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from newsdesk.deduper.kernels import candidates
from newsdesk.deduper.vocabulary import Vector, top_terms


class Indexed(Protocol):
    """An event as the index sees it: one object per event for as long as it is indexed."""

    @property
    def event_id(self) -> str: ...

    @property
    def centroid(self) -> Vector: ...


E = TypeVar("E", bound=Indexed)


class CandidateIndex(Generic[E]):
    def __init__(self, index_terms: int, scan: int) -> None:
        self.index_terms = index_terms
        self.scan = scan
        #: Term -> posting list: most terms of a large state index one event, held bare (a dict
        #: of one entry would cost ten times the memory); an insertion-ordered dict from the
        #: second on.
        self.postings: dict[str, E | dict[E, None]] = {}
        #: Event id -> the object indexed for it and the terms it is under.
        self.entries: dict[str, tuple[E, tuple[str, ...]]] = {}

    def put(self, event: E) -> None:
        self.remove(event.event_id)
        terms = tuple(top_terms(event.centroid, self.index_terms))
        self.entries[event.event_id] = (event, terms)
        postings = self.postings
        for term in terms:
            posting = postings.get(term)
            if posting is None:
                postings[term] = event
            elif isinstance(posting, dict):
                posting[event] = None
            else:
                postings[term] = {posting: None, event: None}

    def remove(self, event_id: str) -> None:
        entry = self.entries.pop(event_id, None)
        if entry is None:
            return
        event, terms = entry
        postings = self.postings
        for term in terms:
            posting = postings.get(term)
            if posting is None:
                continue
            if not isinstance(posting, dict):
                if posting is event:
                    del postings[term]
                continue
            posting.pop(event, None)
            if len(posting) == 1:
                postings[term] = next(iter(posting))

    def posting(self, term: str) -> list[str]:
        """The ids of the events indexed under `term`, oldest put first."""
        found = self.postings.get(term)
        if found is None:
            return []
        return [e.event_id for e in found] if isinstance(found, dict) else [found.event_id]

    def candidates(self, query: Vector, query_terms: int, limit: int) -> list[E]:
        """Events sharing the query's heaviest terms, best partial overlap first."""
        return self.candidates_for(top_terms(query, query_terms), query, limit)

    def neighbours(self, event: E, limit: int) -> list[E]:
        """Other events sharing an event's indexed terms (for event-to-event merging)."""
        entry = self.entries.get(event.event_id)
        found = self.candidates_for(entry[1] if entry else (), event.centroid, limit + 1)
        return [e for e in found if e.event_id != event.event_id][:limit]

    def candidates_for(self, terms: Sequence[str], query: Vector, limit: int) -> list[E]:
        return candidates(self.postings, terms, query, self.scan, limit)
