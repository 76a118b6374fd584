"""SQLite store: the embedded default, one file, no server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsdesk.records import Event
from newsdesk.serde import loads
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


class SqliteStore:
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # The sink writes from a worker thread, one batch at a time.
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            # WAL lets readers (`newsdesk events`, the API) read while the sink writes.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite database {path}: {exc}") from exc

    def migrate(self) -> list[str]:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        done = {row[0] for row in self.db.execute("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in migrations(self.dialect):
            if name in done:
                continue
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, sql.split(";")):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now_iso()))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            applied.append(name)
        return applied

    def write(self, events: Sequence[Event], tombstones: Sequence[str] = ()) -> None:
        stamp = now_iso()
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for event in events:
                    cols = event_columns(event)
                    self.db.execute(INSERT_VERSION, {**cols, "stored_at": stamp})
                for event in latest_per_event(events):
                    self.db.execute(UPSERT_EVENT, event_columns(event))
                    current = self.db.execute(
                        "SELECT version FROM events WHERE event_id = ?", (event.event_id,)
                    ).fetchone()
                    if current and current[0] == event.version:
                        self.db.executemany(UPSERT_ARTICLE, article_rows(event))
                for event_id in tombstones:
                    self.db.execute("DELETE FROM events WHERE event_id = ?", (event_id,))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite write failed: {exc}") from exc

    def events(self) -> Iterator[Event]:
        for (doc,) in self.db.execute("SELECT doc FROM events ORDER BY first_seen, event_id"):
            yield loads(doc, Event)

    def close(self) -> None:
        self.db.close()
