"""Running the real services as processes under faults: a steady article stream, a TCP proxy
that can cut PostgreSQL off, and the checks every fault test ends with.

Every check here is about storage, the only thing a user keeps: each article in exactly one
stored event (nothing lost, nothing stored twice) and the processes still running on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterable

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from servicekit import IN_CI, ServiceSet, free_port, unavailable

from newsdesk.records import Event, RawArticle
from newsdesk.sink.stores import stored_events

__all__ = ["IN_CI", "ServiceSet", "free_port", "unavailable"]  # re-exported for the fault tests

TOWNS = ["Aberdeen", "Bergen", "Cork", "Dundee", "Esbjerg", "Faro", "Gdansk", "Haarlem", "Izmir", "Kiel",
         "Lund", "Malmo", "Nantes", "Oulu", "Porto", "Riga", "Split", "Tartu", "Umea", "Vigo"]
THINGS = ["library", "bridge", "school", "harbour", "museum", "clinic", "stadium", "tram line", "park", "theatre"]


def articles(n: int, start: int = 0, tag: str = "story") -> list[RawArticle]:
    """Short reports of different openings in different towns on different days."""
    out = []
    for i in range(start, start + n):
        town, thing = TOWNS[i % len(TOWNS)], THINGS[(i // len(TOWNS)) % len(THINGS)]
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        out.append(RawArticle(
            id=f"{tag}-{i}", url=f"https://example.org/{tag}/{i}", source=f"outlet-{i % 4}",
            title=f"{town} opens new {thing} number {i}", published_at=day,
            body=f"{town} opens new {thing} number {i}\n\nThe town of {town} opened its new {thing}, number {i}, "
                 f"on {day}, {i * 7 % 300} days after the council vote led by Councillor Member{i}.\n"
                 f'"It is a good day for {town}," said Mayor Person{i} at the opening.\n',
        ))
    return out


def encoded(items: Iterable[RawArticle]) -> list[tuple[bytes, bytes]]:
    return [(a.id.encode(), orjson.dumps(a.model_dump(mode="json"))) for a in items]


# --- storage checks ------------------------------------------------------------------------


def article_counts(events: list[Event]) -> Counter[str]:
    return Counter(a.id for e in events for a in e.articles)


def stored_article_ids(database_url: str) -> set[str]:
    return set(article_counts(stored_events(database_url)))


def assert_exactly_once(database_url: str, expected: set[str]) -> None:
    """Every expected article in exactly one stored event; no event stored twice."""
    events = stored_events(database_url)
    counts = article_counts(events)
    missing = expected - set(counts)
    assert not missing, f"{len(missing)} article(s) lost, e.g. {sorted(missing)[:5]}"
    extra = set(counts) - expected
    assert not extra, f"articles nobody sent were stored: {sorted(extra)[:5]}"
    twice = {a: n for a, n in counts.items() if n > 1}
    assert not twice, f"{len(twice)} article(s) in more than one stored event, e.g. {list(twice.items())[:5]}"
    ids = [e.event_id for e in events]
    assert len(ids) == len(set(ids)), "an event id stored twice"


def group_members(bootstrap: str, group: str) -> int:
    """Members of a stable consumer group (0 while it rebalances or is empty)."""

    async def go() -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
        await admin.start()
        try:
            [response] = await admin.describe_consumer_groups([group])
        finally:
            await admin.close()
        # DescribeGroups v0+: (error_code, group_id, state, protocol_type, protocol, members, ...)
        state, members = response.groups[0][2], response.groups[0][5]
        return len(members) if state == "Stable" else 0

    try:
        return asyncio.run(go())
    except Exception:  # the coordinator moving or not ready yet: ask again later
        return 0


class SteadyProducer:
    """Publishes articles at a steady rate from a thread, as a fetcher would, and keeps trying
    through broker outages (a record sent twice is fine: the pipeline is idempotent)."""

    def __init__(self, bootstrap: str, topic: str, records: list[tuple[bytes, bytes]], per_second: float) -> None:
        self.bootstrap, self.topic, self.records, self.per_second = bootstrap, topic, records, per_second
        self.sent = 0
        self.retries = 0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="steady-producer", daemon=True)

    def start(self) -> SteadyProducer:
        self.thread.start()
        return self

    def done(self) -> bool:
        return self.sent == len(self.records)

    def join(self, timeout: float) -> None:
        self.thread.join(timeout)
        if self.error is not None:
            raise AssertionError(f"the producer failed: {self.error!r}")
        assert self.done(), f"only {self.sent} of {len(self.records)} articles published in time"

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=60)

    def _run(self) -> None:
        try:
            asyncio.run(self._produce())
        except BaseException as exc:  # reported by join()
            self.error = exc

    async def _produce(self) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all", request_timeout_ms=5000,
                                    retry_backoff_ms=200)
        await self._started(producer)
        began = time.monotonic()
        try:
            for i, (key, value) in enumerate(self.records):
                await asyncio.sleep(max(0.0, began + i / self.per_second - time.monotonic()))
                while not self._stop.is_set():
                    try:
                        await producer.send_and_wait(self.topic, key=key, value=value)
                        break
                    except Exception:  # broker away: wait and send it again
                        self.retries += 1
                        await asyncio.sleep(0.5)
                if self._stop.is_set():
                    return
                self.sent += 1
        finally:
            with contextlib.suppress(Exception):
                await producer.stop()

    async def _started(self, producer: AIOKafkaProducer) -> None:
        while True:
            try:
                await producer.start()
                return
            except Exception:
                if self._stop.is_set():
                    raise
                await asyncio.sleep(0.5)


# --- a TCP proxy that can cut a server off ---------------------------------------------------


class CuttableProxy:
    """127.0.0.1:port -> target, in a thread. `cut()` closes every open connection and refuses
    new ones (the server is gone, as when it restarts or its host drops); `restore()` lets
    connections through again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.AbstractServer | None = None
        self.port = 0
        self.connections: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, name="pg-proxy", daemon=True)

    def __enter__(self) -> CuttableProxy:
        self.thread.start()
        self._call(self._listen())
        return self

    def __exit__(self, *exc: object) -> None:
        self._call(self._close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    def cut(self) -> None:
        self._call(self._close())

    def restore(self) -> None:
        self._call(self._listen())

    def _call(self, coro) -> None:
        asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    async def _listen(self) -> None:
        # The same port every time: the client's URL does not change across the outage.
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.close()  # no new connections from here on
        for writer in list(self.connections):
            writer.transport.abort()  # RST: the client learns at once, like a crashed server
        self.connections.clear()
        if server is not None:
            await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.connections.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.connections.difference_update((writer, up_writer))
