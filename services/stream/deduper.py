"""The deduper agent: articles from the dedup queue merged into events.

Write-ahead rule: an event version leaves for news.events only after the table changelog that
holds it is on the broker. A worker killed at any point then restarts from state at least as
new as anything a subscriber saw, so the versions it emits for replayed articles are higher
than the stored ones and the sink's "newer version wins" rule never discards them. Without the
rule, a kill between publishing an event and its changelog write left the restarted worker
re-emitting an already-used version with different content, which the sink rightly ignored.
Within a flush the snapshots go out in the two rounds of `deduper.write_order`, so that a kill
between two of them cannot lose the articles a regrouping was moving.

The agent merges each article as it comes and hands the outcome to a group commit
(`group_commit`): everything merged while the previous flush waited for the broker goes out in
the next one, each changed event written to the changelog and published once, in its latest
version. Under load an event changed by several articles of one flush therefore skips the
versions in between (the version number still counts every change); at a trickle every article
gets its own flush.
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
from faust.types import TP

from newsdesk import topics
from newsdesk.deduper import DedupState, merge
from newsdesk.deduper.core import expire
from newsdesk.deduper.write_order import write_rounds
from newsdesk.records import DeadLetter, Event, ExtractedArticle
from newsdesk.serde import dumps
from newsdesk.stream.continuity import OffsetGuard, ReadRange, in_order
from newsdesk.stream.group_commit import GroupCommit
from newsdesk.stream.handling import Message, handle
from newsdesk.stream.router import destinations, left_behind, type_topics
from newsdesk.stream.table_store import dedup_table

log = logging.getLogger(__name__)

#: Articles merged and waiting for the next flush, at most (then the agent waits for it).
MAX_UNFLUSHED = 256
#: How long a revocation waits for those to be published.
REVOKE_DRAIN_S = 30.0
#: How often aged-out events leave the deduper's state.
EXPIRY_INTERVAL_S = float(os.environ.get("NEWSDESK_EXPIRY_INTERVAL_S", "600"))


@dataclass
class BatchOutcome:
    #: Event id -> its latest version, or None when it was merged away (a tombstone), in the
    #: order the events were first touched.
    published: dict[str, Event | None] = field(default_factory=dict)
    #: Event id -> the types its earlier versions had (`DedupState.retyped`): the per-type
    #: topics of those get a tombstone for it.
    left: dict[str, list[str]] = field(default_factory=dict)
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
            cluster = state.clusters.get(event_id)
            if cluster is not None:
                out.published.setdefault(event_id, state.version(cluster))
        for event_id in state.tombstone_again:
            out.published.setdefault(event_id, None)
        for event_id, types in state.retyped.items():
            out.left.setdefault(event_id, []).extend(types)
        state.republish.clear()
        state.tombstone_again.clear()
        state.retyped.clear()
    return out


def combine(outcomes: Iterable[BatchOutcome]) -> BatchOutcome:
    """One outcome for several merged in turn: each event's latest version (or its tombstone, if
    the last word on it was one), in the order the events were first touched; every dead letter."""
    out = BatchOutcome()
    for outcome in outcomes:
        out.published.update(outcome.published)
        for event_id, types in outcome.left.items():
            out.left.setdefault(event_id, []).extend(types)
        out.dead.extend(outcome.dead)
    return out


def outgoing(outcome: BatchOutcome, route: bool) -> list[tuple[str, bytes, bytes | None]]:
    """The records a flush publishes, in order, as (topic name, key, value): each changed event
    on news.events and, with `route`, on its type's topic, followed by tombstones on the topics
    of the types it left; then the tombstones of events merged away, on every one of them."""
    records: list[tuple[str, bytes, bytes | None]] = []

    def send(event_id: str, event: Event | None) -> None:
        key, value = event_id.encode(), None if event is None else dumps(event)
        records.append((topics.EVENTS.name, key, value))
        if route:
            records.extend((name, key, value) for name in destinations(event))
            # After the new copy: a subscriber to both types never finds the event in neither.
            records.extend((name, key, None) for name in left_behind(event, outcome.left.get(event_id, ())))

    # Changed events before tombstones, so a reader never misses an article in between.
    for event_id, event in outcome.published.items():
        if event is not None:
            send(event_id, event)
    for event_id, event in outcome.published.items():
        if event is None:
            # Compaction drops the merged-away event; the sink deletes it.
            send(event_id, None)
    return records


@dataclass
class StateHolder:
    """The deduper's state in this worker, and whether it may outlive a rebalance.

    Every rebalance takes the state away, since the partition may move. Rebuilding it from the
    table costs about 30 s per 100,000 events, so a worker that keeps the partition resumes with
    the state it had, but only when that state is exactly what the table holds: everything
    merged into it was written before the revocation (`park` is not called otherwise), and the
    changelog still ends at the offsets it ended at then. Had another worker held the partition
    in between and written to it, the recovery that brought the table up to date would have
    moved those offsets (both stores record the offsets of what they read back); had the
    partition gone and come back, the memory store would have dropped them.

    Not covered, here or by the table itself: a worker stalled past the session timeout without
    noticing that another took over, which wakes and flushes what it had merged. Its late writes
    then end the changelog. Nothing fences such a writer under at-least-once delivery.
    """

    state: DedupState | None = None
    parked: DedupState | None = None
    parked_at: tuple[int | None, ...] = ()

    def park(self, changelog_ends: tuple[int | None, ...]) -> None:
        # Revoked again before any use: what is parked stays, with the offsets it was parked at.
        if self.state is not None:
            self.parked, self.parked_at = self.state, changelog_ends
        self.state = None

    def drop(self) -> None:
        self.state = self.parked = None
        self.parked_at = ()

    def resume(self, changelog_ends: tuple[int | None, ...]) -> DedupState | None:
        """The parked state, if the changelog still ends where it did (once; else None)."""
        parked, at = self.parked, self.parked_at
        self.parked, self.parked_at = None, ()
        if parked is not None and at and None not in at and at == changelog_ends:
            self.state = parked
            return parked
        return None


def register_deduper(app: faust.App, topic: Callable[[topics.Topic], Any], deadletters: Any,
                     guard: OffsetGuard, read_range: ReadRange, route: bool = False) -> None:
    """Define the `deduper` agent and its state table on app; with `route`, it also copies
    every version it publishes onto the per-type topics (the router's work, `stream.router`)."""
    events_out = topic(topics.EVENTS)
    per_type = type_topics(topic) if route else {}
    # Changelog-backed: a restarted or newly assigned worker replays it to get the state back.
    # Written after a batch and from the expiry timer, outside any one event, so the changelog
    # partition comes from the key (one partition, like the queue, hence the same owner).
    # `write_changelog` writes it; reads go through `table.values()` when the state is rebuilt.
    table = dedup_table(app, "dedup-events", default=None, partitions=topics.DEDUP_QUEUE.partitions,
                        key_type=bytes, value_type=bytes, use_partitioner=True)
    holder = StateHolder()

    def changelog_ends() -> tuple[int | None, ...]:
        name = table.changelog_topic.get_topic_name()
        return tuple(table.data.persisted_offset(TP(name, p)) for p in range(table.partitions or 1))

    @app.on_partitions_revoked.connect
    async def forget(app: faust.App, revoked: Any, **kwargs: Any) -> None:
        # Publish what is merged before the partition can move: a version sent late, after
        # the next owner had merged that event away, would bring it back in storage.
        try:
            await asyncio.wait_for(commits.drain(), timeout=REVOKE_DRAIN_S)
        except TimeoutError:
            log.warning("merged articles still unpublished when the partition was revoked",
                        extra={"pending": commits.pending()})
            holder.drop()
            return
        # The table may be handed to another worker; what it holds decides after the assignment.
        holder.park(changelog_ends())

    @app.on_rebalance_complete.connect
    async def recovered(app: faust.App, **kwargs: Any) -> None:
        # A state built while the table was still being recovered (from a message fetched
        # before the rebalance) is partial: build it again from the recovered table.
        holder.state = None

    async def current() -> DedupState:
        while app.in_recovery:
            await asyncio.sleep(0.1)
        state = holder.state
        if state is None:
            state = holder.resume(changelog_ends())
            if state is not None:
                log.info("dedup state kept across the rebalance", extra={"events": len(state.clusters)})
        if state is None:
            state = holder.state = DedupState.restore(orjson.loads(v) for v in table.values() if v)
            log.info("dedup state restored", extra={"events": len(state.clusters), "expired_ids": len(state.expired)})
        return state

    def written(state: DedupState, acknowledged: Iterable[Any]) -> None:
        # The store holds everything up to these offsets: a rebalance that leaves the partition
        # here then needs no changelog read (what Faust's own table writes do, see table_store).
        # Only while `state` is still the one in use: a write acknowledged after its state was
        # dropped or parked (a revocation that could not wait for it, an expiry in flight) may
        # be for a partition this worker no longer holds, whose offset the store has forgotten;
        # left unrecorded, the next recovery reads it back.
        if holder.state is not state:
            return
        for metadata in acknowledged:
            table.data.set_persisted_offset(metadata.topic_partition, metadata.offset)

    def last_written(event_id: str) -> dict[str, Any] | None:
        raw = table.data.get(event_id.encode())
        return orjson.loads(raw) if raw else None

    async def write_changelog(state: DedupState, event_ids: Iterable[str]) -> None:
        """Write snapshots to the table, in the two rounds of `write_order`, and wait for the
        broker to have them.

        What `table[key] = value` does, but sent at once: Faust would otherwise buffer the
        changelog record and flush it on its own schedule. Every snapshot is serialised before
        the first send yields, so all of them show the state as of this call.
        """
        rounds = write_rounds({e: state.snapshot(e) for e in event_ids}, last_written)
        encoded = [[(event_id.encode(), orjson.dumps(snap) if snap is not None else None)
                    for event_id, snap in writes] for writes in rounds]
        for records in encoded:
            if not records:
                continue
            for key, value in records:
                if value is None:
                    table.data.pop(key, None)
                else:
                    table.data[key] = value
            sent = [await table.changelog_topic.send(key=key, value=value, force=True) for key, value in records]
            written(state, await asyncio.gather(*sent))

    outputs = {topics.EVENTS.name: events_out, **per_type}

    async def publish(outcome: BatchOutcome) -> None:
        for key, letter in outcome.dead:
            await deadletters.send(key=key, value=dumps(letter), force=True)
        for name, key, value in outgoing(outcome, route=bool(per_type)):
            await outputs[name].send(key=key, value=value, force=True)

    async def flush(merged: list[tuple[DedupState, BatchOutcome, Any]]) -> None:
        """Changelog, then events, then acknowledgements, for every article merged since the
        previous flush (see `group_commit`). Acknowledging only now keeps a killed worker's
        unpublished articles uncommitted, to be delivered again and re-sent."""
        state = merged[-1][0]
        # Forget drains before the state is dropped, so one flush never spans two states.
        assert all(s is state for s, _, _ in merged), "one flush, one state"
        outcome = combine([o for _, o, _ in merged])
        # The write-ahead rule (module docstring): changelog first, then the events.
        await write_changelog(state, outcome.published)
        await publish(outcome)
        for _, _, record in merged:
            record.ack()

    commits: GroupCommit[tuple[DedupState, BatchOutcome, Any]] = GroupCommit(flush, MAX_UNFLUSHED)

    @app.agent(topic(topics.DEDUP_QUEUE), name="deduper", concurrency=1)
    async def deduper(stream: Any) -> None:
        # One message at a time (Faust's batching, `take`, is known to stall agents upstream);
        # the batching happens after the merge, in the group commit.
        commits.start()
        try:
            async for record in in_order(app, stream, guard, read_range, manual_ack=True):
                msg = record.message
                messages = [Message(msg.topic, msg.partition, msg.offset, msg.key, record.value)]
                state = await current()
                await commits.add((state, apply_batch(state, messages, datetime.now(UTC)), record))
        finally:
            await commits.stop()

    @app.timer(interval=EXPIRY_INTERVAL_S)
    async def age_out() -> None:
        state = holder.state
        if state is None:
            return
        changed = expire(state, datetime.now(UTC))
        await write_changelog(state, changed)
        if changed:
            log.info("dedup state aged out", extra={"ids": len(changed), "expired_ids": len(state.expired)})

