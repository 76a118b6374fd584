"""The group commit: one flush at a time, items gathered while one is in flight leave together,
a bounded backlog, and a failed flush reaches the caller instead of hanging it."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.stream.group_commit import GroupCommit


def test_items_added_during_a_flush_leave_together_in_the_next() -> None:
    async def scenario() -> list[list[int]]:
        flushed: list[list[int]] = []
        release = asyncio.Event()

        async def flush(items: list[int]) -> None:
            flushed.append(items)
            await release.wait()

        commits = GroupCommit(flush, max_pending=100)
        commits.start()
        await commits.add(1)
        await asyncio.sleep(0)  # the first flush takes item 1 and waits for the "broker"
        for i in (2, 3, 4):
            await commits.add(i)
        release.set()
        await commits.drain()
        await commits.stop()
        return flushed

    assert asyncio.run(scenario()) == [[1], [2, 3, 4]]


def test_a_full_backlog_makes_the_caller_wait_for_the_flush() -> None:
    async def scenario() -> tuple[bool, list[list[int]]]:
        flushed: list[list[int]] = []
        release = asyncio.Event()

        async def flush(items: list[int]) -> None:
            flushed.append(items)
            await release.wait()

        commits = GroupCommit(flush, max_pending=2)
        commits.start()
        await commits.add(1)
        await asyncio.sleep(0)
        await commits.add(2)
        await commits.add(3)  # the backlog is full now
        blocked = asyncio.create_task(commits.add(4))
        await asyncio.sleep(0.01)
        waited = not blocked.done()
        release.set()
        await blocked
        await commits.drain()
        await commits.stop()
        return waited, flushed

    waited, flushed = asyncio.run(scenario())
    assert waited
    assert [i for batch in flushed for i in batch] == [1, 2, 3, 4]


def test_a_failed_flush_is_raised_to_the_next_caller() -> None:
    async def scenario() -> None:
        async def flush(items: list[int]) -> None:
            raise ConnectionError("broker gone")

        commits = GroupCommit(flush, max_pending=10)
        commits.start()
        await commits.add(1)
        await asyncio.sleep(0.01)
        with pytest.raises(ConnectionError):
            await commits.drain()
        with pytest.raises(ConnectionError):
            await commits.add(2)
        await commits.stop()

    asyncio.run(scenario())


def test_drain_with_nothing_added_returns_at_once() -> None:
    async def scenario() -> None:
        async def flush(items: list[int]) -> None:
            raise AssertionError("nothing to flush")

        commits = GroupCommit(flush, max_pending=10)
        await asyncio.wait_for(commits.drain(), timeout=1)

    asyncio.run(scenario())
