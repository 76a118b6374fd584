"""PostgreSQL store, for production and for several readers at once."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import psycopg

from newsdesk.records import Event
from newsdesk.serde import validate
from newsdesk.sink.stores.base import (
    INSERT_VERSION,
    UPSERT_ARTICLE,
    UPSERT_EVENT,
    StoreError,
    article_rows,
    event_columns,
    latest_per_event,
    migrations,
    now_iso,
)

_NAMED = re.compile(r":(\w+)")


def pg(sql: str) -> str:
    """The shared statements use :name parameters; psycopg wants %(name)s."""
    return _NAMED.sub(r"%(\1)s", sql)


class PostgresStore:
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        try:
            self.db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL ({_redact(url)}): {exc}".strip()) from exc

    def migrate(self) -> list[str]:
        applied = []
        with self.db.transaction():
            # One migrator at a time, even with several sinks starting together.
            self.db.execute("SELECT pg_advisory_xact_lock(7244915)")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ)"
            )
            done = {row[0] for row in self.db.execute("SELECT name FROM schema_migrations")}
            for name, sql in migrations(self.dialect):
                if name in done:
                    continue
                self.db.execute(sql)
                self.db.execute("INSERT INTO schema_migrations VALUES (%s, now())", (name,))
                applied.append(name)
        return applied

    def write(self, events: Sequence[Event], tombstones: Sequence[str] = ()) -> None:
        stamp = now_iso()
        try:
            with self.db.transaction(), self.db.cursor() as cur:
                cur.executemany(pg(INSERT_VERSION), [{**event_columns(e), "stored_at": stamp} for e in events])
                for event in latest_per_event(events):
                    cur.execute(pg(UPSERT_EVENT), event_columns(event))
                    cur.execute("SELECT version FROM events WHERE event_id = %s", (event.event_id,))
                    current = cur.fetchone()
                    if current and current[0] == event.version and event.articles:
                        cur.executemany(pg(UPSERT_ARTICLE), article_rows(event))
                if tombstones:
                    cur.execute("DELETE FROM events WHERE event_id = ANY(%s)", (list(tombstones),))
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL write failed: {exc}") from exc

    def events(self) -> Iterator[Event]:
        with self.db.cursor() as cur:
            cur.execute("SELECT doc FROM events ORDER BY first_seen, event_id")
            for (doc,) in cur:
                yield validate(doc, Event)

    def close(self) -> None:
        self.db.close()


def _redact(url: str) -> str:
    # Never print a password into logs or error messages.
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
