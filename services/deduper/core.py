"""The deduper's pure core: merge(state, article, now) -> changed events.

Contract used by the stream agent and the offline command:
- `DedupState()` is the explicit state. `state.snapshot(event_id) -> dict | None` gives the
  JSON-able form of one event's cluster (None once it is gone); `DedupState.restore(snapshots)`
  rebuilds a state (indexes included) from such dicts. The stream agent keeps the snapshots in
  a changelog-backed Faust table keyed by event_id.
- `merge(state, article, now)` mutates `state` and returns the events that changed (new
  versions), usually one; an article already merged with the same content changes nothing and
  returns []. Events merged away are listed in `state.retired` (event ids), drained by the caller.
- `expire(state, now)` drops events older than the window and returns their ids.
"""

from __future__ import annotations

from datetime import datetime

from newsdesk.records import Event, ExtractedArticle


class DedupState:  # placeholder: replaced by the real deduper
    def __init__(self) -> None:
        self.events: dict[str, dict] = {}
        self.retired: list[str] = []

    def snapshot(self, event_id: str) -> dict | None:
        return self.events.get(event_id)

    @classmethod
    def restore(cls, snapshots) -> DedupState:
        state = cls()
        for snap in snapshots:
            state.events[snap["event_id"]] = snap
        return state


def merge(state: DedupState, article: ExtractedArticle, now: datetime) -> list[Event]:
    stamp = now.isoformat()
    event = Event(event_id=article.id, version=1, title=article.title, first_seen=stamp, updated_at=stamp,
                  articles=[{"id": article.id, "url": article.url, "title": article.title}])
    state.events[event.event_id] = event.model_dump(mode="json")
    return [event]


def expire(state: DedupState, now: datetime) -> list[str]:
    return []
