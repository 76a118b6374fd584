"""The read API over HTTP: listing, search, details, validation, the stream and the documents."""

from __future__ import annotations

import threading
import time

import httpx
import orjson
import pytest


def get(served, path: str, **params: str) -> httpx.Response:
    return httpx.get(served.base + path, params=params, timeout=10)


def test_list_search_and_details(served, make_event) -> None:
    served.store.write([make_event("e1"), make_event("e2", title="Ferry service resumes", type="business"),
                        make_event("e1", 2, title="Port strike spreads to Gdynia")])
    listing = get(served, "/events").json()
    assert [e["event_id"] for e in listing["events"]] == ["e1", "e2"]
    assert get(served, "/events", type="business").json()["events"][0]["title"] == "Ferry service resumes"
    assert [e["event_id"] for e in get(served, "/events", q="gdynia strike").json()["events"]] == ["e1"]
    assert get(served, "/events", entity="jola wrona", limit="1").json()["next_offset"] == 1
    detail = get(served, "/events/e1").json()
    assert detail["event"]["version"] == 2
    assert [v["version"] for v in detail["versions"]] == [1, 2]
    assert detail["articles"][0]["outlet"] == "Baltic Courier"
    assert detail["quotes"][0]["speaker"] == "Jola Wrona"
    versions = get(served, "/events/e1/versions").json()["versions"]
    assert [v["title"] for v in versions] == ["Port workers strike in Gdansk", "Port strike spreads to Gdynia"]


@pytest.mark.parametrize(("params", "message"), [
    ({"limit": "0"}, "limit must be from 1 to 100"),
    ({"limit": "101"}, "limit must be from 1 to 100"),
    ({"limit": "ten"}, "limit must be a whole number"),
    ({"from": "2024-13-01"}, "from is not a real date"),
    ({"to": "yesterday"}, "to must be a date"),
    ({"from": "2024-06-02", "to": "2024-06-01"}, "from is after to"),
    ({"type": "party"}, "type must be one of"),
    ({"q": "x" * 201}, "q is longer than 200"),
    ({"sort": "title"}, "unknown parameter(s) sort"),
])
def test_bad_parameters_are_clear_400s(served, params: dict[str, str], message: str) -> None:
    response = get(served, "/events", **params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_missing_event_is_404_and_no_cors_by_default(served) -> None:
    response = httpx.get(served.base + "/events/nope", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 404
    assert "access-control-allow-origin" not in response.headers
    assert get(served, "/events/nope/versions").status_code == 404
    assert get(served, "/events/" + "x" * 600).status_code == 400


def test_documents(served) -> None:
    spec = get(served, "/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/events/{event_id}" in spec["paths"]
    assert "Event" in spec["components"]["schemas"]
    assert "#/$defs/" not in orjson.dumps(spec).decode()
    asyncapi = get(served, "/asyncapi.json").json()
    addresses = {c["address"] for c in asyncapi["channels"].values()}
    assert {"news.events", "news.events.meeting", "news.articles.raw"} <= addresses
    assert asyncapi["components"]["messages"]["event"]["payload"]["title"] == "Event"
    assert get(served, "/healthz").json() == {"status": "ok"}
    page = get(served, "/")
    assert "EventSource" in page.text and page.headers["content-type"].startswith("text/html")


def test_stream_sends_updates_that_match(served, make_event) -> None:
    served.store.write([make_event("old")])
    received: list[dict] = []

    def listen() -> None:
        with httpx.stream("GET", served.base + "/events/stream", params={"type": "protest"}, timeout=10) as r:
            assert r.headers["content-type"].startswith("text/event-stream")
            for line in r.iter_lines():
                if line.startswith("data: "):
                    received.append(orjson.loads(line[6:]))
                    if len(received) == 2:
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(0.5)
    served.store.write([make_event("quiet", title="Budget vote", type="election")])  # filtered out
    served.store.write([make_event("new")])
    deadline = time.monotonic() + 10
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    # The stream follows the current row: versions written within one poll would coalesce.
    served.store.write([make_event("new", 2, title="Strike ends")])
    listener.join(timeout=10)
    assert [(e["event_id"], e["version"]) for e in received] == [("new", 1), ("new", 2)]


def test_stream_clients_are_limited(served) -> None:
    with httpx.Client(timeout=10) as client:
        streams = [client.stream("GET", served.base + "/events/stream") for _ in range(2)]
        opened = [s.__enter__() for s in streams]
        try:
            assert all(r.status_code == 200 for r in opened)
            refused = client.get(served.base + "/events/stream")
            assert refused.status_code == 503
            assert "too many stream clients" in refused.json()["error"]
        finally:
            for s in streams:
                s.__exit__(None, None, None)
        # Closed streams give their places back.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with client.stream("GET", served.base + "/events/stream") as again:
                if again.status_code == 200:
                    break
            time.sleep(0.2)
        assert again.status_code == 200


def test_a_reconnecting_stream_resumes_after_its_last_event_id(served, make_event) -> None:
    served.store.write([make_event("a")])
    served.store.write([make_event("b")])
    first = None
    with httpx.stream("GET", served.base + "/events/stream", timeout=10,
                      headers={"Last-Event-ID": "garbage"}) as r:
        # Not a valid id (no event id): starts from now, like a new client.
        assert r.status_code == 200
    rows = served.store.changes_since(None)  # type: ignore[attr-defined]
    first = f"{rows[0][0][0]} {rows[0][0][1]}"
    got: list[tuple[str, str]] = []
    with httpx.stream("GET", served.base + "/events/stream", timeout=10, headers={"Last-Event-ID": first}) as r:
        lines = r.iter_lines()
        current_id = ""
        for line in lines:
            if line.startswith("id: "):
                current_id = line[4:]
            if line.startswith("data: "):
                got.append((current_id, orjson.loads(line[6:])["event_id"]))
                break
    assert got[0][1] == "b"  # "a" was already delivered before the reconnect
    assert got[0][0].endswith(" b")
