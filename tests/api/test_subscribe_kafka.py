"""The Python subscriber against a real broker: filters, groups, live delivery."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaProducer

from newsdesk import topics
from newsdesk.api.matching import Interest
from newsdesk.api.subscribe import subscribe
from newsdesk.broker.admin import ensure_topics
from newsdesk.serde import dumps

pytestmark = pytest.mark.kafka


async def take(iterator, count: int, timeout: float = 30.0) -> list:
    got = []

    async def collect() -> None:
        async for event in iterator:
            got.append(event)
            if len(got) == count:
                return

    await asyncio.wait_for(collect(), timeout)
    await iterator.aclose()
    return got


async def test_groups_each_get_every_matching_event_and_live_ones_arrive(
        kafka_bootstrap: str, topic_prefix: str, monkeypatch: pytest.MonkeyPatch, make_event) -> None:
    monkeypatch.setattr(topics, "PREFIX", topic_prefix)
    await ensure_topics(kafka_bootstrap, (topics.EVENTS,))
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for event in (make_event("m1", type="meeting"), make_event("p1"), make_event("m2", type="meeting")):
            await producer.send_and_wait(topics.EVENTS.name, key=event.event_id.encode(), value=dumps(event))
        await producer.send_and_wait(topics.EVENTS.name, key=b"gone", value=None)  # tombstones are skipped
        meetings = Interest(type="meeting")
        first = await take(subscribe(kafka_bootstrap, meetings, group="g1", from_beginning=True), 2)
        second = await take(subscribe(kafka_bootstrap, meetings, group="g2", from_beginning=True), 2)
        assert sorted(e.event_id for e in first) == sorted(e.event_id for e in second) == ["m1", "m2"]

        live = subscribe(kafka_bootstrap, Interest(entity="Jola Wrona"))
        waiting = asyncio.ensure_future(take(live, 1))
        version = 1
        while not waiting.done() and version < 30:
            # Keep publishing newer versions until the subscriber, started at "latest", sees one.
            version += 1
            await producer.send_and_wait(topics.EVENTS.name, key=b"p1",
                                         value=dumps(make_event("p1", version, title="Strike widens")))
            await asyncio.sleep(1)
        (seen,) = await waiting
        assert (seen.event_id, seen.title) == ("p1", "Strike widens")
        assert seen.version > 1
    finally:
        await producer.stop()
