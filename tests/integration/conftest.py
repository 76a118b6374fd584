"""Running the real services as processes, as a user would, for the integration tests."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from newsdesk.records import Event
from newsdesk.sink.stores import stored_events


@dataclass
class Pipeline:
    """Services of one pipeline namespace (topic prefix) on the test broker."""

    bootstrap: str
    prefix: str
    home: Path
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            KAFKA_BOOTSTRAP_SERVERS=self.bootstrap,
            NEWSDESK_TOPIC_PREFIX=self.prefix,
            NEWSDESK_HOME=str(self.home),
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the process owns it
        proc = subprocess.Popen([sys.executable, "-m", "newsdesk.cli", *args], env=self.env(**env),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = proc
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.processes.pop(name)
        proc.send_signal(sig)
        proc.wait(timeout=60)

    def stop_all(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.processes.clear()

    def events(self, database_url: str) -> list[Event]:
        return stored_events(database_url)

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    pytest.fail(f"{name} exited with {proc.returncode} while waiting for {what}\n{self.log_tail()}")
            time.sleep(0.5)
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{self.log_tail()}")

    def topic(self, base: str) -> str:
        return self.prefix + base

    def log_tail(self, chars: int = 3000) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}" for p in self.logs.glob("*.log"))

    # -- talking to the broker ----------------------------------------------------------

    def produce(self, topic: str, records: list[tuple[bytes | None, bytes | None]]) -> None:
        async def go() -> None:
            producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, max_request_size=32 * 1024 * 1024)
            await producer.start()
            try:
                for key, value in records:
                    await producer.send(self.topic(topic), key=key, value=value)
                await producer.flush()
            finally:
                await producer.stop()

        asyncio.run(go())

    def consume_all(self, topic: str, expect: int, timeout: float = 60.0) -> list[dict]:
        async def go() -> list[dict]:
            consumer = AIOKafkaConsumer(self.topic(topic), bootstrap_servers=self.bootstrap,
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


@pytest.fixture
def pipeline(kafka_bootstrap: str, topic_prefix: str, tmp_path: Path) -> Iterator[Pipeline]:
    logs = tmp_path / "logs"
    logs.mkdir()
    p = Pipeline(bootstrap=kafka_bootstrap, prefix=topic_prefix, home=tmp_path / "home", logs=logs)
    try:
        yield p
    finally:
        p.stop_all()
