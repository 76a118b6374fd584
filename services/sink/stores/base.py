"""What a store does for the sink and the readers, whatever database is behind it.

Writes are idempotent: an event is stored only if its version is newer than the stored one,
history rows are keyed by (event_id, version), and articles follow the current version. So a
batch replayed after a crash, or versions arriving out of order, never regress an event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any, Protocol

import orjson

from newsdesk.records import Event

# Written once with :name parameters; each store adapts the parameter style.
UPSERT_EVENT = """
INSERT INTO events (event_id, version, type, title, when_date, place, first_seen, updated_at, doc, stored_at)
VALUES (:event_id, :version, :type, :title, :when_date, :place, :first_seen, :updated_at, :doc, :stored_at)
ON CONFLICT (event_id) DO UPDATE SET
    version = excluded.version, type = excluded.type, title = excluded.title,
    when_date = excluded.when_date, place = excluded.place, updated_at = excluded.updated_at,
    doc = excluded.doc, stored_at = excluded.stored_at
WHERE excluded.version > events.version
"""
INSERT_VERSION = """
INSERT INTO event_versions (event_id, version, stored_at, doc) VALUES (:event_id, :version, :stored_at, :doc)
ON CONFLICT (event_id, version) DO NOTHING
"""
UPSERT_ARTICLE = """
INSERT INTO articles (id, event_id, event_version, url, source, outlet, title, published_at, text)
VALUES (:id, :event_id, :event_version, :url, :source, :outlet, :title, :published_at, :text)
ON CONFLICT (id) DO UPDATE SET
    event_id = excluded.event_id, event_version = excluded.event_version, url = excluded.url,
    source = excluded.source, outlet = excluded.outlet, title = excluded.title,
    published_at = excluded.published_at, text = coalesce(excluded.text, articles.text)
"""
# The canonical URL is unique: a row for the same URL under another id gives way to the newer one.
DROP_URL_TWIN = "DELETE FROM articles WHERE url = :url AND id <> :id"
UPSERT_ENTITY = """
INSERT INTO entities (entity_id, name, type, name_key) VALUES (:entity_id, :name, :type, :name_key)
ON CONFLICT (entity_id) DO UPDATE SET name = excluded.name
"""
INSERT_LINK = """
INSERT INTO event_entities (event_id, entity_id, role) VALUES (:event_id, :entity_id, :role)
ON CONFLICT (event_id, entity_id) DO NOTHING
"""
INSERT_QUOTE = """
INSERT INTO quotes (event_id, ordinal, text, speaker) VALUES (:event_id, :ordinal, :text, :speaker)
ON CONFLICT (event_id, ordinal) DO NOTHING
"""
# Derived rows of an event are replaced whole whenever its current version is (re)written.
CLEAR_DERIVED = (
    "DELETE FROM event_entities WHERE event_id = :event_id",
    "DELETE FROM quotes WHERE event_id = :event_id",
)
DELETE_EVENT = "DELETE FROM events WHERE event_id = :event_id"


class StoreError(RuntimeError):
    """The database refused or could not be reached; the message says what to check."""


class RejectedEvents(StoreError):
    """The database refused these events for what they hold (a NUL in a title, a date it cannot
    read, a key too long to index), not because it was unreachable: a retry would fail forever.
    Everything else of the batch was stored; the sink dead-letters these with the reason.
    `tombstones` are deletions refused the same way: ids no stored event can have."""

    def __init__(self, rejected: Sequence[tuple[Event, str]], tombstones: Sequence[tuple[str, str]] = ()) -> None:
        first = (rejected or tombstones)[0][1]
        super().__init__(f"the database refused {len(rejected)} event(s) and {len(tombstones)} deletion(s); "
                         f"first: {first[:300]}")
        self.rejected = list(rejected)
        self.tombstones = list(tombstones)


def write_or_reject(write: Callable[[Sequence[Event], Sequence[str]], None],
                    refusal: Callable[[Exception], str | None],
                    events: Sequence[Event], tombstones: Sequence[str]) -> None:
    """One transaction for the batch; if the database refuses its content, one per event (and per
    deletion), so what it refuses is set apart (RejectedEvents) and the rest still stored.

    `refusal` tells a refusal (its reason) from anything else (None: the error is raised as is,
    and the whole batch is retried later; writes are idempotent, so the events stored one by one
    before it do no harm).
    """
    try:
        write(events, tombstones)
        return
    except Exception as exc:
        if refusal(exc) is None:
            raise
    def refused_by(one_write: Callable[[], None]) -> str | None:
        try:
            one_write()
        except Exception as exc:
            reason = refusal(exc)
            if reason is None:
                raise
            return reason
        return None

    rejected = [(e, why) for e in events if (why := refused_by(lambda e=e: write([e], ()))) is not None]
    refused = [(i, why) for i in tombstones if (why := refused_by(lambda i=i: write((), [i]))) is not None]
    if rejected or refused:
        raise RejectedEvents(rejected, refused)


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


def event_columns(event: Event, stored_at: str | None = None) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "version": event.version,
        "type": event.type,
        "title": event.title,
        "when_date": iso_date(event.when),
        "place": event.where[0].name if event.where else None,
        "first_seen": event.first_seen,
        "updated_at": event.updated_at,
        "doc": orjson.dumps(event.model_dump(mode="json")).decode(),
        "stored_at": stored_at or now_iso(),
    }


def iso_date(value: str | None) -> str | None:
    """The event's date for the indexed date column, or None when it is not an ISO date: the
    document keeps what the producer sent, but one unreadable date must not refuse the event."""
    if not value or value[10:11] not in ("", "T", " "):  # a date, or a date and time
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def article_rows(event: Event) -> list[dict[str, Any]]:
    outlets = {aid: s.name for s in event.sources for aid in s.articles if s.kind == "outlet"}
    rows = [
        {**a.model_dump(include={"id", "url", "source", "title", "published_at"}),
         "event_id": event.event_id, "event_version": event.version,
         "outlet": _extra(a, "outlet") or outlets.get(a.id),
         # Events carry no body today; a producer that adds `text` to an article gets it indexed.
         "text": _text_or_none(_extra(a, "text"))}
        for a in event.articles
    ]
    return unique_articles(rows)


def unique_articles(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per article id and per canonical URL (the last wins), as the table requires."""
    by_id = {row["id"]: row for row in rows}
    by_url: dict[Any, dict[str, Any]] = {}
    for row in by_id.values():
        by_url[row["url"] if row["url"] else ("no-url", row["id"])] = row
    return list(by_url.values())


def _extra(record: Any, name: str) -> Any:
    # Fields beyond the model (extra="allow"); a plain dict lookup, no attribute machinery.
    return (record.model_extra or {}).get(name)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def entity_key(name: str) -> str:
    """How entity names are matched: case- and width-insensitive, spaces collapsed."""
    return " ".join(name.casefold().split())


def entity_rows(event: Event) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(entities, event-entity links) for the people, organisations and places of an event."""
    entities: dict[str, dict[str, Any]] = {}
    links: dict[str, dict[str, Any]] = {}
    named = [(p.name, p.type, p.role) for p in event.who] + [(p.name, "place", None) for p in event.where]
    for name, kind, role in named:
        key = entity_key(name)
        if not key:
            continue
        entity_id = f"{kind}:{key}"
        entities.setdefault(entity_id, {"entity_id": entity_id, "name": name, "type": kind, "name_key": key})
        links.setdefault(entity_id, {"event_id": event.event_id, "entity_id": entity_id, "role": role})
    return list(entities.values()), list(links.values())


def quote_rows(event: Event) -> list[dict[str, Any]]:
    return [{"event_id": event.event_id, "ordinal": i, "text": q.text, "speaker": q.speaker}
            for i, q in enumerate(event.quotes)]


def search_body(event: Event) -> str:
    """What full-text search sees of an event besides its title."""
    parts = [event.summary or ""]
    for a in event.articles:
        parts.append(a.title or "")
        parts.append(_text_or_none(_extra(a, "text")) or "")
    parts.extend(q.text for q in event.quotes)
    return "\n".join(p for p in parts if p)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
