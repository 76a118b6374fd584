"""Creating newsdesk's topics, idempotently, on whatever broker is configured."""

from __future__ import annotations

import asyncio
import logging
import time

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError

from newsdesk import topics as topic_defs

log = logging.getLogger(__name__)

# Kafka's error code for "topic already exists": creating a topic twice is not a failure here.
TOPIC_ALREADY_EXISTS = 36


async def ensure_topics(bootstrap: str, wanted: tuple[topic_defs.Topic, ...] = topic_defs.ALL,
                        timeout: float = 60.0) -> list[str]:
    """Creates the topics that do not exist yet; returns the names it created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)
    deadline = time.monotonic() + timeout
    while True:
        try:
            await admin.start()
            break
        except KafkaConnectionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t.name not in existing]
        if not missing:
            return []
        response = await admin.create_topics(
            [NewTopic(t.name, t.partitions, 1, topic_configs=dict(t.config)) for t in missing]
        )
        created = []
        for name, code, *rest in response.topic_errors:
            if code == 0:
                created.append(name)
            elif code != TOPIC_ALREADY_EXISTS:
                message = rest[0] if rest else ""
                raise RuntimeError(f"could not create topic {name}: error {code} {message}")
        log.info("topics created", extra={"topics": created})
        return created
    finally:
        await admin.close()
