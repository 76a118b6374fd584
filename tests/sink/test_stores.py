"""Both stores, same behaviour: idempotent, version-guarded, with history."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from newsdesk.records import Event, EventArticle
from newsdesk.sink.stores import EventStore, StoreError, open_store


def event(event_id: str, version: int, title: str, article_ids: list[str]) -> Event:
    return Event(
        event_id=event_id,
        version=version,
        title=title,
        when="2024-03-05",
        first_seen="2024-03-05T10:00:00+00:00",
        updated_at=f"2024-03-05T10:0{version}:00+00:00",
        articles=[EventArticle(id=a, url=f"https://example.org/{a}") for a in article_ids],
    )


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    opened = open_store(store_url)
    assert opened.migrate()  # first run applies the migrations
    assert opened.migrate() == []  # and a second run has nothing left to do
    yield opened
    opened.close()


def migrate_together(url: str, migrators: int) -> tuple[list[list[str]], list[BaseException]]:
    """Each migrator opens the database, then all migrate at the same moment."""
    start = threading.Barrier(migrators)
    applied: list[list[str]] = []
    errors: list[BaseException] = []

    def migrate() -> None:
        try:
            opened = open_store(url)
        except BaseException as exc:
            errors.append(exc)
            start.abort()
            return
        try:
            start.wait(timeout=30)
            applied.append(opened.migrate())
        except BaseException as exc:
            errors.append(exc)
        finally:
            opened.close()

    threads = [threading.Thread(target=migrate, daemon=True) for _ in range(migrators)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return applied, errors


def test_migrators_starting_together_apply_each_migration_once(store_url: str) -> None:
    # A sink and a reader (or several sinks) opening a new database at the same moment. A race
    # shows only sometimes, so SQLite (a new file is cheap) gets several new databases.
    urls = [f"{store_url}.{n}" for n in range(5)] if store_url.startswith("sqlite") else [store_url]
    for url in urls:
        applied, errors = migrate_together(url, migrators=6)
        assert errors == []
        names = [name for done in applied for name in done]
        assert len(names) == len(set(names)) > 0


def test_replayed_batch_changes_nothing(store: EventStore) -> None:
    batch = [event("e1", 1, "First", ["a"]), event("e1", 2, "Second", ["a", "b"])]
    store.write(batch)
    store.write(batch)
    stored = list(store.events())
    assert [(e.event_id, e.version, e.title) for e in stored] == [("e1", 2, "Second")]
    assert [a.id for a in stored[0].articles] == ["a", "b"]


def test_an_older_version_never_overwrites_a_newer_one(store: EventStore) -> None:
    store.write([event("e1", 3, "Newest", ["a", "b", "c"])])
    store.write([event("e1", 2, "Older", ["a", "b"])])
    (stored,) = store.events()
    assert (stored.version, stored.title) == (3, "Newest")


def test_tombstone_removes_a_merged_away_event(store: EventStore) -> None:
    store.write([event("e1", 1, "One", ["a"]), event("e2", 1, "Two", ["b"])])
    store.write([event("e1", 2, "One and two", ["a", "b"])], tombstones=["e2"])
    assert [e.event_id for e in store.events()] == ["e1"]


def test_history_keeps_every_version(store: EventStore) -> None:
    store.write([event("e1", 1, "v1", ["a"])])
    store.write([event("e1", 2, "v2", ["a", "b"]), event("e1", 1, "v1", ["a"])])
    db = store.db  # type: ignore[attr-defined]
    rows = db.execute("SELECT version FROM event_versions WHERE event_id = 'e1' ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [1, 2]


def test_unsupported_url_says_what_to_use() -> None:
    with pytest.raises(StoreError, match="sqlite:///PATH or postgresql://"):
        open_store("mysql://localhost/db")


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as info:
        open_store("postgresql://someone:secret@127.0.0.1:1/nothing")
    assert "secret" not in str(info.value)
