"""What a store does for the sink and the readers, whatever database is behind it.

Writes are idempotent: an event is stored only if its version is newer than the stored one,
history rows are keyed by (event_id, version), and articles follow the current version. So a
batch replayed after a crash, or versions arriving out of order, never regress an event.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Protocol

import orjson

from newsdesk.records import Event

# Written once with :name parameters; each store adapts the parameter style.
UPSERT_EVENT = """
INSERT INTO events (event_id, version, type, title, when_date, place, first_seen, updated_at, doc)
VALUES (:event_id, :version, :type, :title, :when_date, :place, :first_seen, :updated_at, :doc)
ON CONFLICT (event_id) DO UPDATE SET
    version = excluded.version, type = excluded.type, title = excluded.title,
    when_date = excluded.when_date, place = excluded.place, updated_at = excluded.updated_at,
    doc = excluded.doc
WHERE excluded.version > events.version
"""
INSERT_VERSION = """
INSERT INTO event_versions (event_id, version, stored_at, doc) VALUES (:event_id, :version, :stored_at, :doc)
ON CONFLICT (event_id, version) DO NOTHING
"""
UPSERT_ARTICLE = """
INSERT INTO articles (id, event_id, event_version, url, source, title, published_at)
VALUES (:id, :event_id, :event_version, :url, :source, :title, :published_at)
ON CONFLICT (id) DO UPDATE SET
    event_id = excluded.event_id, event_version = excluded.event_version, url = excluded.url,
    source = excluded.source, title = excluded.title, published_at = excluded.published_at
"""


class StoreError(RuntimeError):
    """The database refused or could not be reached; the message says what to check."""


class EventStore(Protocol):
    def migrate(self) -> list[str]: ...

    def write(self, events: Sequence[Event], tombstones: Sequence[str] = ()) -> None: ...

    def events(self) -> Iterator[Event]: ...

    def close(self) -> None: ...


def migrations(dialect: str) -> list[tuple[str, str]]:
    """(name, sql) of every migration file for a dialect, in order."""
    folder = resources.files("newsdesk.sink") / "migrations" / dialect
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name, f.read_text()) for f in files]


def latest_per_event(events: Sequence[Event]) -> list[Event]:
    """Within one batch only the newest version of an event needs the current-row upsert."""
    newest: dict[str, Event] = {}
    for event in events:
        held = newest.get(event.event_id)
        if held is None or event.version > held.version:
            newest[event.event_id] = event
    return list(newest.values())


def event_columns(event: Event) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "version": event.version,
        "type": event.type,
        "title": event.title,
        "when_date": event.when,
        "place": event.where[0].name if event.where else None,
        "first_seen": event.first_seen,
        "updated_at": event.updated_at,
        "doc": orjson.dumps(event.model_dump(mode="json")).decode(),
    }


def article_rows(event: Event) -> list[dict[str, Any]]:
    return [
        {**a.model_dump(include={"id", "url", "source", "title", "published_at"}),
         "event_id": event.event_id, "event_version": event.version}
        for a in event.articles
    ]


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
