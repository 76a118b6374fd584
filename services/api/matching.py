"""Which live events a subscriber wants: the same filters for `tail`, the iterator and SSE."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.records import Event
from newsdesk.sink.stores.base import entity_key


@dataclass(frozen=True)
class Interest:
    entity: str | None = None  # a person, organisation or place named in the event (or an alias)
    type: str | None = None
    place: str | None = None
    since: str | None = None  # ISO date or time: only events updated at or after it

    def matches(self, event: Event) -> bool:
        if self.type and event.type != self.type:
            return False
        if self.since and event.updated_at[: len(self.since)] < self.since:
            return False
        if self.place and entity_key(self.place) not in _place_keys(event):
            return False
        if self.entity:
            wanted = entity_key(self.entity)
            if wanted not in _place_keys(event) and wanted not in _people_keys(event):
                return False
        return True


def _place_keys(event: Event) -> set[str]:
    return {entity_key(n) for p in event.where for n in (p.name, *p.aliases)}


def _people_keys(event: Event) -> set[str]:
    return {entity_key(n) for p in event.who for n in (p.name, *p.aliases)}
