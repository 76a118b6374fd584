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
