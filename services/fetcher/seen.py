"""The seen-set: which articles were already published, and with what content.

Keyed by canonical URL (or `file:<name>` for dropped files); the value records the content
hash of what was published and a fingerprint of the feed item that led to it, so an unchanged
item costs no page fetch and a changed page is published again as an update.

`KafkaSeenSet` keeps it in the compacted topic `news.fetcher.seen`: every replica reads the
topic from the start when it begins, then keeps consuming, so it survives restarts and is
shared by replicas. Two replicas that fetch the same new URL within the same moment may
both publish it; the deduper downstream absorbs that rare double.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Protocol

import orjson


@dataclass(frozen=True)
class SeenEntry:
    content_hash: str
    item_hash: str | None = None

    def encode(self) -> bytes:
        return orjson.dumps({"c": self.content_hash, "i": self.item_hash})

    @classmethod
    def decode(cls, data: bytes) -> SeenEntry | None:
        try:
            obj = orjson.loads(data)
            return cls(str(obj["c"]), obj.get("i"))
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return None


class SeenSet(Protocol):
    async def get(self, key: str) -> SeenEntry | None: ...

    async def put(self, key: str, entry: SeenEntry) -> None: ...


class MemorySeenSet:
    """Process memory only: for tests and dry runs (a restart forgets everything)."""

    def __init__(self) -> None:
        self.entries: dict[str, SeenEntry] = {}

    async def get(self, key: str) -> SeenEntry | None:
        return self.entries.get(key)

    async def put(self, key: str, entry: SeenEntry) -> None:
        self.entries[key] = entry


class KafkaSeenSet:
    """Seen-set in a compacted Kafka topic; use as `async with KafkaSeenSet(...) as seen:`."""

    def __init__(self, bootstrap_servers: str, topic: str | None = None,
                 client_id: str = "newsdesk-fetcher") -> None:
        from newsdesk import topics

        self.bootstrap_servers = bootstrap_servers
        self.topic = topic or topics.SEEN.name
        self.client_id = client_id
        self.entries: dict[str, SeenEntry] = {}
        self._producer = None
        self._consumer = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> KafkaSeenSet:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

        partitions = await self._ensure_topic()
        self._producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap_servers, acks="all",
                                          client_id=self.client_id, enable_idempotence=True)
        await self._producer.start()
        # no group: every replica reads every partition, from the beginning
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False,
                                    auto_offset_reset="earliest", client_id=self.client_id)
        await consumer.start()
        self._consumer = consumer
        tps = [TopicPartition(self.topic, p) for p in partitions]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        # catch up before answering anything, or a restart would re-publish
        while await self._behind(end):
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batch.values():
                for rec in records:
                    self._apply(rec.key, rec.value)
        self._task = asyncio.create_task(self._follow())

    async def _behind(self, end: dict[object, int]) -> bool:
        assert self._consumer is not None
        for tp, offset in end.items():
            if await self._consumer.position(tp) < offset:
                return True
        return False

    async def _ensure_topic(self) -> list[int]:
        """Creates the topic when missing; returns its partition numbers."""
        from aiokafka.admin import AIOKafkaAdminClient, NewTopic
        from aiokafka.errors import TopicAlreadyExistsError

        from newsdesk.topics import SEEN

        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, client_id=self.client_id)
        await admin.start()
        try:
            if self.topic not in await admin.list_topics():
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics([NewTopic(self.topic, SEEN.partitions, 1, topic_configs=SEEN.config)])
            for _ in range(60):  # a topic just created takes a moment to have its partitions
                described = await admin.describe_topics([self.topic])
                parts = sorted(p["partition"] for d in described if d.get("error_code") == 0
                               for p in d.get("partitions", []))
                if parts:
                    return parts
                await asyncio.sleep(0.5)
        finally:
            await admin.close()
        raise RuntimeError(f"topic {self.topic} has no partitions")

    def _apply(self, key: bytes | None, value: bytes | None) -> None:
        if key is None:
            return
        k = key.decode("utf-8", "replace")
        if value is None:  # tombstone
            self.entries.pop(k, None)
            return
        entry = SeenEntry.decode(value)
        if entry is not None:
            self.entries[k] = entry

    async def _follow(self) -> None:
        assert self._consumer is not None
        while True:
            batch = await self._consumer.getmany(timeout_ms=1000, max_records=5000)
            for records in batch.values():
                for rec in records:
                    self._apply(rec.key, rec.value)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
        self._task = None

    async def get(self, key: str) -> SeenEntry | None:
        return self.entries.get(key)

    async def put(self, key: str, entry: SeenEntry) -> None:
        assert self._producer is not None, "KafkaSeenSet used before start()"
        await self._producer.send_and_wait(self.topic, entry.encode(), key=key.encode("utf-8"))
        self.entries[key] = entry
