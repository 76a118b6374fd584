"""Reading stored events: one filter type, one SQL text for both databases.

Every value reaches the database as a bound parameter; only fixed fragments written here are
joined into the statement. Full-text search is the one dialect-specific part: each store
supplies its own condition (FTS5 in SQLite, tsvector in PostgreSQL) over the same terms.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Protocol

from newsdesk.records import Event
from newsdesk.sink.stores.base import entity_key

#: Largest page a reader returns, whatever is asked.
MAX_PAGE = 100
#: Full-text queries keep at most this many words, each at most MAX_TERM_CHARS long.
MAX_TERMS = 16
MAX_TERM_CHARS = 64

_WORD = re.compile(r"\w+")

#: Where a reader of changes is: (store time of a write, event id).
Cursor = tuple[str, str]


@dataclass(frozen=True)
class EventFilter:
    """What a reader asks for; every field is optional and they combine with AND."""

    entity: str | None = None  # a person, organisation or place named in the event
    type: str | None = None  # an EventType, e.g. "meeting"
    place: str | None = None
    date_from: str | None = None  # ISO date, inclusive, on the event's own date
    date_to: str | None = None
    text: str | None = None  # words searched in titles and article text (all must match)
    limit: int = 20
    offset: int = 0


def search_terms(text: str) -> list[str]:
    """The words of a query; punctuation and operators are dropped so no input breaks the parser."""
    terms = []
    for match in _WORD.finditer(text):
        terms.append(match.group()[:MAX_TERM_CHARS].lower())
        if len(terms) == MAX_TERMS:
            break
    return terms


def where_clause(f: EventFilter, fts_condition: str) -> tuple[str, dict[str, Any]]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if f.type:
        conditions.append("e.type = :type")
        params["type"] = f.type
    if f.entity:
        conditions.append(
            "EXISTS (SELECT 1 FROM event_entities ee JOIN entities en ON en.entity_id = ee.entity_id"
            " WHERE ee.event_id = e.event_id AND en.name_key = :entity_key)"
        )
        params["entity_key"] = entity_key(f.entity)
    if f.place:
        conditions.append(
            "EXISTS (SELECT 1 FROM event_entities ep JOIN entities pl ON pl.entity_id = ep.entity_id"
            " WHERE ep.event_id = e.event_id AND pl.type = 'place' AND pl.name_key = :place_key)"
        )
        params["place_key"] = entity_key(f.place)
    if f.date_from:
        conditions.append("e.when_date >= :date_from")
        params["date_from"] = f.date_from
    if f.date_to:
        conditions.append("e.when_date <= :date_to")
        params["date_to"] = f.date_to
    if f.text is not None:
        terms = search_terms(f.text)
        if terms:
            conditions.append(fts_condition)
            params["terms"] = " ".join(terms)
        else:
            conditions.append("1 = 0")  # a query with no words matches nothing
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


class EventReader(Protocol):
    """Read side of a store: what the API and `newsdesk events` need."""

    def find_events(self, f: EventFilter) -> list[Event]: ...

    def get_event(self, event_id: str) -> Event | None: ...

    def event_articles(self, event_id: str) -> list[dict[str, Any]]: ...

    def event_quotes(self, event_id: str) -> list[dict[str, Any]]: ...

    def event_history(self, event_id: str) -> list[Event]: ...

    def changes_since(self, cursor: Cursor | None, limit: int = MAX_PAGE) -> list[tuple[Cursor, Event]]: ...

    def latest_cursor(self) -> Cursor | None: ...

    def close(self) -> None: ...


class SqlReader(ABC):
    """The reader methods over any DB-API connection; stores provide the dialect parts."""

    #: Condition on the events row `e` that is true when it matches :terms.
    fts_condition: str

    @abstractmethod
    def _rows(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def _event(self, doc: Any) -> Event: ...

    def find_events(self, f: EventFilter) -> list[Event]:
        where, params = where_clause(f, self.fts_condition)
        params["limit"] = max(1, min(f.limit, MAX_PAGE))
        params["offset"] = max(0, f.offset)
        sql = (f"SELECT e.doc FROM events e{where}"
               " ORDER BY e.updated_at DESC, e.event_id LIMIT :limit OFFSET :offset")
        return [self._event(doc) for (doc,) in self._rows(sql, params)]

    def get_event(self, event_id: str) -> Event | None:
        rows = self._rows("SELECT doc FROM events WHERE event_id = :event_id", {"event_id": event_id})
        return self._event(rows[0][0]) if rows else None

    def event_articles(self, event_id: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT id, url, source, outlet, title, published_at FROM articles WHERE event_id = :event_id"
            " ORDER BY published_at, id",
            {"event_id": event_id},
        )
        keys = ("id", "url", "source", "outlet", "title", "published_at")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def event_quotes(self, event_id: str) -> list[dict[str, Any]]:
        rows = self._rows("SELECT text, speaker FROM quotes WHERE event_id = :event_id ORDER BY ordinal",
                          {"event_id": event_id})
        return [{"text": text, "speaker": speaker} for text, speaker in rows]

    def event_history(self, event_id: str) -> list[Event]:
        rows = self._rows("SELECT doc FROM event_versions WHERE event_id = :event_id ORDER BY version",
                          {"event_id": event_id})
        return [self._event(doc) for (doc,) in rows]

    def changes_since(self, cursor: Cursor | None, limit: int = MAX_PAGE) -> list[tuple[Cursor, Event]]:
        """Events written after `cursor` (store time, then event id), oldest first, each with its cursor.

        The store time is taken once per batch, so the event id breaks ties and a reader that
        stopped in the middle of a large batch resumes exactly where it was.
        """
        params: dict[str, Any] = {"limit": max(1, min(limit, 10 * MAX_PAGE))}
        where = " WHERE stored_at IS NOT NULL"
        if cursor is not None:
            where += " AND (stored_at > :stamp OR (stored_at = :stamp AND event_id > :after_id))"
            params["stamp"], params["after_id"] = cursor
        rows = self._rows(
            f"SELECT stored_at, event_id, doc FROM events{where} ORDER BY stored_at, event_id LIMIT :limit", params
        )
        return [((_iso(at), event_id), self._event(doc)) for at, event_id, doc in rows]

    def latest_cursor(self) -> Cursor | None:
        rows = self._rows("SELECT stored_at, event_id FROM events WHERE stored_at IS NOT NULL"
                          " ORDER BY stored_at DESC, event_id DESC LIMIT 1", {})
        return (_iso(rows[0][0]), rows[0][1]) if rows else None


def _iso(value: Any) -> str:
    return value if isinstance(value, str) else value.isoformat()
