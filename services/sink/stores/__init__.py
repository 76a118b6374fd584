"""Storage back ends for merged events: one module per database, one protocol for all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsdesk.records import Event
from newsdesk.sink.stores.base import EventStore, StoreError
from newsdesk.sink.stores.reading import EventFilter, EventReader


def _open(url: str, readonly: bool) -> Any:  # SqliteStore | PostgresStore, imported lazily
    if url.startswith("sqlite:///"):
        from newsdesk.sink.stores.sqlite import SqliteStore

        return SqliteStore(Path(url.removeprefix("sqlite:///")), readonly=readonly)
    if url.startswith(("postgresql://", "postgres://")):
        from newsdesk.sink.stores.postgres import PostgresStore

        return PostgresStore(url, readonly=readonly)
    raise StoreError(
        f"unsupported database URL {url.split(':', 1)[0]}://...; use sqlite:///PATH or postgresql://..."
    )


def open_store(url: str) -> EventStore:
    """sqlite:///path/to/file.db (the embedded default) or postgresql://user:pass@host/db."""
    return _open(url, readonly=False)


def open_reader(url: str) -> EventReader:
    """A read-only connection: SQLite opened with mode=ro, PostgreSQL in read-only transactions."""
    return _open(url, readonly=True)


def stored_events(url: str) -> list[Event]:
    """Every stored event (current versions), migrating first so a new database reads as empty."""
    store = open_store(url)
    try:
        store.migrate()
        return list(store.events())
    finally:
        store.close()


__all__ = ["EventFilter", "EventReader", "EventStore", "StoreError", "open_reader", "open_store", "stored_events"]
