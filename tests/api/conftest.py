"""An API over a temporary SQLite store, served for real by uvicorn on a free loopback port."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from servicekit import free_port

from newsdesk.api.app import ApiConfig, create_app
from newsdesk.records import Event, EventArticle, EventPerson, EventPlace, EventQuote, EventSource
from newsdesk.sink.stores import open_reader, open_store
from newsdesk.sink.stores.base import EventStore


def sample(event_id: str, version: int = 1, title: str = "Port workers strike in Gdansk", **extra: object) -> Event:
    fields: dict[str, object] = dict(
        event_id=event_id, version=version, title=title, type="protest", when="2024-06-03",
        who=[EventPerson(name="Jola Wrona", role="union leader")],
        where=[EventPlace(name="Gdansk", country="Poland")],
        quotes=[EventQuote(text="We will stay out until the talks resume.", speaker="Jola Wrona")],
        sources=[EventSource(name="Baltic Courier", articles=[f"{event_id}-a"])],
        articles=[EventArticle(id=f"{event_id}-a", url=f"https://courier.example/{event_id}", source="Baltic Courier",
                               title=title, published_at="2024-06-03T07:00:00Z")],
        first_seen="2024-06-03T07:05:00+00:00", updated_at=f"2024-06-03T07:{5 + version:02d}:00+00:00",
    )
    fields.update(extra)
    return Event.model_validate(fields)


@dataclass
class Served:
    base: str
    store: EventStore


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    store = open_store(url)
    store.migrate()
    store.close()
    return url


@pytest.fixture
def served(db_url: str) -> Iterator[Served]:
    reader = open_reader(db_url)
    app = create_app(reader, ApiConfig(poll_interval_s=0.1, max_sse_clients=2))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    store = open_store(db_url)
    try:
        yield Served(f"http://127.0.0.1:{port}", store)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
        reader.close()


@pytest.fixture
def make_event() -> Callable[..., Event]:
    """The helper above, for tests (conftest is not importable under importlib mode)."""
    return sample
