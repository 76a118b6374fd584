"""The worker's consumer asks the broker for a prompt answer (see newsdesk.stream.transport)."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from newsdesk.stream.app import create_app
from newsdesk.stream.transport import FETCH_MAX_WAIT_MS, PromptConsumerThread


async def test_the_worker_consumer_is_built_with_the_short_fetch_wait(tmp_path: Path) -> None:
    app = create_app("127.0.0.1:9", ["cleaner"], tmp_path)
    thread = app.consumer._new_consumer_thread()
    assert isinstance(thread, PromptConsumerThread)
    consumer = thread._create_worker_consumer(app.transport)
    assert consumer._fetch_max_wait_ms == FETCH_MAX_WAIT_MS < 1500


@pytest.mark.kafka
async def test_aiokafka_hands_the_attribute_to_its_fetcher(kafka_bootstrap: str, topic_prefix: str) -> None:
    # The transport sets a private attribute of the pinned aiokafka: this fails if it is renamed.
    part = TopicPartition(f"{topic_prefix}prompt", 0)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(part.topic, b"v", partition=0)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest")
    consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS
    await consumer.start()
    try:
        consumer.assign([part])
        assert [r.value for r in (await consumer.getmany(part, timeout_ms=10_000))[part]] == [b"v"]
        assert consumer._fetcher._fetch_max_wait_ms == FETCH_MAX_WAIT_MS
    finally:
        await consumer.stop()
