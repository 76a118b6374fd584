"""The order a flush writes event snapshots in, so that a worker killed between any two writes
leaves a changelog from which no article is missing.

A flush writes one record per changed event. When articles move between events (a regrouping
splits an event, or merges one into another), the event they leave and the events they join are
different records. Written naively, a kill after the first and before the others leaves the
articles in no snapshot at all, and nothing brings them back: they were acknowledged long ago,
so the broker never delivers them again. CI caught exactly that (an event split into five,
the worker killed after writing the shrunken event and before the five new ones).

So a flush goes out in two rounds, the second sent once the first is acknowledged:

1. every live event's new snapshot, except that an event losing articles keeps them for now,
   listed under `leaving`: this round only ever adds articles to the changelog;
2. the final snapshots of the events that lost articles, then the tombstones of events merged
   away and the markers of events that aged out. By now every article is in its new event, so
   taking it away elsewhere loses nothing.

A kill anywhere leaves each article in at least one snapshot; `DedupState.restore` keeps it in
exactly one (one where it is not leaving, if any: see `state._reconcile`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Snapshot = dict[str, Any]
Write = tuple[str, Snapshot | None]


def write_rounds(final: Mapping[str, Snapshot | None],
                 written: Callable[[str], Snapshot | None]) -> tuple[list[Write], list[Write]]:
    """The two rounds of writes that take the changelog to `final` (event id -> snapshot, an
    aged-out id's marker, or None for a tombstone); `written(event_id)` is the snapshot the
    changelog holds now, if any."""
    first: list[Write] = []
    second: list[Write] = []
    # Tombstones and markers: records that take articles out of the changelog for good.
    removals: list[Write] = []
    for event_id, snapshot in final.items():
        if snapshot is None or "members" not in snapshot:
            removals.append((event_id, snapshot))
            continue
        before = written(event_id)
        staying = {m["id"] for m in snapshot["members"]}
        leaving = [m for m in before["members"] if m["id"] not in staying] if before else []
        if leaving:
            first.append((event_id, {**snapshot, "members": [*snapshot["members"], *leaving],
                                     "leaving": [m["id"] for m in leaving]}))
            second.append((event_id, snapshot))
        else:
            first.append((event_id, snapshot))
    return first, second + removals
