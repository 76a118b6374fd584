"""Producing to the broker: one shared, reliable producer configuration for every service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaProducer


def producer(bootstrap: str) -> AIOKafkaProducer:
    # acks=all + idempotence: a retried send after a broker hiccup is not written twice.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        compression_type=None,
        max_request_size=32 * 1024 * 1024,
        request_timeout_ms=30000,
    )


@asynccontextmanager
async def started_producer(bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    p = producer(bootstrap)
    await p.start()
    try:
        yield p
    finally:
        await p.stop()


def article_publisher(bootstrap: str):  # -> PublisherFactory (newsdesk.fetcher.publish)
    """Opens a publisher of raw articles to `news.articles.raw`, keyed by canonical URL."""
    from newsdesk import topics
    from newsdesk.fetcher.publish import record_key
    from newsdesk.records import RawArticle
    from newsdesk.serde import dumps

    @asynccontextmanager
    async def open_() -> AsyncIterator:
        async with started_producer(bootstrap) as p:

            async def publish(article: RawArticle) -> None:
                await p.send_and_wait(topics.RAW.name, key=record_key(article), value=dumps(article))

            yield publish

    return open_
