"""Reading a hole back from the broker: exactly the records asked for, in order."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from aiokafka import AIOKafkaProducer

from newsdesk.stream.continuity import broker_reader

pytestmark = [pytest.mark.kafka]


class TP(NamedTuple):
    topic: str
    partition: int


async def test_reads_the_records_of_the_hole_and_no_others(kafka_bootstrap: str, topic_prefix: str) -> None:
    tp = TP(f"{topic_prefix}hole", 0)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for i in range(10):
            await producer.send_and_wait(tp.topic, key=f"k{i}".encode(), value=f"v{i}".encode(), partition=0)
    finally:
        await producer.stop()

    read_range = broker_reader(kafka_bootstrap)
    got = [(e.message.offset, e.message.key, e.value) async for e in read_range(tp, 3, 7)]
    assert got == [(o, f"k{o}".encode(), f"v{o}".encode()) for o in range(3, 7)]
    assert [e.message.topic async for e in read_range(tp, 9, 10)] == [tp.topic]
