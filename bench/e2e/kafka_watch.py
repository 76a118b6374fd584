"""What the benchmark asks the broker: are the consumer groups up, how far behind are they, and
when was each raw article published."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError


class Watch:
    """One admin client and one group-less consumer, kept open for the whole run."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self.partitions: dict[str, list[TopicPartition]] = {}

    async def __aenter__(self) -> Watch:
        await self.admin.start()
        await self.consumer.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.consumer.stop()
        await self.admin.close()

    async def group_members(self, group: str) -> tuple[str, int]:
        """(state, member count) of a consumer group; ('Dead', 0) before it exists."""
        for response in await self.admin.describe_consumer_groups([group]):
            for described in response.groups:
                if described[1] == group:
                    return str(described[2]), len(described[5])
        return "Dead", 0

    async def wait_stable(self, groups: dict[str, int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                states = {g: await self.group_members(g) for g in groups}
            except KafkaError as exc:  # the coordinator is still being elected on a fresh broker
                states = {g: (type(exc).__name__, 0) for g in groups}
            if all(state == "Stable" and members >= groups[g] for g, (state, members) in states.items()):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"consumer groups not ready after {timeout:.0f}s: {states}")
            await asyncio.sleep(0.5)

    async def _partitions(self, topic: str) -> list[TopicPartition]:
        if topic not in self.partitions:
            described = await self.admin.describe_topics([topic])
            numbers = sorted(p["partition"] for d in described if d["error_code"] == 0 for p in d["partitions"])
            if not numbers:
                return []  # not created yet: asked again next time
            self.partitions[topic] = [TopicPartition(topic, p) for p in numbers]
        return self.partitions[topic]

    async def partitions_of(self, topic: str) -> list[TopicPartition]:
        return await self._partitions(topic)

    async def end_offsets(self, topic: str) -> dict[TopicPartition, int]:
        partitions = await self._partitions(topic)
        return await self.consumer.end_offsets(partitions) if partitions else {}

    async def lag(self, group: str, topic: str) -> int | None:
        """Records on `topic` the group has not committed yet (None until the topic exists)."""
        ends = await self.end_offsets(topic)
        if not ends:
            return None
        committed = await self.admin.list_consumer_group_offsets(group, partitions=list(ends))
        return sum(max(0, end - (committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0))
                   for tp, end in ends.items())

    async def count(self, topic: str) -> int:
        return sum((await self.end_offsets(topic)).values())


def article_record(value: dict) -> list[str]:
    """The article an article record (raw, clean, extracted) is."""
    return [value["id"]]


def event_articles(value: dict) -> list[str]:
    """The articles an event version holds."""
    return [a["id"] for a in value.get("articles", [])]


async def publications(bootstrap: str, partitions: list[TopicPartition], timeout: float = 120.0,
                       ids: Callable[[dict], list[str]] = article_record) -> list[tuple[str, float]]:
    """(article id, broker timestamp in seconds) for every record on the partitions (an article
    record by default; `ids` says which articles a record carries), oldest first."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                auto_offset_reset="earliest", max_partition_fetch_bytes=32 * 1024 * 1024,
                                fetch_max_bytes=64 * 1024 * 1024)
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        found: list[tuple[str, float]] = []
        deadline = time.monotonic() + timeout
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading {partitions[0].topic} took too long")
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            for messages in batch.values():
                for message in messages:
                    if message.value:
                        at = message.timestamp / 1000
                        found.extend((article_id, at) for article_id in ids(orjson.loads(message.value)))
        return sorted(found, key=lambda item: item[1])
    finally:
        await consumer.stop()
