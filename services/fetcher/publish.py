"""The seam between the fetcher and Kafka: the fetcher only ever calls a `Publish`.

The service and the CLI get a `PublisherFactory` and open it once per run, so the Kafka
producer is built lazily (a dry run never connects) and tests pass an in-memory one.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import IO

from newsdesk.records import RawArticle
from newsdesk.serde import dumps

#: Sends one raw article to `news.articles.raw`; raises when the broker did not take it.
Publish = Callable[[RawArticle], Awaitable[None]]
#: Opens a publisher for the length of a run (connects, and flushes on exit).
PublisherFactory = Callable[[], AbstractAsyncContextManager[Publish]]


def record_key(article: RawArticle) -> bytes:
    """Kafka key of a raw article: its canonical URL, or its id when it has none (local files)."""
    return (article.url or article.id).encode("utf-8")


class MemoryPublisher:
    """Keeps what was published in a list; for tests and for counting in dry runs."""

    def __init__(self) -> None:
        self.published: list[RawArticle] = []

    async def __call__(self, article: RawArticle) -> None:
        self.published.append(article)

    def factory(self) -> PublisherFactory:
        @asynccontextmanager
        async def open_() -> AsyncIterator[Publish]:
            yield self

        return open_


def jsonl_publisher(stream: IO[bytes] | None = None) -> PublisherFactory:
    """A publisher that writes JSON Lines (the dry run): one RawArticle per line."""

    @asynccontextmanager
    async def open_() -> AsyncIterator[Publish]:
        out = stream if stream is not None else sys.stdout.buffer

        async def publish(article: RawArticle) -> None:
            out.write(dumps(article) + b"\n")
            out.flush()

        yield publish

    return open_
