"""The explicit, JSON-able state of one event: its member articles, each reduced to its features.

Everything an event needs to be rebuilt, scored against and published lives in `Member` records;
the centroid and every index are derived from them, so a snapshot is just the list of members.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from newsdesk.deduper.vocabulary import Vector


@dataclass
class Member:
    id: str
    hash: str
    vec: Vector
    sketch: list[int]
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
    agencies: list[str] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    claims: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # salient name-like terms, heaviest first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Member:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def person_keys(self) -> set[str]:
        return {p["key"] for p in self.people if p.get("key")}


@dataclass
class Cluster:
    event_id: str
    version: int
    first_seen: str
    updated_at: str
    members: list[Member] = field(default_factory=list)
    #: Near-copies beyond the article cap: counted so the event still says how big it got.
    overflow: int = 0
    #: Sum of the member vectors; dot(article, centroid) / len(members) is the average-link cosine.
    centroid: Vector = field(default_factory=dict)

    def add_vector(self, vec: Vector, sign: float = 1.0) -> None:
        for term, w in vec.items():
            value = self.centroid.get(term, 0.0) + sign * w
            if abs(value) < 1e-9:
                self.centroid.pop(term, None)
            else:
                self.centroid[term] = value

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "version": self.version,
            "first_seen": self.first_seen,
            "updated_at": self.updated_at,
            "overflow": self.overflow,
            "members": [m.to_dict() for m in self.members],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cluster:
        cluster = cls(
            event_id=data["event_id"],
            version=int(data.get("version", 1)),
            first_seen=data.get("first_seen", ""),
            updated_at=data.get("updated_at", ""),
            overflow=int(data.get("overflow", 0)),
            members=[Member.from_dict(m) for m in data.get("members", [])],
        )
        for member in cluster.members:
            cluster.add_vector(member.vec)
        return cluster
