"""The worker: a Faust app running the cleaner, extractor, deduper and router agents.

Each agent reads one topic, calls its stage's pure function through `handling.handle`, and
writes the result (or a dead letter) onward. Delivery is at-least-once: Faust flushes what an
agent produced before it commits the offsets it read, and every stage is idempotent, so a
record replayed after a crash changes nothing downstream. Results are sent at once
(`force=True`) rather than attached to the input's offset, which Faust would only publish at
the next commit: a commit interval of latency added at every stage. With the deduper here, the
router's copies are made by the deduper agent (`stream.router`). Agents read through
`continuity.in_order`, which puts back the records Faust sometimes skips around a rebalance.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import faust

from newsdesk import topics
from newsdesk.cleaner import clean
from newsdesk.extractor import extract
from newsdesk.records import CleanArticle, ExtractedArticle, RawArticle
from newsdesk.serde import dumps
from newsdesk.stream.continuity import broker_reader, guard_offsets, in_order
from newsdesk.stream.deduper import register_deduper
from newsdesk.stream.handling import Message, handle
from newsdesk.stream.transport import App

log = logging.getLogger(__name__)

STAGES = ("cleaner", "extractor", "deduper", "router")


def app_id(stages: Iterable[str]) -> str:
    # Workers running the same stages share one consumer group and split its partitions.
    chosen = sorted(set(stages))
    return topics.group("newsdesk" if chosen == sorted(STAGES) else "newsdesk-" + "-".join(chosen))


def create_app(bootstrap: str, stages: Iterable[str], datadir: Path, store: str = "memory://") -> faust.App:
    stages = set(stages)
    unknown = stages - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)}")
    app = App(
        app_id(stages),
        broker=f"kafka://{bootstrap}",
        store=store,
        datadir=str(datadir),
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=topics.DEFAULT_PARTITIONS,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # Batches the records of several articles into one produce request: at a steady 100
        # articles/s, three runs each way, 7% less CPU in all and p99 2.2-3.4 s against 3.7-5.4 s.
        producer_linger=0.01,
        producer_max_request_size=32 * 1024 * 1024,
        broker_commit_every=200,
        broker_commit_interval=1.0,
        # A worker that dies without leaving (kill -9, lost host) gives its partitions up after
        # this long; Faust's 60 s default would stall its stages for a minute.
        broker_session_timeout=15.0,
        web_enabled=False,
        table_standby_replicas=0,
        stream_wait_empty=False,
    )

    def topic(t: topics.Topic) -> faust.TopicT:
        return app.topic(t.name, key_type=bytes, value_type=bytes, partitions=t.partitions,
                         key_serializer="raw", value_serializer="raw")

    deadletters = topic(topics.DEADLETTER)
    guard = guard_offsets(app)
    read_range = broker_reader(bootstrap)

    async def run(stage: str, stream: Any, model: type, fn: Any, outputs: Any) -> None:
        async for event in in_order(app, stream, guard, read_range):
            msg = event.message
            message = Message(msg.topic, msg.partition, msg.offset, msg.key, event.value)
            outcome = handle(stage, message, model, fn)
            if outcome.dead is not None:
                await deadletters.send(key=msg.key, value=dumps(outcome.dead), force=True)
            else:
                await outputs(outcome.result)

    if "cleaner" in stages:
        clean_out = topic(topics.CLEAN)

        @app.agent(topic(topics.RAW), name="cleaner", concurrency=1)
        async def cleaner(stream: Any) -> None:
            async def emit(article: CleanArticle) -> None:
                await clean_out.send(key=article.id.encode(), value=dumps(article), force=True)

            await run("cleaner", stream, RawArticle, clean, emit)

    if "extractor" in stages:
        extracted_out = topic(topics.EXTRACTED)
        dedup_queue = topic(topics.DEDUP_QUEUE)

        @app.agent(topic(topics.CLEAN), name="extractor", concurrency=1)
        async def extractor(stream: Any) -> None:
            async def emit(article: ExtractedArticle) -> None:
                value = dumps(article)
                await extracted_out.send(key=article.id.encode(), value=value, force=True)
                await dedup_queue.send(key=b"all", value=value, force=True)

            await run("extractor", stream, CleanArticle, extract, emit)

    if "deduper" in stages:
        # With the router here too, the deduper copies what it publishes onto the per-type
        # topics itself: no agent has to read news.events back (see `stream.router`).
        register_deduper(app, topic, deadletters, guard, read_range, route="router" in stages)
    elif "router" in stages:
        from newsdesk.stream.router import register_router

        register_router(app, topic)
    return app


def logging_config(level: str, framework_level: str = "WARNING") -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "newsdesk.logs.JsonFormatter", "service": "worker"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        # Faust and aiokafka are chatty at INFO (every rebalance step): quiet unless asked.
        "loggers": {name: {"level": framework_level} for name in ("aiokafka", "faust", "mode", "kafka")},
    }


def run_worker(bootstrap: str, stages: Iterable[str], datadir: Path, store: str = "memory://",
               loglevel: str = "INFO", framework_loglevel: str = "WARNING") -> None:
    from faust.worker import Worker

    datadir.mkdir(parents=True, exist_ok=True)
    app = create_app(bootstrap, stages, datadir, store)
    worker = Worker(app, loglevel=loglevel, logging_config=logging_config(loglevel, framework_loglevel), quiet=True,
                    redirect_stdouts=False)
    worker.execute_from_commandline()
