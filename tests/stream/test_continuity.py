"""The offset guard: a record beyond the expected offset reveals a hole, which the agent reads
back from the broker and handles first; replays pass; partitions given up are forgotten."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from newsdesk.stream.continuity import OffsetGuard, ReadEvent, ReadMessage, in_order


class TP(NamedTuple):
    topic: str
    partition: int


RAW3 = TP("news.articles.raw", 3)
RAW4 = TP("news.articles.raw", 4)


def test_records_in_order_reveal_no_hole() -> None:
    guard = OffsetGuard()
    assert [guard.check(RAW3, offset) for offset in range(10, 20)] == [None] * 10


def test_the_first_record_of_a_partition_sets_the_expectation() -> None:
    guard = OffsetGuard()
    assert guard.check(RAW3, 500) is None
    assert guard.check(RAW3, 502) == (501, 502)


def test_a_jump_is_a_hole_and_the_guard_goes_on_after_it() -> None:
    guard = OffsetGuard()
    for offset in range(115, 119):
        guard.check(RAW3, offset)
    assert guard.check(RAW3, 123) == (119, 123)
    assert guard.check(RAW3, 124) is None


def test_replays_from_an_earlier_offset_are_no_hole() -> None:
    guard = OffsetGuard()
    for offset in range(0, 50):
        guard.check(RAW3, offset)
    # A rebalance seeks back to the committed offset: those records come again.
    assert guard.check(RAW3, 40) is None
    assert guard.check(RAW3, 41) is None
    assert guard.check(RAW3, 43) == (42, 43)


def test_the_first_record_beyond_where_reading_began_reveals_a_hole() -> None:
    guard = OffsetGuard()
    # Reading began at committed offset 31; Faust handed out 32 first.
    assert guard.check(RAW3, 32, start=31) == (31, 32)
    assert guard.check(RAW4, 31, start=31) is None
    assert guard.check(RAW4, 32, start=20) is None  # only the first record uses the start


def test_each_assignment_starts_every_partition_afresh() -> None:
    guard = OffsetGuard()
    guard.check(RAW3, 10)
    guard.check(RAW4, 10)
    guard.restart()
    # Another worker may have moved RAW3 on meanwhile, and Faust seeks RAW4 back to its
    # committed offset: both start again from there.
    assert guard.check(RAW3, 90, start=90) is None
    assert guard.check(RAW4, 9, start=8) == (8, 9)


def test_partitions_are_independent() -> None:
    guard = OffsetGuard()
    guard.check(RAW3, 10)
    guard.check(RAW4, 500)
    assert guard.check(RAW3, 11) is None
    assert guard.check(RAW4, 501) is None


# --- the agent side: what reaches the stage, in which order, and what Faust's commit is told ---


@dataclass
class LiveEvent:
    message: ReadMessage
    value: bytes
    acked: list[str]

    def ack(self) -> None:
        self.acked.append(self.value.decode())


@dataclass
class FakeStream:
    offsets: list[int]
    acked: list[str] = field(default_factory=list)
    noack_called: bool = False

    def noack(self) -> FakeStream:
        self.noack_called = True
        return self

    async def events(self):
        for offset in self.offsets:
            # Faust acknowledges its own events when the agent moves on, unless noack() was asked.
            event = LiveEvent(ReadMessage(RAW3, offset, b"k"), f"live {offset}".encode(), self.acked)
            yield event
            if not self.noack_called:
                event.ack()


class FakeGaps:
    def __init__(self) -> None:
        self.added: list[tuple[int, int]] = []

    def addi(self, start: int, end: int) -> None:
        self.added.append((start, end))


@dataclass
class FakeConsumer:
    _gap: defaultdict = field(default_factory=lambda: defaultdict(FakeGaps))
    #: What Faust's consumer holds after seeking to the committed offsets.
    _committed_offset: dict = field(default_factory=dict)


@dataclass
class FakeApp:
    consumer: FakeConsumer = field(default_factory=FakeConsumer)


def reader(reads: list):
    async def read_range(tp, start, end):
        reads.append((tp, start, end))
        for offset in range(start, end):
            yield ReadEvent(ReadMessage(tp, offset, b"k"), f"read {offset}".encode())
    return read_range


async def test_agent_handles_the_records_faust_skipped_before_the_one_that_revealed_them() -> None:
    app, reads = FakeApp(), []
    stream = FakeStream([1, 2, 5, 6])
    seen = [event.value.decode() async for event in in_order(app, stream, OffsetGuard(), reader(reads))]
    assert seen == ["live 1", "live 2", "read 3", "read 4", "live 5", "live 6"]
    assert reads == [(RAW3, 3, 5)]
    # Faust may now commit past offsets 3 and 4, which it never handed out.
    assert app.consumer._gap[RAW3].added == [(3, 4), (4, 5)]
    assert stream.acked == ["live 1", "live 2", "live 5", "live 6"]


async def test_with_manual_acks_nothing_is_acknowledged_until_the_caller_says_so() -> None:
    app = FakeApp()
    stream = FakeStream([1, 3])
    taken = [event async for event in in_order(app, stream, OffsetGuard(), reader([]), manual_ack=True)]
    assert [e.value.decode() for e in taken] == ["live 1", "read 2", "live 3"]
    assert stream.acked == [] and app.consumer._gap[RAW3].added == []
    for event in reversed(taken):  # a caller may finish them in its own time
        event.ack()
    assert stream.acked == ["live 3", "live 1"]
    assert app.consumer._gap[RAW3].added == [(2, 3)]


async def test_records_skipped_at_the_start_of_an_assignment_are_read_back() -> None:
    app, reads = FakeApp(), []
    app.consumer._committed_offset[RAW3] = 3
    stream = FakeStream([5, 6])
    seen = [event.value.decode() async for event in in_order(app, stream, OffsetGuard(), reader(reads))]
    assert seen == ["read 3", "read 4", "live 5", "live 6"]
    assert reads == [(RAW3, 3, 5)]


def test_the_pinned_faust_keeps_the_committed_offsets_it_seeks_to() -> None:
    # `committed_offset` reads Faust's private bookkeeping; this fails if an upgrade renames it.
    import inspect

    from faust.transport.consumer import Consumer

    assert "self._committed_offset.update(committed_offsets)" in inspect.getsource(Consumer.perform_seek)
