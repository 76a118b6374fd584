"""A poison record on every topic the pipeline reads: each is dead-lettered by the stage that
read it, with the reason and the original bytes, and every good article is still stored once."""

from __future__ import annotations

import base64
import time

import orjson
import pytest
from faultkit import ServiceSet, articles, assert_exactly_once, encoded, stored_article_ids

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow, pytest.mark.fault]

NUL_EVENT = orjson.dumps({"event_id": "nul-title", "version": 1, "title": "Harbour\u0000 reopens",
                          "first_seen": "2024-06-01T07:00:00+00:00", "updated_at": "2024-06-01T07:00:00+00:00"})

# (topic, poison value, stage that must dead-letter it, error_type, words the error must contain)
POISON = [
    ("news.articles.raw", b"{not json", "cleaner", "invalid_json", "not valid JSON"),
    ("news.articles.raw", None, "cleaner", "empty", "no value"),
    ("news.articles.clean", orjson.dumps({"id": "clean-without-text"}), "extractor", "invalid_record", "text"),
    ("news.internal.dedup", orjson.dumps({"id": "x", "text": ["not", "a", "string"]}), "deduper", "invalid_record",
     "text"),
    ("news.events", orjson.dumps({"event_id": "v0", "version": 0}), "sink", "invalid_record", "version"),
    # Valid on the topic, but PostgreSQL cannot store a NUL: refused for good, so dead-lettered.
    ("news.events", NUL_EVENT, "sink", "rejected_by_store", "PostgreSQL refused"),
]
#: Read by subscribers only, no newsdesk stage: a poison record there must simply not disturb the rest.
UNREAD = [("news.articles.extracted", b"\x00\xff not a record")]


def test_poison_on_every_topic_is_dead_lettered_and_the_rest_flows(stack: ServiceSet, postgres_url: str) -> None:
    began = time.monotonic()
    stack.create_topics()
    stack.start("worker", "worker")
    stack.start("sink", "sink", NEWSDESK_DATABASE_URL=postgres_url)
    good = articles(30, tag="poison")
    expected = {a.id for a in good}
    stack.produce("news.articles.raw", encoded(good[:15]))
    for i, (topic, value, *_) in enumerate(POISON + [(t, v, None, None, None) for t, v in UNREAD]):
        stack.produce(topic, [(f"poison-{i}".encode() if topic != "news.internal.dedup" else b"all", value)])
    stack.produce("news.articles.raw", encoded(good[15:]))

    stack.wait_for(lambda: stored_article_ids(postgres_url) >= expected, 150, "every good article stored")
    letters = stack.consume_all("news.deadletter", expect=len(POISON), timeout=60)
    stack.assert_running()
    assert_exactly_once(postgres_url, expected)

    assert len(letters) == len(POISON), [(d["stage"], d["error"][:80]) for d in letters]
    by_original = {(d["topic"], base64.b64decode(d["original"])): d for d in letters}
    for topic, value, stage, kind, words in POISON:
        letter = by_original[(stack.topic(topic), value or b"")]
        assert (letter["stage"], letter["error_type"]) == (stage, kind), letter
        assert words in letter["error"], letter["error"]
    print(f"poison on {len(POISON) + len(UNREAD)} topics: {len(letters)} dead letters, "
          f"{len(expected)} articles stored once, {time.monotonic() - began:.0f}s")
