"""The router: copies each merged event onto a topic of its type (news.events.meeting, ...).

For consumers that want one kind of event without reading them all. The per-type topics are
compacted like news.events and keyed the same way. A tombstone carries no type, so it is sent
to every per-type topic: whichever one held the merged-away event drops it on compaction.

An event's type is the majority of its articles' and can change as articles come. When the
deduper runs in the same worker, it makes these copies itself as it publishes (see
`stream.deduper`), and no agent reads news.events back: that read cost the worker a fetch and a
decode of every event version it had just written. The deduper also knows the type an event had
before (`DedupState.version`) and tombstones the copy left on that type's topic. A router run on
its own sees only the new version and cannot: there, an event that changed type stays on its
old type's topic as well, at the version it had when it left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
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


def type_topics(topic_factory: Callable[[topics.Topic], Any]) -> dict[str, Any]:
    """Every per-type topic, by name."""
    return {t.name: topic_factory(t) for t in map(topics.events_of_type, EVENT_TYPES)}


def destinations(event: Event | None) -> list[str]:
    """The per-type topics a version of an event goes to: its type's, or all for a tombstone."""
    if event is None:
        return [topics.events_of_type(t).name for t in EVENT_TYPES]
    return [route(event)]


def left_behind(event: Event | None, earlier_types: Iterable[str]) -> list[str]:
    """The per-type topics to tombstone an event on as this version goes out: those of the types
    its earlier versions had, now that it has another (a tombstone goes to all topics anyway)."""
    if event is None:
        return []
    return [topics.events_of_type(t).name for t in dict.fromkeys(earlier_types)
            if t != event.type and t in EVENT_TYPES]


def register_router(app: faust.App, topic_factory: Callable[[topics.Topic], Any]) -> None:
    """Define the `router` agent on app: news.events in, news.events.<type> out."""
    outputs = type_topics(topic_factory)

    @app.agent(topic_factory(topics.EVENTS), name="router", concurrency=1)
    async def router(stream: Any) -> None:
        async for record in stream.events():
            msg = record.message
            event: Event | None = None
            if record.value is not None:
                try:
                    event = loads(record.value, Event)
                except BadRecord as exc:
                    # The sink dead-letters bad events already; the router only skips them.
                    log.warning("router skipped a bad event", extra={"error": str(exc)[:200], "offset": msg.offset})
                    continue
            for name in destinations(event):
                await outputs[name].send(key=msg.key, value=record.value, force=True)
