"""The deduper table's in-memory store: Faust's, plus the changelog offsets it already holds.

Faust's memory store answers "nothing persisted" for every partition, so a worker that keeps the
deduper's partition across a rebalance (a worker joining or leaving the group) reads the whole
changelog back into the state it already holds: with a week of events in state that is the whole
state again at every rebalance, and the stall grows with the window. Around that re-read Faust's
recovery has also been seen to wait forever for changelog records that never arrived, a whole
pipeline stuck behind one worker (the scale 1 -> 3 -> 1 fault test caught it once in CI).

This store remembers the offset of the last changelog record the agent wrote and the broker
acknowledged, so recovery starts there, and it forgets both the offset and the partition's
data when the partition is revoked: if it comes back later, possibly after another worker
changed and compacted it, the state is read again from the changelog, never from a stale copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import faust
from faust.stores.memory import Store as MemoryStore
from faust.stores.rocksdb import Store as RocksDBStore
from faust.streams import current_event
from faust.types import TP, EventT, StoreT
from yarl import URL


class OffsetKeepingMemoryStore(MemoryStore):
    def __post_init__(self) -> None:
        super().__post_init__()
        self._offsets: dict[TP, int] = {}

    def persisted_offset(self, tp: TP) -> int | None:
        return self._offsets.get(tp)

    def apply_changelog_batch(self, batch: Iterable[EventT], to_key: Callable[[Any], Any],
                              to_value: Callable[[Any], Any]) -> None:
        # Faust's memory store applies the records but leaves the offset where it was. Recorded
        # here, as the RocksDB store does: the next recovery starts after them, and the deduper
        # sees that someone else wrote the changelog since it last did (`StateHolder`).
        events = list(batch)
        super().apply_changelog_batch(events, to_key, to_value)
        for event in events:
            self.set_persisted_offset(event.message.tp, event.message.offset)

    def set_persisted_offset(self, tp: TP, offset: int) -> None:
        # Acknowledgements of one partition arrive in order, but never let a late one move back.
        if offset > self._offsets.get(tp, -1):
            self._offsets[tp] = offset

    async def on_rebalance(self, assigned: Any, revoked: Any, newly_assigned: Any, generation_id: int = 0) -> None:
        changelog = self.table.changelog_topic.get_topic_name()
        lost = {tp for tp in revoked if tp.topic == changelog}
        if not lost:
            return
        for tp in lost:
            self._offsets.pop(tp, None)
        gone = {tp.partition for tp in lost}
        # Keys the agent wrote itself carry no partition (it sends their changelog records
        # directly). With no way to tell which partition they belong to, they all go, and the
        # kept partitions are read back from the changelog too (the deduper's table has one
        # partition, so this costs nothing that would not have to be read again anyway).
        unknown = [k for k in self.data if k not in self._key_partition]
        doomed = [k for k, p in self._key_partition.items() if p in gone]
        for key in unknown + doomed:
            self.data.pop(key, None)
            self._key_partition.pop(key, None)
        if unknown:
            self._offsets.clear()


class AgentWritableRocksDBStore(RocksDBStore):
    """Faust's RocksDB store, writable outside a stream event.

    Faust's store asks the event being processed which partition a key belongs to. The deduper
    writes its table from the group commit and the expiry timer, where there is no such event,
    and every write failed an assertion. The table has one partition, so that is where the key
    goes. Reads and deletes already look in every partition's database. (Importing Faust's
    store needs no rocksdict; opening a database does.)
    """

    def _set(self, key: bytes, value: bytes | None) -> None:
        if current_event() is not None:
            return super()._set(key, value)
        if self.table.partitions != 1:
            raise RuntimeError(f"table {self.table.name!r} has {self.table.partitions} partitions: "
                               "a write outside a stream event cannot tell which one a key is in")
        self._key_index[key] = 0
        self._db_for_partition(0).put(key, value)


class DedupTable(faust.Table):
    """A Faust table whose stores take the deduper agent's own writes: the memory store keeps the
    offsets of acknowledged writes, and the RocksDB store (which keeps its own) takes writes made
    outside a stream event."""

    def _new_store_by_url(self, url: str | URL) -> StoreT:
        scheme = URL(str(url)).scheme
        if scheme == "memory":
            store_class: type[StoreT] = OffsetKeepingMemoryStore
        elif scheme == "rocksdb":
            store_class = AgentWritableRocksDBStore
        else:
            return super()._new_store_by_url(url)
        return store_class(  # type: ignore[call-arg]
            url, self.app, self, table_name=self.name, key_type=self.key_type,
            key_serializer=self.key_serializer, value_serializer=self.value_serializer,
            value_type=self.value_type, loop=self.loop, options=self.options,
        )


def dedup_table(app: faust.App, name: str, **kwargs: Any) -> DedupTable:
    """What `app.Table(name, **kwargs)` does, with this module's table class."""
    table = app.tables.add(DedupTable(app, name=name, beacon=app.tables.beacon, **kwargs))
    assert isinstance(table, DedupTable)
    return table
