"""What an event's members agree on, kept up to date as a derived cache for the decision rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from newsdesk.deduper.model import Cluster, Member
from newsdesk.deduper.names import surname_of


@dataclass
class Profile:
    event_date: str | None = None
    dates: list[date] = field(default_factory=list)
    type: str = "other"
    surnames: frozenset[str] = frozenset()
    lead_names: tuple[str, ...] = ()  # the protagonists most of the articles put first


def majority(values: list[str]) -> str | None:
    """Most frequent value; a tie goes to the one seen first (members are in arrival order)."""
    if len(values) <= 1:
        return values[0] if values else None
    counts: dict[str, int] = {}  # not a Counter: its constructor's Mapping check costs more than the counting
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _leading(members: list[Member], n: int = 2) -> tuple[str, ...]:
    counts = Counter(name for m in members for name in m.names[:n])
    order = {name: i for i, name in enumerate(dict.fromkeys(name for m in members for name in m.names[:n]))}
    return tuple(sorted(counts, key=lambda name: (-counts[name], order[name]))[:n])


def profile_of(cluster: Cluster) -> Profile:
    members = cluster.members
    any_dates = {m.date or m.pub_date for m in members} - {None}
    return Profile(
        event_date=majority([m.date for m in members if m.date]),
        dates=sorted(date.fromisoformat(d) for d in any_dates if d),
        type=majority([m.type for m in members if m.type != "other"]) or "other",
        surnames=frozenset(surname_of(k) for m in members for k in m.person_keys),
        lead_names=_leading(members),
    )
