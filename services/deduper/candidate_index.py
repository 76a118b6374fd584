"""Inverted index from an event's heaviest terms to event ids: the candidate lookup for `merge`.

Derived state: rebuilt from the events on restore, never snapshotted. A posting list holds every
live event indexed under its term, oldest put first; a lookup reads only the `scan` most recently
put of each list, so a term that thousands of events share costs no more than a rare one, and no
event is ever evicted (restoring the events in the order they were last put rebuilds the very same
lists, and a lookup after a restart finds what it found before).

Posting lists hold small integer slots rather than event ids, so that a lookup can add up its
scores with numpy: a lookup reads up to `scan` x terms entries (about a thousand with the
defaults), and summing them one by one in Python was a fifth of `merge`'s time with 100,000
events. Slots are private to the process; nothing that leaves the index depends on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice, repeat

import numpy as np

from newsdesk.deduper.vocabulary import Vector, top_terms

#: A posting list: most terms of a large state index one event, held as its bare slot (a dict of
#: one entry would cost ten times the memory); an insertion-ordered dict from the second on.
Posting = int | dict[int, None]


class CandidateIndex:
    def __init__(self, index_terms: int, scan: int) -> None:
        self.index_terms = index_terms
        self.scan = scan
        self.postings: dict[str, Posting] = {}
        self.terms_of: dict[str, tuple[str, ...]] = {}
        self._slot_of: dict[str, int] = {}
        self._event_at: list[str] = []
        self._free: list[int] = []

    def put(self, event_id: str, centroid: Vector) -> None:
        self._unpost(event_id)
        slot = self._slot_of.get(event_id)
        if slot is None:
            slot = self._slot_of[event_id] = self._take_slot(event_id)
        terms = tuple(top_terms(centroid, self.index_terms))
        self.terms_of[event_id] = terms
        postings = self.postings
        for term in terms:
            posting = postings.get(term)
            if posting is None:
                postings[term] = slot
            elif isinstance(posting, int):
                postings[term] = {posting: None, slot: None}
            else:
                posting[slot] = None

    def remove(self, event_id: str) -> None:
        self._unpost(event_id)
        slot = self._slot_of.pop(event_id, None)
        if slot is not None:
            self._free.append(slot)

    def posting(self, term: str) -> list[str]:
        """The events indexed under `term`, oldest put first."""
        found = self.postings.get(term)
        slots = [] if found is None else [found] if isinstance(found, int) else list(found)
        return [self._event_at[slot] for slot in slots]

    def candidates(self, query: Vector, query_terms: int, limit: int) -> list[str]:
        """Events sharing the query's heaviest terms, best partial overlap first."""
        return self.candidates_for(top_terms(query, query_terms), query, limit)

    def neighbours(self, event_id: str, centroid: Vector, limit: int) -> list[str]:
        """Other events sharing an event's indexed terms (for event-to-event merging)."""
        found = self.candidates_for(self.terms_of.get(event_id, ()), centroid, limit + 1)
        return [e for e in found if e != event_id][:limit]

    def candidates_for(self, terms: Sequence[str], query: Vector, limit: int) -> list[str]:
        """The `limit` events with the highest sum of `query`'s weights over the terms they are
        indexed under (each list read newest `scan` first), ties in the order first met."""
        postings, scan = self.postings, self.scan
        slots: list[int] = []
        weights: list[float] = []
        for term in terms:
            posting = postings.get(term)
            if posting is None:
                continue
            before = len(slots)
            if isinstance(posting, int):
                slots.append(posting)
            elif len(posting) <= scan:
                slots.extend(posting)
            else:
                newest = list(islice(reversed(posting), scan))
                newest.reverse()  # oldest first, as a short list is read
                slots.extend(newest)
            weights.extend(repeat(query[term], len(slots) - before))
        if not slots:
            return []
        unique, first, inverse = np.unique(np.array(slots), return_index=True, return_inverse=True)
        # bincount adds each event's weights in the order they were listed (term order), so the
        # sums are the very floats that adding them one by one gives.
        scores = np.bincount(inverse, weights=weights, minlength=len(unique))
        best = np.lexsort((first, -scores))[:limit]
        event_at = self._event_at
        return [event_at[slot] for slot in unique[best].tolist()]

    def _unpost(self, event_id: str) -> None:
        terms = self.terms_of.pop(event_id, ())
        if not terms:
            return
        slot = self._slot_of[event_id]
        postings = self.postings
        for term in terms:
            posting = postings.get(term)
            if posting is None:
                continue
            if isinstance(posting, int):
                if posting == slot:
                    del postings[term]
                continue
            posting.pop(slot, None)
            if len(posting) == 1:
                postings[term] = next(iter(posting))

    def _take_slot(self, event_id: str) -> int:
        if self._free:
            slot = self._free.pop()
            self._event_at[slot] = event_id
            return slot
        self._event_at.append(event_id)
        return len(self._event_at) - 1
