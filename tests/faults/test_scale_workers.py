"""Workers scaled 1 -> 3 -> 1 while articles flow: partitions move twice (the deduper's state
stays where its partition stays), the scaled-down workers stop cleanly on SIGTERM, and every
article is stored once."""

from __future__ import annotations

import signal
import time

import pytest
from faultkit import (
    ServiceSet,
    SteadyProducer,
    articles,
    assert_exactly_once,
    encoded,
    group_members,
    stored_article_ids,
)

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow, pytest.mark.fault]

# Every rebalance step in the logs: when this test fails, the timeline of the three workers is there.
WORKER = ("worker", "--framework-loglevel", "INFO")


def test_scale_workers_1_3_1_while_articles_flow(stack: ServiceSet, postgres_url: str) -> None:
    began = time.monotonic()
    group = stack.topic("newsdesk")  # the worker's consumer group (Faust app id)
    stack.create_topics()
    stack.start("worker-1", *WORKER)
    stack.start("sink", "sink", NEWSDESK_DATABASE_URL=postgres_url)
    batch = articles(300, tag="scale")
    expected = {a.id for a in batch}
    producer = SteadyProducer(stack.bootstrap, stack.topic("news.articles.raw"), encoded(batch), 4.0).start()
    try:
        stack.wait_for(lambda: len(stored_article_ids(postgres_url)) >= 10, 120, "the first stored events")
        stack.start("worker-2", *WORKER)
        stack.start("worker-3", *WORKER)
        up = stack.wait_for(lambda: group_members(stack.bootstrap, group) == 3, 240, "three workers in the group")
        stored_at_3 = len(stored_article_ids(postgres_url))
        stack.wait_for(lambda: len(stored_article_ids(postgres_url)) >= stored_at_3 + 20, 90,
                       "articles stored by three workers")
        codes = [stack.stop("worker-3", signal.SIGTERM), stack.stop("worker-2", signal.SIGTERM)]
        down = stack.wait_for(lambda: group_members(stack.bootstrap, group) == 1, 90, "one worker left in the group")
        producer.join(timeout=120)
        stack.wait_for(lambda: stored_article_ids(postgres_url) >= expected, 150, "every article stored")
    finally:
        producer.close()
    stack.assert_running()
    assert codes == [0, 0], f"workers stopped by SIGTERM exited with {codes}\n{stack.log_tail()}"
    assert_exactly_once(postgres_url, expected)
    # Assignment is sticky: worker-1 kept the deduper's one partition through both rebalances,
    # and carried on with the state it had instead of rebuilding it from the table.
    assert "dedup state kept across the rebalance" in stack.log("worker-1"), stack.log_tail("worker-1")
    print(f"3 workers after {up:.0f}s, back to 1 after {down:.0f}s; {len(expected)} articles stored once; "
          f"{time.monotonic() - began:.0f}s in all")
