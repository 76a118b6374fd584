"""The worker: a Faust app running the cleaner, extractor, deduper and router agents.

Each agent reads one topic, calls its stage's pure function through `handling.handle`, and
writes the result (or a dead letter) onward. Delivery is at-least-once: Faust flushes what an
agent produced before it commits the offsets it read, and every stage is idempotent, so a
record replayed after a crash changes nothing downstream.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faust
import orjson

from newsdesk import topics
from newsdesk.cleaner import clean
from newsdesk.deduper import DedupState, merge
from newsdesk.deduper.core import expire
from newsdesk.extractor import extract
from newsdesk.records import CleanArticle, ExtractedArticle, RawArticle
from newsdesk.serde import dumps
from newsdesk.stream.handling import Message, handle

log = logging.getLogger(__name__)

STAGES = ("cleaner", "extractor", "deduper", "router")
#: How often aged-out events leave the deduper's state.
EXPIRY_INTERVAL_S = float(os.environ.get("NEWSDESK_EXPIRY_INTERVAL_S", "600"))


def app_id(stages: Iterable[str]) -> str:
    # Workers running the same stages share one consumer group and split its partitions.
    chosen = sorted(set(stages))
    return topics.group("newsdesk" if chosen == sorted(STAGES) else "newsdesk-" + "-".join(chosen))


def create_app(bootstrap: str, stages: Iterable[str], datadir: Path, store: str = "memory://") -> faust.App:
    stages = set(stages)
    unknown = stages - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)}")
    app = faust.App(
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
        producer_max_request_size=32 * 1024 * 1024,
        broker_commit_every=200,
        broker_commit_interval=1.0,
        web_enabled=False,
        table_standby_replicas=0,
        stream_wait_empty=False,
    )

    def topic(t: topics.Topic) -> faust.TopicT:
        return app.topic(t.name, key_type=bytes, value_type=bytes, partitions=t.partitions,
                         key_serializer="raw", value_serializer="raw")

    deadletters = topic(topics.DEADLETTER)

    async def run(stage: str, stream: Any, model: type, fn: Any, outputs: Any) -> None:
        async for event in stream.events():
            msg = event.message
            message = Message(msg.topic, msg.partition, msg.offset, msg.key, event.value)
            outcome = handle(stage, message, model, fn)
            if outcome.dead is not None:
                await deadletters.send(key=msg.key, value=dumps(outcome.dead))
            else:
                await outputs(outcome.result)

    if "cleaner" in stages:
        clean_out = topic(topics.CLEAN)

        @app.agent(topic(topics.RAW), name="cleaner", concurrency=1)
        async def cleaner(stream: Any) -> None:
            async def emit(article: CleanArticle) -> None:
                await clean_out.send(key=article.id.encode(), value=dumps(article))

            await run("cleaner", stream, RawArticle, clean, emit)

    if "extractor" in stages:
        extracted_out = topic(topics.EXTRACTED)
        dedup_queue = topic(topics.DEDUP_QUEUE)

        @app.agent(topic(topics.CLEAN), name="extractor", concurrency=1)
        async def extractor(stream: Any) -> None:
            async def emit(article: ExtractedArticle) -> None:
                value = dumps(article)
                await extracted_out.send(key=article.id.encode(), value=value)
                await dedup_queue.send(key=b"all", value=value)

            await run("extractor", stream, CleanArticle, extract, emit)

    if "deduper" in stages:
        register_deduper(app, topic, deadletters)
    if "router" in stages:
        from newsdesk.stream.router import register_router

        register_router(app, topic)
    return app


def register_deduper(app: faust.App, topic: Any, deadletters: Any) -> None:
    events_out = topic(topics.EVENTS)
    # Changelog-backed: a restarted or newly assigned worker replays it to get the state back.
    table = app.Table("dedup-events", default=None, partitions=topics.DEDUP_QUEUE.partitions,
                      key_type=bytes, value_type=bytes)
    holder: dict[str, DedupState | None] = {"state": None}

    @app.on_partitions_revoked.connect
    async def forget(app: faust.App, revoked: Any, **kwargs: Any) -> None:
        # The table may be handed to another worker; rebuild from it after the next assignment.
        holder["state"] = None

    def current() -> DedupState:
        if holder["state"] is None:
            holder["state"] = DedupState.restore(orjson.loads(v) for v in table.values() if v)
            log.info("dedup state restored", extra={"events": len(table)})
        return holder["state"]

    def save(state: DedupState, event_ids: Iterable[str]) -> None:
        for event_id in event_ids:
            snap = state.snapshot(event_id)
            key = event_id.encode()
            if snap is None:
                table.pop(key, None)
            else:
                table[key] = orjson.dumps(snap)

    @app.agent(topic(topics.DEDUP_QUEUE), name="deduper", concurrency=1)
    async def deduper(stream: Any) -> None:
        async for event in stream.events():
            msg = event.message
            state = current()

            def step(article: ExtractedArticle, state: DedupState = state) -> list[Any]:
                changed = merge(state, article, datetime.now(UTC))
                if not changed:
                    # Redelivered after a crash: the state has the article, but the event may
                    # never have left. Sending its current version again is harmless.
                    again = state.event_for(article.id)
                    changed = [again] if again is not None else []
                return changed

            outcome = handle("deduper", Message(msg.topic, msg.partition, msg.offset, msg.key, event.value),
                             ExtractedArticle, step)
            if outcome.dead is not None:
                await deadletters.send(key=msg.key, value=dumps(outcome.dead))
                continue
            retired = list(state.retired)
            state.retired.clear()
            save(state, [e.event_id for e in outcome.result or []] + retired)
            for changed_event in outcome.result or []:
                await events_out.send(key=changed_event.event_id.encode(), value=dumps(changed_event))
            for event_id in retired:
                # A tombstone: compaction drops the merged-away event, the sink deletes it.
                await events_out.send(key=event_id.encode(), value=None)

    @app.timer(interval=EXPIRY_INTERVAL_S)
    async def age_out() -> None:
        state = holder["state"]
        if state is None:
            return
        gone = expire(state, datetime.now(UTC))
        save(state, gone)
        if gone:
            log.info("events aged out of dedup state", extra={"count": len(gone)})


def logging_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "newsdesk.logs.JsonFormatter", "service": "worker"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {name: {"level": "WARNING"} for name in ("aiokafka", "faust", "mode", "kafka")},
    }


def run_worker(bootstrap: str, stages: Iterable[str], datadir: Path, store: str = "memory://",
               loglevel: str = "INFO") -> None:
    from faust.worker import Worker

    datadir.mkdir(parents=True, exist_ok=True)
    app = create_app(bootstrap, stages, datadir, store)
    worker = Worker(app, loglevel=loglevel, logging_config=logging_config(loglevel), quiet=True,
                    redirect_stdouts=False)
    worker.execute_from_commandline()
