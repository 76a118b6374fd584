"""Every topic newsdesk uses, with its settings: the one place to change them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import get_args

from newsdesk.records import EventType

#: Prepended to every topic and consumer group name: lets several pipelines (or test runs)
#: share one cluster without seeing each other's records.
PREFIX = os.environ.get("NEWSDESK_TOPIC_PREFIX", "")

#: Partitions for new topics; >= the largest worker count you plan to run (`--scale worker=N`).
DEFAULT_PARTITIONS = int(os.environ.get("NEWSDESK_PARTITIONS", "6"))


@dataclass(frozen=True)
class Topic:
    base: str
    record: str  # key into newsdesk.records.RECORD_TYPES; names the schema file too
    partitions: int = DEFAULT_PARTITIONS
    config: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return PREFIX + self.base


def group(name: str) -> str:
    """A consumer group (or Faust app id) name in this pipeline's namespace."""
    return PREFIX + name


RAW = Topic("news.articles.raw", "raw-article")
CLEAN = Topic("news.articles.clean", "clean-article")
EXTRACTED = Topic("news.articles.extracted", "extracted-article")
# Compacted: subscribers that start late still get the latest version of every event.
EVENTS = Topic(
    "news.events",
    "event",
    config={"cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.1", "segment.ms": "600000"},
)
DEADLETTER = Topic("news.deadletter", "dead-letter", config={"retention.ms": str(30 * 24 * 3600 * 1000)})
# Internal: the deduper sees every article on one partition, so one instance holds all
# candidate events at a time (the others stand by and take over on failure).
DEDUP_QUEUE = Topic("news.internal.dedup", "extracted-article", partitions=1)

# Internal, compacted: the fetcher's seen-set (canonical URL -> content hash), read in full by
# every fetcher replica at start; its JSON values are not a records.py model.
SEEN = Topic("news.fetcher.seen", "seen-entry", config={"cleanup.policy": "compact"})


def events_of_type(event_type: str) -> Topic:
    """Per-type copy of news.events written by the router, e.g. news.events.meeting (also compacted)."""
    return Topic(f"{EVENTS.base}.{event_type}", EVENTS.record, config=dict(EVENTS.config))


# Created up front so they are compacted like news.events (Faust would create them plain).
BY_TYPE: tuple[Topic, ...] = tuple(events_of_type(t) for t in get_args(EventType))

PUBLIC: tuple[Topic, ...] = (RAW, CLEAN, EXTRACTED, EVENTS, DEADLETTER)
ALL: tuple[Topic, ...] = (*PUBLIC, DEDUP_QUEUE, SEEN, *BY_TYPE)
BY_NAME = {t.name: t for t in ALL}
