"""Storage on hostile events, SQLite and PostgreSQL: any event that is valid on news.events is
either stored and read back as it was, or refused as `RejectedEvent` (a dead letter for the sink),
never a StoreError the sink would retry forever, and never one that takes the batch's good
events down with it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fuzzkit import bounded, event_fields
from hypothesis import example, given
from hypothesis import strategies as st

from newsdesk.records import Event
from newsdesk.sink.stores import open_store
from newsdesk.sink.stores.base import EventStore, RejectedEvents

GOOD = Event.model_validate({"event_id": "good-1", "version": 1, "title": "Harbour reopens",
                             "first_seen": "2024-06-01T07:00:00+00:00", "updated_at": "2024-06-01T07:00:00+00:00"})


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    opened = open_store(store_url)
    opened.migrate()
    try:
        yield opened
    finally:
        opened.close()


@given(st.lists(event_fields, min_size=1, max_size=3))
@example([{"event_id": "nul", "version": 1, "title": "a\x00b", "first_seen": "2024-06-01T07:00:00+00:00",
           "updated_at": "2024-06-01T07:00:00+00:00"}])
@example([{"event_id": "bad-date", "version": 1, "when": "2024-02-30", "first_seen": "2024-06-01T07:00:00+00:00",
           "updated_at": "2024-06-01T07:00:00+00:00"}])
@example([{"event_id": "bad-stamp", "version": 1, "first_seen": "yesterday", "updated_at": "noon"}])
def test_events_are_stored_or_rejected_one_by_one(store: EventStore, items: list[dict]) -> None:
    # Ids of this example only (the store outlives examples), distinct: this is about bad
    # values, not about versions of one event.
    run = uuid.uuid4().hex[:8]
    events = [Event.model_validate({**fields, "event_id": f"{run}-{fields['event_id']}"}) for fields in items]
    events = list({e.event_id: e for e in events}.values())
    with bounded(30, "store.write"):
        try:
            store.write([*events, GOOD])
            rejected: dict[str, str] = {}
        except RejectedEvents as exc:
            rejected = {event.event_id: reason for event, reason in exc.rejected}
            assert all(reason.strip() for reason in rejected.values())
            assert GOOD.event_id not in rejected
    stored = {e.event_id: e for e in store.events()}
    assert GOOD.event_id in stored
    for event in events:
        if event.event_id in rejected:
            continue
        assert stored[event.event_id].model_dump() == event.model_dump()
