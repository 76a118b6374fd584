"""Storage back ends for merged events: one module per database, one protocol for all."""

from __future__ import annotations

from pathlib import Path

from newsdesk.sink.stores.base import EventStore, StoreError
from newsdesk.sink.stores.reading import EventFilter, EventReader


def open_store(url: str) -> EventStore:
    """sqlite:///path/to/file.db (the embedded default) or postgresql://user:pass@host/db."""
    if url.startswith("sqlite:///"):
        from newsdesk.sink.stores.sqlite import SqliteStore

        return SqliteStore(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("postgresql://", "postgres://")):
        from newsdesk.sink.stores.postgres import PostgresStore

        return PostgresStore(url)
    raise StoreError(
        f"unsupported database URL {url.split(':', 1)[0]}://...; use sqlite:///PATH or postgresql://..."
    )


def open_reader(url: str) -> EventReader:
    """A read-only connection: SQLite opened with mode=ro, PostgreSQL in read-only transactions."""
    if url.startswith("sqlite:///"):
        from newsdesk.sink.stores.sqlite import SqliteStore

        return SqliteStore(Path(url.removeprefix("sqlite:///")), readonly=True)
    if url.startswith(("postgresql://", "postgres://")):
        from newsdesk.sink.stores.postgres import PostgresStore

        return PostgresStore(url, readonly=True)
    raise StoreError(
        f"unsupported database URL {url.split(':', 1)[0]}://...; use sqlite:///PATH or postgresql://..."
    )


__all__ = ["EventFilter", "EventReader", "EventStore", "StoreError", "open_reader", "open_store"]
