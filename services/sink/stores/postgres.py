"""PostgreSQL store, for production and for several readers at once."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg

from newsdesk.records import Event
from newsdesk.serde import validate
from newsdesk.sink.stores.base import (
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
    unique_articles,
    write_or_reject,
)
from newsdesk.sink.stores.reading import SqlReader

_NAMED = re.compile(r"(?<!:):(\w+)")

# The event's title or body (summary, article titles, quotes), or any of its articles' title + text.
_FTS = ("(e.title_tsv @@ plainto_tsquery('simple', :terms) OR e.body_tsv @@ plainto_tsquery('simple', :terms)"
        " OR EXISTS (SELECT 1 FROM articles a"
        " WHERE a.event_id = e.event_id AND a.text_tsv @@ plainto_tsquery('simple', :terms)))")


SET_BODY = ("UPDATE events e SET body_tsv = to_tsvector('simple', u.body)"
            " FROM unnest(%(event_id)b::text[], %(body)b::text[]) AS u(event_id, body)"
            # The ANY lets the planner use the primary key instead of scanning every event.
            " WHERE e.event_id = u.event_id AND e.event_id = ANY(%(event_id)b::text[])")
DROP_URL_TWINS = ("DELETE FROM articles a USING unnest(%(url)b::text[], %(id)b::text[]) AS u(url, id)"
                  " WHERE a.url = u.url AND a.id <> u.id AND a.url = ANY(%(url)b::text[])")

# Column types for the bulk form of the shared statements (anything else is text).
_TYPES = {"version": "integer", "event_version": "integer", "ordinal": "integer", "when_date": "date",
          "first_seen": "timestamptz", "updated_at": "timestamptz", "stored_at": "timestamptz", "doc": "jsonb"}
_INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)\s*VALUES \([^)]*\)", re.S)


def bulk(sql: str) -> str:
    """A shared `INSERT ... VALUES (:a, :b) ON CONFLICT ...` as one statement over arrays.

    One round trip and one statement per batch instead of one per row: `unnest` turns the
    column arrays back into rows. Rows must be unique on the conflict key (callers dedupe).
    """
    match = _INSERT.search(sql)
    if match is None:
        raise ValueError("not a single-row INSERT ... VALUES statement")
    table, columns = match.group(1), [c.strip() for c in match.group(2).split(",")]
    selected = ", ".join(f"u.{c}::{_TYPES.get(c, 'text')}" for c in columns)
    # Binary parameters (%b): no array-literal quoting of every JSON document on the client.
    arrays = ", ".join(f"%({c})b::text[]" for c in columns)
    replacement = (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selected}"
                   f" FROM unnest({arrays}) AS u({', '.join(columns)})")
    return sql[:match.start()] + replacement + sql[match.end():]


def arrays(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> dict[str, list[Any]]:
    return {c: [None if row[c] is None else str(row[c]) for row in rows] for c in columns}


def run_bulk(cur: psycopg.Cursor, sql: str, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        match = _INSERT.search(sql)
        assert match is not None
        cur.execute(bulk(sql), arrays(rows, [c.strip() for c in match.group(2).split(",")]))


def pg(sql: str) -> str:
    """The shared statements use :name parameters; psycopg wants %(name)s."""
    return _NAMED.sub(r"%(\1)s", sql)


def _refusal(exc: Exception) -> str | None:
    """Why PostgreSQL refused the data itself, else None (a connection or server problem).

    Data errors (class 22: NUL in text, a date it cannot read), integrity errors (23) and
    program limits (54: a key too long for its index) come back the same on every retry.
    """
    if isinstance(exc, psycopg.DataError | psycopg.IntegrityError | psycopg.errors.ProgramLimitExceeded):
        return f"PostgreSQL refused the event: {str(exc).strip()[:500]}"
    return None


class PostgresStore(SqlReader):
    dialect = "postgres"
    fts_condition = _FTS

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self.readonly = readonly
        self.lock = threading.RLock()
        self.db = self._connect()

    def _connect(self) -> psycopg.Connection:
        # A reader's session refuses writes whatever its role may do; the role should be read-only too.
        options = {"options": "-c default_transaction_read_only=on"} if self.readonly else {}
        try:
            # Keepalives: a connection whose server vanished without a word is found dead in
            # about a minute instead of the kernel's two hours.
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10, keepalives=1,
                                   keepalives_idle=30, keepalives_interval=10, keepalives_count=3, **options)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL ({_redact(self.url)}): {_redact(str(exc))}".strip()) from exc

    def _connected(self) -> psycopg.Connection:
        """The connection, opened again if the last one broke (a restart, a network cut): a sink
        or an API outlives the database's outages instead of failing on a dead socket forever."""
        if self.db.closed or self.db.broken:
            self.db.close()
            self.db = self._connect()
        return self.db

    def migrate(self) -> list[str]:
        applied = []
        with self.lock:
            db = self._connected()
            with db.transaction():
                # One migrator at a time, even with several sinks starting together.
                db.execute("SELECT pg_advisory_xact_lock(7244915)")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ)"
                )
                done = {row[0] for row in db.execute("SELECT name FROM schema_migrations")}
                for name, sql in migrations(self.dialect):
                    if name in done:
                        continue
                    db.execute(sql)
                    db.execute("INSERT INTO schema_migrations VALUES (%s, now())", (name,))
                    if name.startswith("0002"):
                        # Events stored before entities, quotes and search existed get them now.
                        with db.cursor() as cur:
                            docs = [doc for (doc,) in cur.execute("SELECT doc FROM events")]
                            self._write_derived(cur, [validate(doc, Event) for doc in docs])
                    applied.append(name)
        return applied

    def write(self, events: Sequence[Event], tombstones: Sequence[str] = ()) -> None:
        try:
            with self.lock:
                write_or_reject(self._write, _refusal, events, tombstones)
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL write failed: {exc}") from exc

    def _write(self, events: Sequence[Event], tombstones: Sequence[str]) -> None:
        stamp = now_iso()
        columns = {id(e): event_columns(e, stamp) for e in events}
        db = self._connected()
        with db.transaction(), db.cursor() as cur:
            run_bulk(cur, INSERT_VERSION, list(columns.values()))
            latest = latest_per_event(events)
            run_bulk(cur, UPSERT_EVENT, [columns[id(e)] for e in latest])
            # One round trip tells which events this batch now holds the current version of.
            cur.execute("SELECT event_id, version FROM events WHERE event_id = ANY(%s)",
                        ([e.event_id for e in latest],))
            stored = dict(cur.fetchall())
            self._write_derived(cur, [e for e in latest if stored.get(e.event_id) == e.version])
            if tombstones:
                gone = list(tombstones)
                cur.execute("DELETE FROM events WHERE event_id = ANY(%s)", (gone,))
                cur.execute("DELETE FROM event_entities WHERE event_id = ANY(%s)", (gone,))
                cur.execute("DELETE FROM quotes WHERE event_id = ANY(%s)", (gone,))

    def _write_derived(self, cur: psycopg.Cursor, current: Sequence[Event]) -> None:
        """Articles, entities, quotes and search text of events whose current version this is, in bulk."""
        if not current:
            return
        ids = [e.event_id for e in current]
        cur.execute("DELETE FROM event_entities WHERE event_id = ANY(%s)", (ids,))
        cur.execute("DELETE FROM quotes WHERE event_id = ANY(%s)", (ids,))
        articles = unique_articles([row for e in current for row in article_rows(e)])
        entities: dict[str, dict[str, Any]] = {}
        links = []
        for event in current:
            more_entities, more_links = entity_rows(event)
            entities.update((r["entity_id"], r) for r in more_entities)
            links += more_links
        with_url = [a for a in articles if a["url"]]
        if with_url:
            cur.execute(DROP_URL_TWINS, arrays(with_url, ("url", "id")))
        run_bulk(cur, UPSERT_ARTICLE, articles)
        # Sorted so concurrent writers take row locks in one order and never deadlock.
        run_bulk(cur, UPSERT_ENTITY, [entities[k] for k in sorted(entities)])
        run_bulk(cur, INSERT_LINK, links)
        run_bulk(cur, INSERT_QUOTE, [q for e in current for q in quote_rows(e)])
        cur.execute(SET_BODY, {"event_id": ids, "body": [search_body(e) for e in current]})

    def events(self) -> Iterator[Event]:
        with self.lock, self._connected().cursor() as cur:
            docs = [doc for (doc,) in cur.execute("SELECT doc FROM events ORDER BY first_seen, event_id")]
        for doc in docs:
            yield validate(doc, Event)

    # --- reader ---

    def _rows(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        try:
            with self.lock, self._connected().cursor() as cur:
                cur.execute(pg(sql), params)
                return cur.fetchall()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL read failed: {exc}") from exc

    def _event(self, doc: Any) -> Event:
        return validate(doc, Event)

    def close(self) -> None:
        self.db.close()


def _redact(url: str) -> str:
    # Never print a password into logs or error messages.
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
