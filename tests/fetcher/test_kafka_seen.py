"""The seen-set in a compacted topic survives a restart (on the real test broker)."""

import uuid

import pytest

from newsdesk.fetcher.seen import KafkaSeenSet, SeenEntry

pytestmark = [pytest.mark.kafka]


async def test_a_restarted_replica_knows_what_was_published(kafka_bootstrap):
    BOOTSTRAP = kafka_bootstrap
    topic = f"test.fetcher.seen.{uuid.uuid4().hex[:8]}"
    async with KafkaSeenSet(BOOTSTRAP, topic=topic) as first:
        await first.put("https://e.org/a", SeenEntry("hash-a", "item-a"))
        await first.put("https://e.org/a", SeenEntry("hash-a2", "item-a2"))  # later value wins
        await first.put("file:x.txt", SeenEntry("hash-x"))
    try:
        async with KafkaSeenSet(BOOTSTRAP, topic=topic) as second:  # a restart, or another replica
            assert await second.get("https://e.org/a") == SeenEntry("hash-a2", "item-a2")
            assert await second.get("file:x.txt") == SeenEntry("hash-x", None)
            assert await second.get("https://e.org/never") is None
    finally:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
        await admin.start()
        try:
            await admin.delete_topics([topic])
        finally:
            await admin.close()
