"""SQLite store: the embedded default, one file, no server."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsdesk.records import Event
from newsdesk.serde import loads
from newsdesk.sink.stores.base import (
    CLEAR_DERIVED,
    DELETE_EVENT,
    DROP_URL_TWIN,
    INSERT_LINK,
    INSERT_QUOTE,
    INSERT_VERSION,
    UPSERT_ARTICLE,
    UPSERT_ENTITY,
    UPSERT_EVENT,
    StoreError,
    article_rows,
    entity_rows,
    event_columns,
    latest_per_event,
    migrations,
    now_iso,
    quote_rows,
    search_body,
    write_or_reject,
)
from newsdesk.sink.stores.reading import SqlReader

#: How long opening waits for another connection setting up the same new file.
OPEN_PATIENCE_S = 30.0

# FTS5 query: every term quoted (terms are word characters only, see search_terms).
_FTS = ("e.event_id IN (SELECT event_id FROM events_fts WHERE events_fts MATCH"
        " '\"' || replace(:terms, ' ', '\" \"') || '\"')")


def _refusal(exc: Exception) -> str | None:
    """Why SQLite refused the data itself (a constraint, a string or blob too big), else None:
    "database or disk is full" and "database is locked" pass, so those are retried."""
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.DataError):
        return f"SQLite refused the event: {exc}"
    return None


def _use_wal(db: sqlite3.Connection) -> None:
    """WAL lets readers (`newsdesk events`, the API) read while the sink writes. Switching a new
    file to it while another connection does the same answers "database is locked" at once (the
    busy timeout does not cover it; seen with a sink and a reader starting together), so it is
    tried again for a while."""
    deadline = time.monotonic() + OPEN_PATIENCE_S
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SqliteStore(SqlReader):
    dialect = "sqlite"
    fts_condition = _FTS

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.readonly = readonly
        # One connection shared by the sink's worker thread or the API's threads, one call at a time.
        self.lock = threading.RLock()
        try:
            if readonly:
                if not path.exists():
                    raise StoreError(f"SQLite database {path} does not exist; run `newsdesk db migrate` first")
                self.db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30,
                                          isolation_level=None, check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
                _use_wal(self.db)
                self.db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite database {path}: {exc}") from exc

    def migrate(self) -> list[str]:
        with self.lock:
            # One migrator at a time: the write lock is taken before reading what is applied, so a
            # sink and a reader (or two sinks) opening a new file together never both apply one.
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
                done = {row[0] for row in self.db.execute("SELECT name FROM schema_migrations")}
                applied = []
                for name, sql in migrations(self.dialect):
                    if name in done:
                        continue
                    for statement in filter(str.strip, sql.split(";")):
                        self.db.execute(statement)
                    self.db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now_iso()))
                    if name.startswith("0002"):
                        # Events stored before entities, quotes and search existed get them now.
                        self._write_derived([loads(doc, Event) for (doc,) in self.db.execute("SELECT doc FROM events")])
                    applied.append(name)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            return applied

    def write(self, events: Sequence[Event], tombstones: Sequence[str] = ()) -> None:
        try:
            with self.lock:
                write_or_reject(self._write, _refusal, events, tombstones)
        except sqlite3.Error as exc:
            # "database or disk is full", "database is locked": the sink retries until it passes.
            raise StoreError(f"SQLite write failed: {exc}") from exc

    def _write(self, events: Sequence[Event], tombstones: Sequence[str]) -> None:
        stamp = now_iso()
        columns = {id(e): event_columns(e, stamp) for e in events}
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(INSERT_VERSION, list(columns.values()))
            latest = latest_per_event(events)
            self.db.executemany(UPSERT_EVENT, [columns[id(e)] for e in latest])
            self._write_derived([e for e in latest if self._stored_version(e.event_id) == e.version])
            for event_id in tombstones:
                self._clear_derived(event_id)  # first: the search row is found by the event's rowid
                self.db.execute(DELETE_EVENT, {"event_id": event_id})
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled back by itself (disk full)
                self.db.execute("ROLLBACK")
            raise

    def _stored_version(self, event_id: str) -> int | None:
        row = self.db.execute("SELECT version FROM events WHERE event_id = ?", (event_id,)).fetchone()
        return row[0] if row else None

    def _clear_derived(self, event_id: str) -> None:
        for sql in CLEAR_DERIVED:
            self.db.execute(sql, {"event_id": event_id})
        # By rowid (the event row's): event_id is not indexed in the FTS table, so this avoids a scan.
        self.db.execute("DELETE FROM events_fts WHERE rowid = (SELECT rowid FROM events WHERE event_id = ?)",
                        (event_id,))

    def _write_derived(self, current: Sequence[Event]) -> None:
        """Articles, entities, quotes and the search row of events whose current version this is."""
        for event in current:
            self._clear_derived(event.event_id)
            articles = article_rows(event)
            self.db.executemany(DROP_URL_TWIN, [a for a in articles if a["url"]])
            self.db.executemany(UPSERT_ARTICLE, articles)
            entities, links = entity_rows(event)
            self.db.executemany(UPSERT_ENTITY, entities)
            self.db.executemany(INSERT_LINK, links)
            self.db.executemany(INSERT_QUOTE, quote_rows(event))
            self.db.execute("INSERT INTO events_fts (rowid, event_id, title, body)"
                            " SELECT rowid, event_id, ?, ? FROM events WHERE event_id = ?",
                            (event.title or "", search_body(event), event.event_id))

    def events(self) -> Iterator[Event]:
        with self.lock:
            docs = [doc for (doc,) in self.db.execute("SELECT doc FROM events ORDER BY first_seen, event_id")]
        for doc in docs:
            yield loads(doc, Event)

    # --- reader ---

    def _rows(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        try:
            with self.lock:
                return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite read failed: {exc}") from exc

    def _event(self, doc: Any) -> Event:
        return loads(doc, Event)

    def close(self) -> None:
        self.db.close()
