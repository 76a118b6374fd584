"""Running the real services as processes under faults: a steady article stream, a TCP proxy
that can cut PostgreSQL off, and the checks every fault test ends with.

Every check here is about storage, the only thing a user keeps: each article in exactly one
stored event (nothing lost, nothing stored twice) and the processes still running on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from newsdesk.records import Event, RawArticle
from newsdesk.sink.stores import stored_events

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(what: str) -> None:
    """Skip, except in CI, where a fault test that cannot run is a failure."""
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true", pytrace=False)
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


# --- processes -------------------------------------------------------------------------------


@dataclass
class Stack:
    """The services of one pipeline namespace (topic prefix) on one broker, as subprocesses."""

    bootstrap: str
    prefix: str
    home: Path
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(KAFKA_BOOTSTRAP_SERVERS=self.bootstrap, NEWSDESK_TOPIC_PREFIX=self.prefix,
                   NEWSDESK_HOME=str(self.home), PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def create_topics(self) -> None:
        """Before anything produces: auto-created topics would get the broker's defaults."""
        subprocess.run([sys.executable, "-m", "newsdesk.cli", "topics"], env=self.env(), check=True,
                       capture_output=True, timeout=120)

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the process owns it
        proc = subprocess.Popen([sys.executable, "-m", "newsdesk.cli", *args], env=self.env(**env),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = proc
        return proc

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        proc = self.processes.pop(name)
        proc.send_signal(sig)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
            pytest.fail(f"{name} did not stop within {timeout:.0f}s of signal {sig}\n{self.log_tail(name)}")

    def stop_all(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self.processes.clear()

    def assert_running(self) -> None:
        dead = {n: p.returncode for n, p in self.processes.items() if p.poll() is not None}
        assert not dead, f"processes exited: {dead}\n{self.log_tail()}"

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> float:
        """Seconds it took; fails with the logs when it does not happen or a process dies."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if condition():
                return time.monotonic() - began
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    pytest.fail(f"{name} exited with {proc.returncode} while waiting for {what}\n{self.log_tail()}")
            time.sleep(0.5)
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{self.log_tail()}")

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_tail(self, name: str | None = None, chars: int = 2500) -> str:
        paths = [self.logs / f"{name}.log"] if name else sorted(self.logs.glob("*.log"))
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}" for p in paths if p.exists())

    def topic(self, base: str) -> str:
        return self.prefix + base

    def produce(self, base_topic: str, records: list[tuple[bytes | None, bytes | None]]) -> None:
        async def go() -> None:
            producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, max_request_size=32 * 1024 * 1024)
            await producer.start()
            try:
                for key, value in records:
                    await producer.send(self.topic(base_topic), key=key, value=value)
                await producer.flush()
            finally:
                await producer.stop()

        asyncio.run(go())

    def consume_all(self, base_topic: str, expect: int, timeout: float = 60.0) -> list[dict]:
        async def go() -> list[dict]:
            consumer = AIOKafkaConsumer(self.topic(base_topic), bootstrap_servers=self.bootstrap,
                                        auto_offset_reset="earliest", enable_auto_commit=False)
            await consumer.start()
            got: list[dict] = []
            deadline = time.monotonic() + timeout
            try:
                while len(got) < expect and time.monotonic() < deadline:
                    batch = await consumer.getmany(timeout_ms=500)
                    got += [orjson.loads(m.value) for part in batch.values() for m in part if m.value]
            finally:
                await consumer.stop()
            return got

        return asyncio.run(go())


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
