"""The broker stopped and started again while articles flow: producers, the worker and the sink
reconnect by themselves, and every article is stored once. The test runs its own broker (its
own home and ports), so stopping it disturbs no other test."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultkit import (
    ServiceSet,
    SteadyProducer,
    articles,
    assert_exactly_once,
    encoded,
    free_port,
    stored_article_ids,
    unavailable,
)

from newsdesk.broker.local import BrokerError, LocalBroker

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow, pytest.mark.fault]

DOWN_S = 10


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    own = LocalBroker(home=tmp_path / "kafka", port=free_port(), controller_port=free_port())
    try:
        own.start()
    except BrokerError as exc:
        unavailable(f"no local Kafka broker for the restart test: {exc}")
    try:
        yield own
    finally:
        own.stop()


@pytest.fixture
def own_stack(broker: LocalBroker, topic_prefix: str, tmp_path: Path) -> Iterator[ServiceSet]:
    with ServiceSet.running(broker.bootstrap, topic_prefix, tmp_path) as services:
        yield services


def test_broker_stopped_and_restarted_while_articles_flow(own_stack: ServiceSet, broker: LocalBroker,
                                                          postgres_url: str) -> None:
    stack = own_stack
    began = time.monotonic()
    stack.create_topics()
    stack.start("worker", "worker")
    stack.start("sink", "sink", NEWSDESK_DATABASE_URL=postgres_url)
    batch = articles(240, tag="broker-restart")
    expected = {a.id for a in batch}
    producer = SteadyProducer(stack.bootstrap, stack.topic("news.articles.raw"), encoded(batch), 4.0).start()
    try:
        stack.wait_for(lambda: len(stored_article_ids(postgres_url)) >= 20, 120, "the first stored events")
        stopped_at = time.monotonic()
        assert broker.stop(), "the broker was not running"
        time.sleep(DOWN_S)
        stack.assert_running()
        broker.start()
        outage = time.monotonic() - stopped_at
        stored_before = len(stored_article_ids(postgres_url))
        back = stack.wait_for(lambda: len(stored_article_ids(postgres_url)) > stored_before, 120,
                              "events stored again after the restart")
        producer.join(timeout=150)
        stack.wait_for(lambda: stored_article_ids(postgres_url) >= expected, 150, "every article stored")
    finally:
        producer.close()
    stack.assert_running()
    assert_exactly_once(postgres_url, expected)
    print(f"broker away {outage:.0f}s; storing again {back:.0f}s after it was back; producer retried "
          f"{producer.retries} sends; {len(expected)} articles stored once; {time.monotonic() - began:.0f}s in all")
