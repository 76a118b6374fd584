"""The sink: merged events from `news.events` into storage, committed only after the write.

Offsets are committed after the database transaction commits (at-least-once); the store's
version-guarded upserts make replays harmless, so the result is effectively-once. When the
database is unreachable (or full) the sink keeps the batch, retries with backoff and does not
move on; an event the database refuses for its content (a value it cannot store) goes to the
dead letters with the database's reason, and the rest of the batch is stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener

from newsdesk import topics
from newsdesk.broker.client import started_producer
from newsdesk.deadletter import dead_letter
from newsdesk.records import Event
from newsdesk.serde import BadRecord, dumps, loads
from newsdesk.sink.stores import EventStore, StoreError
from newsdesk.sink.stores.base import RejectedEvents

log = logging.getLogger(__name__)


@dataclass
class Batch:
    events: list[Event] = field(default_factory=list)
    tombstones: list[str] = field(default_factory=list)
    dead: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    #: The message each event came in (by id() of the event), for dead letters after the write.
    origins: dict[int, Any] = field(default_factory=dict)

    def reject(self, msg: Any, kind: str, error: str) -> None:
        letter = dead_letter("sink", kind, error, msg.value or b"", topic=msg.topic,
                             partition=msg.partition, offset=msg.offset, key=msg.key)
        self.dead.append((msg.key, dumps(letter)))


def decode_batch(messages: list) -> Batch:
    batch = Batch()
    for msg in messages:
        if msg.value is None:
            if msg.key:
                batch.tombstones.append(msg.key.decode("utf-8", "replace"))
            continue
        try:
            event = loads(msg.value, Event)
        except BadRecord as exc:
            batch.reject(msg, exc.kind, str(exc))
            continue
        batch.events.append(event)
        batch.origins[id(event)] = msg
    return batch


class FromBeginning(ConsumerRebalanceListener):
    """Rewinds every assigned partition once: rebuilds storage from the compacted topic."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer, self.done = consumer, False

    async def on_partitions_revoked(self, revoked) -> None:
        pass

    async def on_partitions_assigned(self, assigned) -> None:
        if not self.done and assigned:
            await self.consumer.seek_to_beginning(*assigned)
            self.done = True


async def write_with_retry(store: EventStore, batch: Batch, stop: asyncio.Event) -> bool:
    """True once the batch is written; events the database refuses for their content become
    dead letters (retrying them would stop the sink for good). False if told to stop first."""
    delay = 0.5
    while not stop.is_set():
        try:
            await asyncio.to_thread(store.write, batch.events, batch.tombstones)
            return True
        except RejectedEvents as exc:
            for event, reason in exc.rejected:
                log.error("event refused by the database; dead-lettered",
                          extra={"event_id": event.event_id[:200], "version": event.version, "error": reason[:500]})
                batch.reject(batch.origins[id(event)], "rejected_by_store", reason)
            for event_id, reason in exc.tombstones:
                # An id the database cannot hold was never stored: there is nothing to delete.
                log.warning("deletion refused by the database; skipped",
                            extra={"event_id": event_id[:200], "error": reason[:500]})
            return True
        except StoreError as exc:
            log.error("storage write failed; retrying", extra={"error": str(exc)[:500], "retry_in_s": delay})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            delay = min(delay * 2, 15.0)
    return False


async def run_sink(bootstrap: str, store: EventStore, *, from_beginning: bool = False,
                   stop: asyncio.Event | None = None, max_records: int = 500,
                   group_id: str = "newsdesk-sink") -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await asyncio.to_thread(store.migrate)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=topics.group(group_id),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=32 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    consumer.subscribe([topics.EVENTS.name], listener=FromBeginning(consumer) if from_beginning else None)
    await consumer.start()
    try:
        async with started_producer(bootstrap) as producer:
            log.info("sink started", extra={"topic": topics.EVENTS.name})
            while not stop.is_set():
                polled = await consumer.getmany(timeout_ms=500, max_records=max_records)
                messages = [m for part in polled.values() for m in part]
                if not messages:
                    continue
                batch = decode_batch(messages)
                if not await write_with_retry(store, batch, stop):
                    break  # stopping with the batch unwritten: its offsets stay uncommitted
                for key, value in batch.dead:
                    await producer.send_and_wait(topics.DEADLETTER.name, value=value, key=key)
                await consumer.commit()
                log.info("events stored", extra={"events": len(batch.events), "tombstones": len(batch.tombstones),
                                                 "dead": len(batch.dead)})
    finally:
        await consumer.stop()
        store.close()
