"""The explicit, JSON-able state of one event: its member articles, each reduced to its features.

Everything an event needs to be rebuilt, scored against and published lives in `Member` records;
the centroid and every index are derived from them, so a snapshot is just the list of members
(plus the order numbers that let a restore rebuild the derived indexes in the same order).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from newsdesk.deduper.term_arrays import pack
from newsdesk.deduper.vocabulary import Vector, shared_weight


def as_sketch(hashes: Any) -> array[int]:
    return array("I", hashes)


def _shared(value: Any) -> Any:
    """One string object for values many articles repeat (dates, outlets, names, dict keys)."""
    return sys.intern(value) if isinstance(value, str) and len(value) <= 80 else value


def _shared_dicts(items: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple({_shared(k): (tuple(_shared(a) for a in v) if isinstance(v, list | tuple) else _shared(v))
                  for k, v in item.items()} for item in items)


_DERIVED = frozenset({"packed"})


@dataclass(slots=True, eq=False)  # identity: comparing every field is slow and never wanted
class Member:
    id: str
    hash: str
    #: TF-IDF terms (interned: the state holds one string per term, however many articles use it).
    vec: Vector
    #: Bottom-k shingle hashes, 32-bit each (an array: 4 bytes a hash rather than a 32-byte int).
    sketch: array[int]
    url: str | None = None
    source: str | None = None
    outlet: str | None = None
    title: str | None = None
    published_at: str | None = None
    pub_date: str | None = None
    date: str | None = None  # the article's own resolved event date
    type: str = "other"
    lead: str = ""
    duplicate_of: str | None = None
    # Tuples rather than lists, here and in the dicts they hold: the collector stops tracking a
    # tuple of strings once it has seen one, and a full collection then scans about 7 objects an
    # event rather than 16 (it took 1.4-1.6 s with 100,000 events in state, every 10,000-20,000
    # merges).
    agencies: tuple[str, ...] = ()
    people: tuple[dict[str, Any], ...] = ()
    places: tuple[dict[str, Any], ...] = ()
    quotes: tuple[dict[str, Any], ...] = ()
    claims: dict[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # salient name-like terms, heaviest first
    #: The article's distinct terms that `vec` does not keep, space-separated: with vec's keys,
    #: what the article counts for in the document frequencies (removed again when it leaves).
    other_terms: str = ""
    #: Arrival order in the state (a counter, not a clock): lookups that keep the first article
    #: seen with a URL or sketch are rebuilt in this order on restore.
    seq: int = 0
    #: Derived from `vec`, never snapshotted: the vector packed for cosines (`term_arrays`);
    #: made once here (regrouping alone reads each article's some 30 times).
    packed: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.packed = pack(self.vec)

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__ if name not in _DERIVED}
        data["sketch"] = self.sketch.tolist()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Member:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k not in _DERIVED}
        known["vec"] = {sys.intern(t): shared_weight(w) for t, w in data.get("vec", {}).items()}
        known["sketch"] = as_sketch(data.get("sketch", ()))
        return cls(**known).compact()

    def compact(self) -> Member:
        """Shares the strings other members repeat (a large state holds thousands of each)."""
        for name in ("source", "outlet", "published_at", "pub_date", "date", "type"):
            setattr(self, name, _shared(getattr(self, name)))
        self.names = tuple(sys.intern(n) for n in self.names)
        self.agencies = tuple(_shared(a) for a in self.agencies)
        self.people = _shared_dicts(self.people)
        self.places = _shared_dicts(self.places)
        self.quotes = _shared_dicts(self.quotes)
        return self

    @property
    def person_keys(self) -> set[str]:
        return {p["key"] for p in self.people if p.get("key")}

    def df_terms(self) -> Iterator[str]:
        return chain(self.vec, self.other_terms.split())


@dataclass(slots=True, eq=False)
class Cluster:
    event_id: str
    version: int
    first_seen: str
    updated_at: str
    members: list[Member] = field(default_factory=list)
    #: Near-copies beyond the article cap: counted so the event still says how big it got.
    overflow: int = 0
    #: When the event was last put in the candidate index (the state's counter): posting lists
    #: are ordered by it, and a restore puts events back in this order.
    seq: int = 0
    #: Ids of events merged into this one (most recent last): no new event takes one while this
    #: event lives, so a consumer applying tombstones late cannot delete a live event, and a new
    #: event never restarts the versions of an id subscribers already hold; kept here, not in a
    #: global list, so that a restore knows them too.
    absorbed: tuple[str, ...] = ()
    #: The type of the event's latest version, and every type it had before (at most one entry
    #: per type): a per-type topic may still hold a copy under one of those (`DedupState.version`).
    #: All of them, not just the last: an event can change type twice between two publications.
    type: str | None = None
    left_types: tuple[str, ...] = ()
    #: Sum of the member vectors; dot(article, centroid) / len(members) is the average-link cosine.
    centroid: Vector = field(default_factory=dict)
    #: The centroid packed (`packed`), made when first asked for after a change; never snapshotted.
    _packed: bytes | None = field(default=None, init=False, repr=False)

    @property
    def packed(self) -> bytes:
        """The centroid as a packed vector (a one-article event's is its article's)."""
        if len(self.members) == 1 and self.centroid is self.members[0].vec:
            return self.members[0].packed
        if self._packed is None:
            self._packed = pack(self.centroid)
        return self._packed

    def append(self, member: Member) -> None:
        self.members.append(member)
        if len(self.members) == 1:
            self.centroid = member.vec
            self._packed = None
        else:
            self.add_vector(member.vec)

    def add_vector(self, vec: Vector) -> None:
        if len(self.members) > 1 and self.centroid is self.members[0].vec:
            self.centroid = dict(self.centroid)  # no longer one article's: its own copy from now on
        centroid = self.centroid
        for term, w in vec.items():
            centroid[term] = centroid.get(term, 0.0) + w
        self._packed = None

    def recompute_centroid(self) -> None:
        """From scratch, in member order: the same floats a restore computes. A one-article
        event's centroid is that article's vector itself (most events have one article)."""
        self._packed = None
        if len(self.members) == 1:
            self.centroid = self.members[0].vec
            return
        self.centroid = {}
        for member in self.members:
            self.add_vector(member.vec)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "version": self.version,
            "first_seen": self.first_seen,
            "updated_at": self.updated_at,
            "overflow": self.overflow,
            "seq": self.seq,
            "absorbed": list(self.absorbed),
            "type": self.type,
            "left_types": list(self.left_types),
            "members": [m.to_dict() for m in self.members],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cluster:
        cluster = cls(
            event_id=data["event_id"],
            version=int(data.get("version", 1)),
            first_seen=_shared(data.get("first_seen", "")),
            updated_at=_shared(data.get("updated_at", "")),
            overflow=int(data.get("overflow", 0)),
            seq=int(data.get("seq", 0)),
            absorbed=tuple(str(e) for e in data.get("absorbed", [])),
            type=_shared(data.get("type")),
            left_types=tuple(_shared(str(t)) for t in data.get("left_types", [])),
            members=[Member.from_dict(m) for m in data.get("members", [])],
        )
        cluster.recompute_centroid()
        return cluster
