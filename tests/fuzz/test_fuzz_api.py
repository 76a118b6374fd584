"""The read API on hostile parameters, over SQLite and PostgreSQL: every request gets an answer
in bounded time, 200/404 or a 400 that names the parameter; never a 5xx for bad input (a 503
means the database is down, and here it is not)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fuzzkit import bounded, nasty_text, printable_ascii
from hypothesis import example, given
from hypothesis import strategies as st

with warnings.catch_warnings():  # starlette nags about httpx's successor; httpx is what we have
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from newsdesk.api.app import ApiConfig, create_app, resume_cursor
from newsdesk.api.filters import KNOWN
from newsdesk.records import Event
from newsdesk.sink.stores import open_reader, open_store
from newsdesk.sink.stores.reading import EventReader

EVENTS = [
    Event.model_validate({
        "event_id": f"ev-{i}", "version": 1, "title": f"Port workers strike in Gdansk, day {i}", "type": "protest",
        "when": f"2024-06-0{i}", "who": [{"name": "Jola Wrona", "role": "union leader"}],
        "where": [{"name": "Gdansk", "country": "Poland"}],
        "quotes": [{"text": "We stay out.", "speaker": "Jola Wrona"}],
        "articles": [{"id": f"a-{i}", "url": f"https://courier.example/{i}", "title": "Strike"}],
        "first_seen": f"2024-06-0{i}T07:00:00+00:00", "updated_at": f"2024-06-0{i}T08:00:00+00:00",
    })
    for i in range(1, 4)
]


@pytest.fixture
def reader(store_url: str) -> Iterator[EventReader]:
    store = open_store(store_url)
    store.migrate()
    store.write(EVENTS)
    store.close()
    opened = open_reader(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client(reader: EventReader) -> Iterator[TestClient]:
    # No stream slots: a valid stream request answers 503 at once instead of streaming forever.
    with TestClient(create_app(reader, ApiConfig(max_sse_clients=0)), raise_server_exceptions=True) as c:
        yield c


values = st.one_of(
    nasty_text,
    printable_ascii,
    st.sampled_from(["2024-06-01", "2024-02-30", "0000-01-01", "9999-12-31", "20", "-1", "0", "100", "101", "1e3",
                     "٣", "１０", "²", "99999999", "meeting", "protest", "Gdansk", "jola wrona", '"', "*", "NEAR",
                     "a:b"]),
    st.integers(min_value=-10, max_value=10**9).map(str),
)
params = st.lists(st.tuples(st.one_of(st.sampled_from(sorted(KNOWN)), printable_ascii), values), max_size=5)


def get(client: TestClient, path: str, **kwargs: object):
    with bounded(20, f"GET {path[:80]}"):
        return client.get(path, **kwargs)


def clear_error(response, *statuses: int) -> dict:
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    body = response.json()
    if response.status_code >= 400:
        assert body["status"] == response.status_code and body["error"].strip()
    return body


@given(params)
@example([("entity", "Jola\x00Wrona")])
@example([("q", "strike\x00")])
@example([("place", "\x00")])
def test_event_list_answers_200_or_a_clear_400(client: TestClient, query: list[tuple[str, str]]) -> None:
    response = get(client, "/events", params=query)
    body = clear_error(response, 200, 400)
    if response.status_code == 200:
        assert len(body["events"]) <= body["limit"]


@given(st.one_of(nasty_text, printable_ascii, st.just("ev-1"), st.text(min_size=500, max_size=600)))
@example("ev-1\x00")
@example("..%2F..%2Fetc")
def test_event_lookups_answer_200_404_or_400(client: TestClient, event_id: str) -> None:
    path = quote(event_id, safe="")
    clear_error(get(client, f"/events/{path}"), 200, 400, 404)
    clear_error(get(client, f"/events/{path}/versions"), 200, 400, 404)


@given(params)
def test_stream_parameters_are_checked_before_anything_streams(client: TestClient,
                                                               query: list[tuple[str, str]]) -> None:
    response = get(client, "/events/stream", params=query)
    body = clear_error(response, 400, 503)
    if response.status_code == 503:
        assert "too many stream clients" in body["error"]


@given(st.one_of(nasty_text, printable_ascii, st.sampled_from(
    ["2024-06-01T08:00:00+00:00 ev-1", "2024 x", "2024-13-45T99:99:99 ev-1", "2024-06-01T08:00:00+00:00 \x00",
     "20240601 ev", "9999-12-31T23:59:59.999999+00:00 zz"])))
@example("2024garbage ev-1")
@example("2024-W01-1 ev-1")
@example("20240601T0800 ev-1")
def test_a_resumed_stream_reads_from_any_last_event_id(reader: EventReader, header: str) -> None:
    """An EventSource sends back whatever id it got; a bad one must not break its stream."""
    cursor = resume_cursor(header)
    with bounded(20, "changes_since"):
        changes = reader.changes_since(cursor)
    assert all(isinstance(event, Event) for _, event in changes)
