"""The deduper agent: articles from the dedup queue merged into events.

Write-ahead rule: an event version leaves for news.events only after the table changelog that
holds it is on the broker. A worker killed at any point then restarts from state at least as
new as anything a subscriber saw, so the versions it emits for replayed articles are higher
than the stored ones and the sink's "newer version wins" rule never discards them. Without the
rule, a kill between publishing an event and its changelog write left the restarted worker
re-emitting an already-used version with different content, which the sink rightly ignored.

`apply_batch` takes several queued articles so that a caller able to batch pays for the changelog
ack once per batch and publishes only the latest version of an event changed several times in
it; the agent feeds it one article at a time (see there why).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import faust
import orjson

from newsdesk import topics
from newsdesk.deduper import DedupState, merge
from newsdesk.deduper.core import expire
from newsdesk.records import DeadLetter, Event, ExtractedArticle
from newsdesk.serde import dumps
from newsdesk.stream.continuity import OffsetGuard, ReadRange, in_order
from newsdesk.stream.handling import Message, handle
from newsdesk.stream.table_store import dedup_table

log = logging.getLogger(__name__)

#: Articles merged ahead of the publisher (whose changelog acknowledgement is still awaited).
PIPELINE_DEPTH = 64
#: How long a revocation waits for those to be published.
REVOKE_DRAIN_S = 30.0
#: How often aged-out events leave the deduper's state.
EXPIRY_INTERVAL_S = float(os.environ.get("NEWSDESK_EXPIRY_INTERVAL_S", "600"))


@dataclass
class BatchOutcome:
    #: Event id -> its latest version, or None when it was merged away (a tombstone), in the
    #: order the events were first touched.
    published: dict[str, Event | None] = field(default_factory=dict)
    dead: list[tuple[bytes | None, DeadLetter]] = field(default_factory=list)


def apply_batch(state: DedupState, messages: Sequence[Message], now: datetime) -> BatchOutcome:
    """Merge a batch of queued articles into state; say which events to publish and what died."""
    out = BatchOutcome()

    def step(article: ExtractedArticle) -> list[Event]:
        changed = merge(state, article, now)
        if not changed:
            # Redelivered after a crash: the state has the article, but its event may never
            # have left. Sending the current version again is harmless.
            again = state.event_for(article.id)
            changed = [again] if again is not None else []
        return changed

    for message in messages:
        outcome = handle("deduper", message, ExtractedArticle, step)
        if outcome.dead is not None:
            out.dead.append((message.key, outcome.dead))
            continue
        for event in outcome.result or []:
            out.published[event.event_id] = event
        for event_id in state.retired:
            out.published[event_id] = None
        state.retired.clear()
        # What a restore asks to publish again (a killed worker may have left it unpublished).
        for event_id in state.republish:
            again = state.event(event_id)
            if again is not None:
                out.published.setdefault(event_id, again)
        for event_id in state.tombstone_again:
            out.published.setdefault(event_id, None)
        state.republish.clear()
        state.tombstone_again.clear()
    return out


def register_deduper(app: faust.App, topic: Callable[[topics.Topic], Any], deadletters: Any,
                     guard: OffsetGuard, read_range: ReadRange) -> None:
    """Define the `deduper` agent and its state table on app."""
    events_out = topic(topics.EVENTS)
    # Changelog-backed: a restarted or newly assigned worker replays it to get the state back.
    # Written after a batch and from the expiry timer, outside any one event, so the changelog
    # partition comes from the key (one partition, like the queue, hence the same owner).
    # `write_changelog` writes it; reads go through `table.values()` when the state is rebuilt.
    table = dedup_table(app, "dedup-events", default=None, partitions=topics.DEDUP_QUEUE.partitions,
                        key_type=bytes, value_type=bytes, use_partitioner=True)
    holder: dict[str, DedupState | None] = {"state": None}
    #: Articles merged but not yet published (see `publisher`).
    pending: asyncio.Queue[tuple[list[Any], BatchOutcome, Any]] = asyncio.Queue(maxsize=PIPELINE_DEPTH)

    @app.on_partitions_revoked.connect
    async def forget(app: faust.App, revoked: Any, **kwargs: Any) -> None:
        # The table may be handed to another worker; rebuild from it after the next assignment.
        holder["state"] = None
        # Publish what is merged before the partition can move: a version sent late, after
        # the next owner had merged that event away, would bring it back in storage.
        try:
            await asyncio.wait_for(pending.join(), timeout=REVOKE_DRAIN_S)
        except TimeoutError:
            log.warning("merged articles still unpublished when the partition was revoked",
                        extra={"pending": pending.qsize()})

    @app.on_rebalance_complete.connect
    async def recovered(app: faust.App, **kwargs: Any) -> None:
        # A state built while the table was still being recovered (from a message fetched
        # before the rebalance) is partial: build it again from the recovered table.
        holder["state"] = None

    async def current() -> DedupState:
        while app.in_recovery:
            await asyncio.sleep(0.1)
        if holder["state"] is None:
            holder["state"] = DedupState.restore(orjson.loads(v) for v in table.values() if v)
            log.info("dedup state restored", extra={"events": len(table)})
        return holder["state"]

    async def write_changelog(state: DedupState, event_ids: Iterable[str]) -> list[Any]:
        """Write snapshots to the table; returns the futures of their changelog records.

        What `table[key] = value` does, but sent at once: Faust would otherwise buffer the
        changelog record and flush it on its own schedule. Each snapshot is serialised now,
        before the next article changes the state.
        """
        sent = []
        for event_id in event_ids:
            snap = state.snapshot(event_id)
            key = event_id.encode()
            value = orjson.dumps(snap) if snap is not None else None
            sent.append(await table.changelog_topic.send(key=key, value=value, force=True))
            if value is None:
                table.data.pop(key, None)
            else:
                table.data[key] = value
        return sent

    def written(acknowledged: Iterable[Any]) -> None:
        # The store holds everything up to these offsets: a rebalance that leaves the partition
        # here then needs no changelog read (what Faust's own table writes do, see table_store).
        for metadata in acknowledged:
            table.data.set_persisted_offset(metadata.topic_partition, metadata.offset)

    async def publish(outcome: BatchOutcome) -> None:
        for key, letter in outcome.dead:
            await deadletters.send(key=key, value=dumps(letter), force=True)
        # Changed events before tombstones, so a reader never misses an article in between.
        for event_id, event in outcome.published.items():
            if event is not None:
                await events_out.send(key=event_id.encode(), value=dumps(event), force=True)
        for event_id, event in outcome.published.items():
            if event is None:
                # Compaction drops the merged-away event; the sink deletes it.
                await events_out.send(key=event_id.encode(), value=None, force=True)

    async def publisher(pending: asyncio.Queue[tuple[list[Any], BatchOutcome, Any]]) -> None:
        """In arrival order: wait for an article's changelog records, publish its events, then
        acknowledge it. The agent meanwhile merges the next articles, so the broker round trip
        overlaps with work instead of adding to it; acknowledging only now keeps a killed
        worker's unpublished articles uncommitted, to be delivered again and re-sent."""
        while True:
            changelog, outcome, record = await pending.get()
            if changelog:
                written(await asyncio.gather(*changelog))
            await publish(outcome)
            record.ack()
            pending.task_done()

    @app.agent(topic(topics.DEDUP_QUEUE), name="deduper", concurrency=1)
    async def deduper(stream: Any) -> None:
        # One message at a time (Faust's batching, `take`, is known to stall agents upstream);
        # the write-ahead wait runs in `publisher`, overlapped with the next merges.
        publishing = asyncio.create_task(publisher(pending))
        try:
            async for record in in_order(app, stream, guard, read_range, manual_ack=True):
                if publishing.done():
                    publishing.result()  # it failed: raise its error here, in the agent
                msg = record.message
                messages = [Message(msg.topic, msg.partition, msg.offset, msg.key, record.value)]
                state = await current()
                outcome = apply_batch(state, messages, datetime.now(UTC))
                # The write-ahead rule (module docstring): changelog first, then the events.
                changelog = await write_changelog(state, outcome.published)
                await pending.put((changelog, outcome, record))
        finally:
            publishing.cancel()

    @app.timer(interval=EXPIRY_INTERVAL_S)
    async def age_out() -> None:
        state = holder["state"]
        if state is None:
            return
        gone = expire(state, datetime.now(UTC))
        changelog = await write_changelog(state, gone)
        if changelog:
            written(await asyncio.gather(*changelog))
        if gone:
            log.info("events aged out of dedup state", extra={"count": len(gone)})

