"""PostgreSQL unreachable for 30 s while articles flow: the sink keeps its batch, says why in
its log, reconnects by itself when the database is back, and stores everything exactly once."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from faultkit import (
    CuttableProxy,
    ServiceSet,
    SteadyProducer,
    articles,
    assert_exactly_once,
    encoded,
    stored_article_ids,
)

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow, pytest.mark.fault]

OUTAGE_S = 30


def through(url: str, port: int) -> str:
    parts = urlsplit(url)
    auth = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{auth}@127.0.0.1:{port}" if auth else f"127.0.0.1:{port}"))


def test_postgres_away_for_30_seconds_then_back(stack: ServiceSet, postgres_url: str) -> None:
    began = time.monotonic()
    target = urlsplit(postgres_url)
    with CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432) as proxy:
        db = through(postgres_url, proxy.port)
        stack.create_topics()
        stack.start("worker", "worker")
        stack.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
        batch = articles(240, tag="pg-outage")
        expected = {a.id for a in batch}
        # 4 articles/s for a minute: the outage falls in the middle of the stream.
        producer = SteadyProducer(stack.bootstrap, stack.topic("news.articles.raw"), encoded(batch), 4.0).start()
        try:
            stack.wait_for(lambda: len(stored_article_ids(postgres_url)) >= 20, 120, "the first stored events")
            proxy.cut()
            cut_at = time.monotonic()
            stored_before = len(stored_article_ids(postgres_url))
            time.sleep(OUTAGE_S)
            assert "storage write failed; retrying" in stack.log("sink"), stack.log_tail("sink")
            stack.assert_running()
            proxy.restore()
            back = stack.wait_for(lambda: stored_article_ids(postgres_url) > set() and
                                  len(stored_article_ids(postgres_url)) > stored_before, 60,
                                  "the sink storing again after the outage")
            producer.join(timeout=120)
            stack.wait_for(lambda: stored_article_ids(postgres_url) >= expected, 120, "every article stored")
        finally:
            producer.close()
        stack.assert_running()
        assert_exactly_once(postgres_url, expected)
    print(f"outage {OUTAGE_S}s from {cut_at - began:.0f}s; storing again {back:.0f}s after it ended; "
          f"{len(expected)} articles stored once; {time.monotonic() - began:.0f}s in all")
