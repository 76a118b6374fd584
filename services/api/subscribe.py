"""Subscribing to events as they happen, from Python: an async iterator over news.events.

Consumer-group semantics are Kafka's: every group gets every event; instances sharing a
group split the topic's partitions, so each event reaches one of them (and an event id
always lands on the same partition, so one instance sees all versions of an event). With
no group, a subscriber is on its own and commits nothing: it sees everything from where
it starts. `from_beginning` replays the compacted topic: the latest version of every event.

    async for event in subscribe("127.0.0.1:9092", Interest(type="meeting")):
        print(event.title)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer

from newsdesk import topics
from newsdesk.api.matching import Interest
from newsdesk.records import Event
from newsdesk.serde import BadRecord, loads

log = logging.getLogger(__name__)


async def subscribe(bootstrap: str, interest: Interest | None = None, *, group: str | None = None,
                    from_beginning: bool = False, topic: str | None = None) -> AsyncIterator[Event]:
    """Yield each created or updated event that matches `interest`, as it arrives.

    In a group, offsets are committed automatically after events are handed out (at-least-once
    for the group: an instance that crashes may see a few events again after restarting).
    `topic` overrides the source, e.g. a per-type topic from the router.
    """
    interest = interest or Interest()
    # A --since in the past only makes sense with history, which the compacted topic holds.
    rewind = from_beginning or bool(interest.since)
    topic = topic or topics.EVENTS.name
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=topics.group(group) if group else None,
        enable_auto_commit=group is not None,
        auto_offset_reset="earliest" if rewind else "latest",
        max_partition_fetch_bytes=32 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    try:
        async for msg in consumer:
            if msg.value is None:
                continue  # a tombstone: the event was merged into another one
            try:
                event = loads(msg.value, Event)
            except BadRecord as exc:
                log.warning("skipped a bad event", extra={"error": str(exc)[:200], "offset": msg.offset})
                continue
            if interest.matches(event):
                yield event
    finally:
        await consumer.stop()
