"""The router: copies each merged event onto a topic of its type (news.events.meeting, ...).

For consumers that want one kind of event without reading them all. The per-type topics are
compacted like news.events and keyed the same way. A tombstone carries no type, so it is sent
to every per-type topic: whichever one held the merged-away event drops it on compaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, get_args

import faust

from newsdesk import topics
from newsdesk.records import Event, EventType
from newsdesk.serde import BadRecord, loads

log = logging.getLogger(__name__)

EVENT_TYPES: tuple[str, ...] = get_args(EventType)


def route(event: Event) -> str:
    """The per-type topic name of an event (honours NEWSDESK_TOPIC_PREFIX)."""
    return topics.events_of_type(event.type).name


def register_router(app: faust.App, topic_factory: Callable[[topics.Topic], Any]) -> None:
    """Define the `router` agent on app: news.events in, news.events.<type> out."""
    outputs = {t.name: topic_factory(t) for t in map(topics.events_of_type, EVENT_TYPES)}

    @app.agent(topic_factory(topics.EVENTS), name="router", concurrency=1)
    async def router(stream: Any) -> None:
        async for record in stream.events():
            msg = record.message
            if record.value is None:
                for out in outputs.values():
                    await out.send(key=msg.key, value=None, force=True)
                continue
            try:
                event = loads(record.value, Event)
            except BadRecord as exc:
                # The sink dead-letters bad events already; the router only skips them.
                log.warning("router skipped a bad event", extra={"error": str(exc)[:200], "offset": msg.offset})
                continue
            await outputs[route(event)].send(key=msg.key, value=record.value, force=True)
