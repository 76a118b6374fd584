"""Group commit: items that arrive while one flush is in flight leave together in the next.

The deduper must wait for the broker before it may publish and acknowledge an article (the
write-ahead rule in `stream.deduper`). Waiting per article caps the stage at one broker round
trip per article; pipelining the waits still pays one changelog record and one published event
version per article, so an event reported by 200 outlets in a burst costs 200 full copies of a
growing record. A group commit adapts instead: while the broker acknowledges one flush, new
items gather, and the next flush sends them at once. At a trickle every flush holds one item
(no added latency); under load a flush holds many, and an event changed by several of them is
written and published once, in its latest version.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupCommit(Generic[T]):
    """Calls `flush(items)` with everything added since the previous call began, one call at a
    time. `flush` runs up to its first `await` as soon as the items are taken, so whatever it
    reads there (a snapshot of state) matches exactly the items it was given."""

    def __init__(self, flush: Callable[[list[T]], Awaitable[None]], max_pending: int) -> None:
        self._flush = flush
        self._max_pending = max_pending
        self._items: list[T] = []
        self._added = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def add(self, item: T) -> None:
        """Queue an item; waits while `max_pending` items are waiting for the next flush."""
        while not self._room.is_set():
            self._check()
            await asyncio.wait({asyncio.ensure_future(self._room.wait()), self._running()},
                               return_when=asyncio.FIRST_COMPLETED)
        self._check()
        self._items.append(item)
        self._idle.clear()
        self._added.set()
        if len(self._items) >= self._max_pending:
            self._room.clear()

    async def drain(self) -> None:
        """Wait until every item added so far has been flushed."""
        while not self._idle.is_set():
            self._check()
            await asyncio.wait({asyncio.ensure_future(self._idle.wait()), self._running()},
                               return_when=asyncio.FIRST_COMPLETED)
        self._check()

    def pending(self) -> int:
        return len(self._items)

    def _running(self) -> asyncio.Future[None]:
        assert self._task is not None, "start() the group commit first"
        return self._task

    def _check(self) -> None:
        """A failed flush is raised to whoever adds or drains next: the caller's task fails
        with it rather than waiting forever on a flusher that is gone."""
        if self._task is not None and self._task.done():
            self._task.result()
            raise RuntimeError("the group commit was stopped")

    async def _run(self) -> None:
        while True:
            await self._added.wait()
            self._added.clear()
            if not self._items:
                continue
            items, self._items = self._items, []
            self._room.set()
            await self._flush(items)
            if not self._items:
                self._idle.set()
