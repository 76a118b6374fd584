"""The deduper table's memory store: offsets of acknowledged writes survive a rebalance that keeps
the partition, and a revoked partition takes its offset and its data with it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import faust
import pytest
from faust.types import TP

from newsdesk.stream.table_store import OffsetKeepingMemoryStore, dedup_table


def table_and_store() -> tuple[faust.Table, OffsetKeepingMemoryStore]:
    app = faust.App("test-table-store", broker="kafka://127.0.0.1:9", store="memory://")
    table = dedup_table(app, "events", default=None, partitions=1, key_type=bytes, value_type=bytes)
    store = table.data
    assert isinstance(store, OffsetKeepingMemoryStore)
    return table, store


def rebalance(store: OffsetKeepingMemoryStore, assigned: set[TP], revoked: set[TP]) -> None:
    asyncio.run(store.on_rebalance(assigned, revoked, set()))


def test_a_fresh_store_knows_no_offset_so_recovery_reads_the_changelog() -> None:
    table, store = table_and_store()
    assert store.persisted_offset(TP(table.changelog_topic.get_topic_name(), 0)) is None


def test_kept_partition_keeps_its_offset_and_data() -> None:
    table, store = table_and_store()
    tp = TP(table.changelog_topic.get_topic_name(), 0)
    store[b"e1"] = b"{}"
    store.set_persisted_offset(tp, 41)
    store.set_persisted_offset(tp, 40)  # a late acknowledgement never moves it back
    other = TP("news.articles.raw", 3)
    rebalance(store, {tp}, {other})
    assert store.persisted_offset(tp) == 41
    assert dict(store.data) == {b"e1": b"{}"}


def test_revoked_partition_forgets_offset_and_data() -> None:
    table, store = table_and_store()
    tp = TP(table.changelog_topic.get_topic_name(), 0)
    store[b"e1"] = b"{}"
    store.set_persisted_offset(tp, 41)
    rebalance(store, set(), {tp})
    assert store.persisted_offset(tp) is None
    assert not dict(store.data)


@dataclass
class Msg:
    tp: TP
    offset: int
    value: bytes | None

    @property
    def partition(self) -> int:
        return self.tp.partition


@dataclass
class Ev:
    key: bytes
    value: bytes | None
    message: Msg


def test_records_read_back_from_the_changelog_move_the_offset() -> None:
    # Another worker's writes, applied by recovery: the offset must say the table holds them,
    # or a worker that kept its state would take the table for unchanged.
    table, store = table_and_store()
    tp = TP(table.changelog_topic.get_topic_name(), 0)
    store.set_persisted_offset(tp, 41)
    batch = [Ev(b"e1", b"{}", Msg(tp, 57, b"{}")), Ev(b"e2", None, Msg(tp, 58, None))]
    store.apply_changelog_batch(iter(batch), to_key=lambda k: k, to_value=lambda v: v)
    assert store.persisted_offset(tp) == 58
    assert dict(store.data) == {b"e1": b"{}"}


def test_rocksdb_store_takes_the_agent_writes(tmp_path) -> None:
    pytest.importorskip("rocksdict")
    from faust.stores.rocksdb import Store as RocksDBStore

    app = faust.App("test-table-store-2", broker="kafka://127.0.0.1:9", store="rocksdb://", datadir=str(tmp_path))
    table = dedup_table(app, "events", default=None, partitions=1, key_type=bytes, value_type=bytes)
    assert isinstance(table.data, RocksDBStore)
    # The deduper writes outside any stream event (group commit, expiry timer).
    table.data[b"e1"] = b"{}"
    table.data[b"e2"] = b"[]"
    del table.data[b"e2"]
    assert table.data.get(b"e1") == b"{}" and table.data.get(b"e2") is None
