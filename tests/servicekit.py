"""What the tests that run real services share: the CI rule for missing services, free ports,
and the services of one pipeline namespace run as processes, as a user runs them.

A plain module rather than a conftest: under importlib mode a conftest cannot be imported, and
the root conftest puts this folder on sys.path.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from newsdesk.records import Event
from newsdesk.sink.stores import stored_events

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(what: str) -> None:
    """Skip, except in CI, where a test that cannot run is a failure."""
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true", pytrace=False)
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServiceSet:
    """The services of one pipeline namespace (topic prefix) on one broker, as subprocesses."""

    bootstrap: str
    prefix: str
    home: Path
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @classmethod
    @contextmanager
    def running(cls, bootstrap: str, prefix: str, tmp_path: Path) -> Iterator[ServiceSet]:
        """A set whose homes and logs live under tmp_path; every process is stopped at the end."""
        logs = tmp_path / "logs"
        logs.mkdir()
        services = cls(bootstrap=bootstrap, prefix=prefix, home=tmp_path / "home", logs=logs)
        try:
            yield services
        finally:
            services.stop_all()

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

    def kill(self, name: str) -> None:
        """SIGKILL: no clean shutdown, no last commit."""
        self.stop(name, signal.SIGKILL)

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

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str,
                 explain: Callable[[], str] | None = None) -> float:
        """Seconds it took; fails with the logs when it does not happen or a process dies.

        `explain` says, on a timeout, how far from the condition things were left.
        """
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if condition():
                return time.monotonic() - began
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    pytest.fail(f"{name} exited with {proc.returncode} while waiting for {what}\n{self.log_tail()}")
            time.sleep(0.5)
        why = f" ({explain()})" if explain is not None else ""
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}{why}\n{self.log_tail()}")

    def events(self, database_url: str) -> list[Event]:
        return stored_events(database_url)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_tail(self, name: str | None = None, chars: int = 3000) -> str:
        paths = [self.logs / f"{name}.log"] if name else sorted(self.logs.glob("*.log"))
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}" for p in paths if p.exists())

    def topic(self, base: str) -> str:
        return self.prefix + base

    # -- talking to the broker ----------------------------------------------------------

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

    def records(self, base_topic: str, timeout: float = 15.0) -> list[tuple[bytes | None, bytes | None]]:
        """Every record on the topic now, tombstones included, in offset order per partition."""
        async def go() -> list[tuple[bytes | None, bytes | None]]:
            consumer = AIOKafkaConsumer(self.topic(base_topic), bootstrap_servers=self.bootstrap,
                                        auto_offset_reset="earliest", enable_auto_commit=False)
            await consumer.start()
            got: list[tuple[bytes | None, bytes | None]] = []
            deadline = time.monotonic() + timeout
            try:
                while not consumer.assignment() and time.monotonic() < deadline:
                    batch = await consumer.getmany(timeout_ms=200)
                    got += [(m.key, m.value) for part in batch.values() for m in part]
                parts = list(consumer.assignment())
                ends = await consumer.end_offsets(parts) if parts else {}
                while time.monotonic() < deadline and any([await consumer.position(p) < ends[p] for p in parts]):
                    batch = await consumer.getmany(timeout_ms=200)
                    got += [(m.key, m.value) for part in batch.values() for m in part]
            finally:
                await consumer.stop()
            return got

        return asyncio.run(go())

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
