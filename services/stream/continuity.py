"""Every record of a partition reaches its agent: a check Faust needs.

Around a rebalance Faust can drop records it had fetched but not yet handed to the agent, then
go on from later offsets without seeking back (faust-streaming issues #216 and #221 describe the
family). 0.15.3 still does it: a worker restarted while the killed one's session was expiring
skipped four records of the dedup queue and never came back for them. Faust never acknowledges
those records, so its committed offset stops at the hole: nothing is lost for good, but the
articles stay missing and the commit stays stuck until the next restart.

`OffsetGuard` remembers, for each partition the worker holds, the offset it expects next,
starting from the group's committed offset at each assignment (where Faust seeks to). A
record beyond it reveals a hole: the agent reads the missing records straight from the broker
(`read_range`, a consumer of its own; seeking Faust's consumer back from an agent left its
fetcher waiting for ever) and handles them first; as each is done, Faust's commit is told.
A record before the expected offset is a replay (Faust seeks back to the committed offset at
each rebalance) and is handled again, which every stage allows; a hole wrongly suspected (a
partition another worker moved on in between) likewise only costs a replay. Compacted topics
have holes by design and are not guarded.

The committed offset as a start matters: Faust has also been seen to skip the very record at
the committed offset when a worker restarts, and its commit lets that one-record gap through
(it compares the first acknowledged offset with the committed one plus one), so the record is
lost for good. Anchored at the first record that arrived instead, the guard saw no hole (CI: a
restarted worker never cleaned the first raw article of a partition produced while it was down).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

log = logging.getLogger(__name__)

#: Reading a hole back gives up after this long (the records may be gone: retention).
READ_TIMEOUT_S = 60.0


@dataclass
class OffsetGuard:
    expected: dict[Hashable, int] = field(default_factory=dict)

    def check(self, tp: Hashable, offset: int, start: int | None = None) -> tuple[int, int] | None:
        """The hole [start, end) this record reveals in partition `tp`, if any. `start` is where
        reading the partition began (its committed offset), for its first record; None: unknown."""
        expected = self.expected.get(tp, start)
        self.expected[tp] = offset + 1
        if expected is None or offset <= expected:
            return None
        return expected, offset

    def restart(self) -> None:
        """A new assignment: every partition is read again from its committed offset (and one
        given up may have been moved on by another worker meanwhile)."""
        self.expected.clear()


@dataclass(frozen=True)
class ReadMessage:
    """The parts of a Faust message the agents use, for a record read back from a hole."""

    tp: Any
    offset: int
    key: bytes | None

    @property
    def topic(self) -> str:
        return self.tp.topic

    @property
    def partition(self) -> int:
        return self.tp.partition


@dataclass(frozen=True)
class ReadEvent:
    message: ReadMessage
    value: bytes | None
    #: What acknowledging it does (set by `in_order`).
    on_ack: Callable[[], object] = lambda: None

    def ack(self) -> None:
        self.on_ack()


ReadRange = Callable[[Any, int, int], AsyncIterator[ReadEvent]]


def broker_reader(bootstrap: str) -> ReadRange:
    """Reads records [start, end) of a partition with a consumer of its own (no group, no commits)."""

    async def read_range(tp: Any, start: int, end: int) -> AsyncIterator[ReadEvent]:
        from aiokafka import AIOKafkaConsumer, TopicPartition

        part = TopicPartition(tp.topic, tp.partition)
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                    group_id=None, auto_offset_reset="earliest")
        await consumer.start()
        try:
            consumer.assign([part])
            consumer.seek(part, start)
            deadline = asyncio.get_running_loop().time() + READ_TIMEOUT_S
            while asyncio.get_running_loop().time() < deadline:
                batch = await consumer.getmany(part, timeout_ms=500)
                for record in batch.get(part, []):
                    if record.offset >= end:
                        return
                    if record.offset >= start:
                        yield ReadEvent(ReadMessage(tp, record.offset, record.key), record.value)
                if await consumer.position(part) >= end:
                    return
            log.error("could not read a hole back in time; its records are skipped",
                      extra={"topic": tp.topic, "partition": tp.partition, "from_offset": start, "to_offset": end})
        finally:
            await consumer.stop()

    return read_range


def guard_offsets(app: Any) -> OffsetGuard:
    """An OffsetGuard for app's agents, kept in step with the partitions app is assigned."""
    guard = OffsetGuard()

    @app.on_partitions_assigned.connect
    async def held(app: Any, assigned: Any, **kwargs: Any) -> None:
        guard.restart()

    return guard


async def in_order(app: Any, stream: Any, guard: OffsetGuard, read_range: ReadRange, *,
                   manual_ack: bool = False) -> AsyncIterator[Any]:
    """The stream's events, with any records Faust skipped read back and put first.

    Each event is acknowledged once the caller asks for the next one, or, with `manual_ack`,
    when the caller calls its `ack()` (a caller that finishes an event later than that).
    """
    events = stream.noack().events() if manual_ack else stream.events()
    async for event in events:
        msg = event.message
        start = None if msg.tp in guard.expected else committed_offset(app, msg.tp)
        hole = guard.check(msg.tp, msg.offset, start)
        if hole is not None:
            log.warning("records skipped by the consumer; reading them back",
                        extra={"topic": msg.topic, "partition": msg.partition,
                               "from_offset": hole[0], "to_offset": hole[1]})
            async for missed in read_range(msg.tp, *hole):
                missed = replace(missed, on_ack=partial(_done, app, msg.tp, missed.message.offset))
                yield missed
                if not manual_ack:
                    missed.ack()
        yield event


def committed_offset(app: Any, tp: Any) -> int | None:
    """The offset Faust's consumer began `tp` at: the group's committed offset, which it reads
    when it seeks at each assignment (None: none committed yet, or Faust does not know)."""
    return app.consumer._committed_offset.get(tp)


def _done(app: Any, tp: Any, offset: int) -> None:
    """Acknowledges a record read back from a hole. Faust never saw it, so it cannot be acked;
    its gap bookkeeping (for compacted topics) lets the commit pass it instead. Written
    directly: `_add_gap` would leave out an offset equal to the committed one."""
    app.consumer._gap[tp].addi(offset, offset + 1)
