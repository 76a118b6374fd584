"""Readers over both stores: filters, search, details, history and the change feed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.records import Event, EventArticle, EventPerson, EventPlace, EventQuote, EventSource
from newsdesk.sink.stores import EventFilter, StoreError, open_reader, open_store
from newsdesk.sink.stores.reading import MAX_PAGE, search_terms


def make(event_id: str, version: int = 1, *, title: str, kind: str = "other", when: str = "2024-05-01",
         people: tuple[str, ...] = (), places: tuple[str, ...] = (), quotes: tuple[str, ...] = (),
         articles: tuple[str, ...] = ("a",), updated: str | None = None) -> Event:
    return Event(
        event_id=event_id, version=version, title=title, type=kind, when=when,
        who=[EventPerson(name=p, role="minister") for p in people],
        where=[EventPlace(name=p, aliases=[p.upper()]) for p in places],
        quotes=[EventQuote(text=q, speaker=people[0] if people else None) for q in quotes],
        sources=[EventSource(name="Harbour Gazette", articles=[f"{event_id}-{a}" for a in articles])],
        articles=[EventArticle(id=f"{event_id}-{a}", url=f"https://news.example/{event_id}/{a}",
                               title=f"{title} ({a})", published_at="2024-05-01T08:00:00Z") for a in articles],
        first_seen="2024-05-01T08:00:00+00:00",
        updated_at=updated or f"2024-05-01T09:{version:02d}:00+00:00",
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def stored(url: str) -> Iterator[str]:
    store = open_store(url)
    store.migrate()
    store.write([
        make("e1", title="Ministers meet over grain corridor", kind="meeting", when="2024-04-28",
             people=("Ilse Varga", "Tomas Brand"), places=("Odesa",), quotes=("We agreed on the route.",)),
        make("e2", title="Flood closes river port", kind="disaster", when="2024-05-02", places=("Ruse",),
             articles=("a", "b")),
        make("e3", title="Court rejects appeal", kind="court_ruling", when="2024-05-03", people=("Ilse Varga",),
             updated="2024-05-01T07:00:00+00:00"),
    ])
    store.close()
    yield url


def ids(events: list[Event]) -> list[str]:
    return [e.event_id for e in events]


def test_filters_combine(stored: str) -> None:
    reader = open_reader(stored)
    assert ids(reader.find_events(EventFilter(entity="ilse  VARGA"))) == ["e1", "e3"]
    assert ids(reader.find_events(EventFilter(entity="Ilse Varga", type="meeting"))) == ["e1"]
    assert ids(reader.find_events(EventFilter(place="odesa"))) == ["e1"]
    assert ids(reader.find_events(EventFilter(date_from="2024-05-01", date_to="2024-05-02"))) == ["e2"]
    assert reader.find_events(EventFilter(type="election")) == []
    reader.close()


def test_full_text_over_titles_and_article_titles(stored: str) -> None:
    reader = open_reader(stored)
    assert ids(reader.find_events(EventFilter(text="grain corridor"))) == ["e1"]
    assert ids(reader.find_events(EventFilter(text="RIVER"))) == ["e2"]
    # Operators and quotes of either query language are only words here: no syntax errors.
    assert ids(reader.find_events(EventFilter(text='"court" AND (appeal) OR -x*'))) == []
    assert ids(reader.find_events(EventFilter(text='court: "appeal"'))) == ["e3"]
    assert reader.find_events(EventFilter(text="!!!")) == []
    reader.close()


def test_pagination_is_newest_first_and_bounded(stored: str) -> None:
    reader = open_reader(stored)
    assert ids(reader.find_events(EventFilter(limit=2))) == ["e1", "e2"]  # same time: by id
    assert ids(reader.find_events(EventFilter(limit=2, offset=2))) == ["e3"]
    assert len(reader.find_events(EventFilter(limit=10_000))) == 3  # capped at MAX_PAGE, not refused
    assert MAX_PAGE == 100
    reader.close()


def test_details_history_and_derived_rows_follow_the_current_version(stored: str) -> None:
    store = open_store(stored)
    store.write([make("e1", 2, title="Ministers agree grain corridor", kind="agreement", people=("Ilse Varga",),
                      places=("Odesa",), quotes=("It is signed.",), articles=("a", "c"))])
    store.write([make("e1", 1, title="stale replay", people=("Nobody Else",))])  # older: ignored
    store.close()
    reader = open_reader(stored)
    event = reader.get_event("e1")
    assert event is not None and (event.version, event.type) == (2, "agreement")
    assert [a["url"] for a in reader.event_articles("e1")] == ["https://news.example/e1/a",
                                                              "https://news.example/e1/c"]
    assert reader.event_articles("e1")[0]["outlet"] == "Harbour Gazette"
    assert reader.event_quotes("e1") == [{"text": "It is signed.", "speaker": "Ilse Varga"}]
    assert [v.version for v in reader.event_history("e1")] == [1, 2]
    assert ids(reader.find_events(EventFilter(entity="Tomas Brand"))) == []
    assert ids(reader.find_events(EventFilter(text="signed"))) == ["e1"]
    assert reader.get_event("missing") is None
    reader.close()


def test_change_feed_resumes_after_its_cursor(stored: str) -> None:
    reader = open_reader(stored)
    first = reader.changes_since(None, limit=2)
    rest = reader.changes_since(first[-1][0])
    assert sorted(e.event_id for _, e in first + rest) == ["e1", "e2", "e3"]
    cursor = reader.latest_cursor()
    assert reader.changes_since(cursor) == []
    store = open_store(stored)
    store.write([make("e2", 2, title="Flood closes river port for a week", kind="disaster", places=("Ruse",))])
    store.close()
    assert [(e.event_id, e.version) for _, e in reader.changes_since(cursor)] == [("e2", 2)]
    reader.close()


def test_tombstone_removes_derived_rows(stored: str) -> None:
    store = open_store(stored)
    store.write([], tombstones=["e1"])
    store.close()
    reader = open_reader(stored)
    assert ids(reader.find_events(EventFilter(entity="Tomas Brand"))) == []
    assert reader.event_quotes("e1") == []
    assert ids(reader.find_events(EventFilter(text="corridor"))) == []
    reader.close()


def test_same_canonical_url_under_a_new_id_replaces_the_old_row(url: str) -> None:
    store = open_store(url)
    store.migrate()
    first = make("e1", title="One")
    second = make("e2", title="Two")
    second.articles[0].url = first.articles[0].url  # another id for the same canonical URL
    store.write([first])
    store.write([second])
    store.close()
    reader = open_reader(url)
    assert reader.event_articles("e1") == []
    assert [a["id"] for a in reader.event_articles("e2")] == ["e2-a"]
    reader.close()


def test_sqlite_reader_cannot_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    store = open_store(url)
    store.migrate()
    store.close()
    reader = open_reader(url)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.db.execute("DELETE FROM events")  # type: ignore[attr-defined]
    reader.close()


def test_sqlite_reader_of_a_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="db migrate"):
        open_reader(f"sqlite:///{tmp_path / 'nothing.db'}")
    assert not (tmp_path / "nothing.db").exists()


@pytest.mark.postgres
def test_postgres_reader_session_refuses_writes(postgres_url: str) -> None:
    import psycopg

    store = open_store(postgres_url)
    store.migrate()
    store.close()
    reader = open_reader(postgres_url)
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        reader.db.execute("DELETE FROM events")  # type: ignore[attr-defined]
    reader.close()


def test_upgrading_from_the_first_schema_backfills_entities_and_search(tmp_path: Path) -> None:
    from newsdesk.sink.stores.sqlite import SqliteStore

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(dict(__import__("newsdesk.sink.stores.base", fromlist=["migrations"])
                           .migrations("sqlite"))["0001_events.sql"])
    event = make("old", title="Harbour strike ends", people=("Mara Quist",))
    old.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    old.execute("INSERT INTO schema_migrations VALUES ('0001_events.sql', '2024-01-01')")
    old.execute("INSERT INTO events VALUES ('old', 1, 'other', 'Harbour strike ends', '2024-05-01', NULL, "
                "'2024-05-01', '2024-05-01', ?)", (event.model_dump_json(),))
    old.commit()
    old.close()
    store = SqliteStore(path)
    assert store.migrate() == ["0002_entities_quotes_search.sql", "0003_reader_role.sql"]
    assert ids(store.find_events(EventFilter(entity="mara quist"))) == ["old"]
    assert ids(store.find_events(EventFilter(text="strike"))) == ["old"]
    store.close()


def test_search_terms_are_bounded() -> None:
    assert search_terms("Grain-corridor talks!") == ["grain", "corridor", "talks"]
    assert len(search_terms("word " * 1000)) == 16
    assert search_terms("x" * 500) == ["x" * 64]


def test_two_ids_for_one_url_in_one_event_store_one_row(url: str) -> None:
    store = open_store(url)
    store.migrate()
    event = make("e1", title="Twins", articles=("a", "b"))
    event.articles[1].url = event.articles[0].url
    store.write([event])
    store.close()
    reader = open_reader(url)
    assert [a["id"] for a in reader.event_articles("e1")] == ["e1-b"]
    reader.close()


def test_postgres_bulk_form_keeps_the_shared_conflict_clause() -> None:
    from newsdesk.sink.stores.base import UPSERT_EVENT
    from newsdesk.sink.stores.postgres import bulk

    sql = bulk(UPSERT_EVENT)
    assert "FROM unnest(%(event_id)b::text[]" in sql
    assert "u.doc::jsonb" in sql and "u.version::integer" in sql
    assert sql.rstrip().endswith("WHERE excluded.version > events.version")
    assert ":event_id" not in sql
