"""Worker and sink as real processes on a real broker: flow, dead letters, kill -9."""

from __future__ import annotations

import base64
import random
import time
from collections import Counter

import orjson
import pytest
from town_stories import articles, bridge_report

from newsdesk.records import RawArticle
from newsdesk.serde import dumps
from newsdesk.stages import to_extracted
from newsdesk.stream.router import EVENT_TYPES

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

def produce_articles(pipeline, items: list[RawArticle]) -> None:
    pipeline.produce("news.articles.raw", [(a.id.encode(), orjson.dumps(a.model_dump(mode="json"))) for a in items])


def article_counts(events) -> Counter:
    return Counter(a.id for e in events for a in e.articles)


def each_stored_once(pipeline, db: str, expected: set[str]) -> bool:
    """Every expected article in exactly one stored event.

    Checked as a whole because an article moved by a merge briefly shows in two events: the
    merged event and the tombstone of the one merged away travel on different partitions.
    """
    counts = article_counts(pipeline.events(db))
    return set(counts) == expected and max(counts.values()) == 1


def stored_once_gaps(pipeline, db: str, expected: set[str]) -> str:
    """What keeps `each_stored_once` false: articles missing, stored twice, or not expected."""
    counts = article_counts(pipeline.events(db))
    missing = sorted(expected - set(counts))
    twice = sorted(k for k, n in counts.items() if n > 1)
    extra = sorted(set(counts) - expected)
    return f"missing {missing[:20]} ({len(missing)}), stored twice {twice[:20]} ({len(twice)}), unexpected {extra[:20]}"


def test_records_flow_to_storage_and_poison_goes_to_dead_letters(pipeline, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("worker", "worker")
    pipeline.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
    good = articles(12)
    poison = [
        (b"p1", b"{not json"),
        (b"p2", b"\xff\xfe invalid utf-8"),
        (b"p3", orjson.dumps({"id": "no-body"})),
        (b"p4", orjson.dumps({"id": "pdf", "body": "x", "content_type": "application/pdf"})),
    ]
    produce_articles(pipeline, good[:6])
    pipeline.produce("news.articles.raw", poison)
    produce_articles(pipeline, good[6:])
    # Poison on the events topic too: the sink dead-letters it and keeps storing the rest.
    pipeline.produce("news.events", [(b"bad-event", orjson.dumps({"event_id": "x", "version": 0}))])
    expected = {a.id for a in good}
    pipeline.wait_for(lambda: each_stored_once(pipeline, db, expected), 180, "all articles stored once",
                      explain=lambda: stored_once_gaps(pipeline, db, expected))

    counts = article_counts(pipeline.events(db))
    assert all(n == 1 for n in counts.values()), counts
    letters = pipeline.consume_all("news.deadletter", expect=len(poison) + 1)
    by_original = {base64.b64decode(d["original"]): d for d in letters}
    assert set(by_original) == {value for _, value in poison} | {orjson.dumps({"event_id": "x", "version": 0})}
    sink_letter = by_original.pop(orjson.dumps({"event_id": "x", "version": 0}))
    assert sink_letter["stage"] == "sink" and "version" in sink_letter["error"]
    letters = list(by_original.values())
    assert by_original[b"{not json"]["error_type"] == "invalid_json"
    assert by_original[b"\xff\xfe invalid utf-8"]["error_type"] == "invalid_utf8"
    assert "body" in by_original[orjson.dumps({"id": "no-body"})]["error"]
    assert all(d["stage"] == "cleaner" and d["topic"].endswith("news.articles.raw") for d in letters)
    # The worker kept running through all of it.
    assert pipeline.processes["worker"].poll() is None
    # The router's copies, made here by the deduper.
    wait_for_type_copies(pipeline, db)


def test_the_deduper_runs_and_recovers_on_the_rocksdb_store(pipeline, tmp_path) -> None:
    pytest.importorskip("rocksdict")
    db = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
    worker = ("worker", "--store", "rocksdb://")
    pipeline.start("worker", *worker, "--datadir", str(tmp_path / "w1"))
    batch = articles(90)
    produce_articles(pipeline, batch[:45])
    first = {a.id for a in batch[:45]}
    pipeline.wait_for(lambda: each_stored_once(pipeline, db, first), 180, "the first half stored",
                      explain=lambda: stored_once_gaps(pipeline, db, first))
    pipeline.kill("worker")
    # A new data directory: the restarted worker reads its state back from the changelog.
    pipeline.start("worker-restarted", *worker, "--datadir", str(tmp_path / "w2"))
    produce_articles(pipeline, batch[45:])
    expected = {a.id for a in batch}
    pipeline.wait_for(lambda: each_stored_once(pipeline, db, expected), 180, "every article stored once",
                      explain=lambda: stored_once_gaps(pipeline, db, expected))
    assert "dedup state restored" in pipeline.log("worker-restarted")


def test_an_event_that_changes_type_leaves_the_old_type_topic(pipeline, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("worker", "worker")
    pipeline.start("sink", "sink", NEWSDESK_DATABASE_URL=db)

    def queue(article_id: str, outlet: str, kind: str, suffix: str = "") -> None:
        # Straight onto the deduper's queue: the type is the test's, not the extractor's.
        article = to_extracted(bridge_report(article_id, outlet, "Gdynia", suffix))
        article.events = [e.model_copy(update={"type": kind}) for e in article.events]
        pipeline.produce("news.internal.dedup", [(b"all", dumps(article))])

    queue("t1", "harbourpost", "statement")
    pipeline.wait_for(lambda: [e.type for e in pipeline.events(db)] == ["statement"], 120, "the first version")
    queue("t2", "baltic-daily", "meeting", " after long debate")
    queue("t3", "port-news", "meeting", " by 31 votes")
    pipeline.wait_for(lambda: [(e.type, len(e.articles)) for e in pipeline.events(db)] == [("meeting", 3)], 120,
                      "the event as a meeting", explain=lambda: str(pipeline.events(db)))
    (event,) = pipeline.events(db)
    # The tombstone follows the new version, which the sink may store first: waited for, too.
    pipeline.wait_for(lambda: dict(pipeline.records("news.events.statement")).get(event.event_id.encode(), b"") is None,
                      60, "the tombstone on news.events.statement")
    wait_for_type_copies(pipeline, db)


def test_a_router_of_its_own_copies_events_by_type(pipeline, tmp_path) -> None:
    # Sharing a worker, the deduper makes the per-type copies; apart, the router agent does.
    db = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("worker", "worker", "--stage", "cleaner", "--stage", "extractor", "--stage", "deduper")
    pipeline.start("router", "worker", "--stage", "router")
    pipeline.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
    batch = articles(8)
    produce_articles(pipeline, batch)
    expected = {a.id for a in batch}
    pipeline.wait_for(lambda: each_stored_once(pipeline, db, expected), 180, "all articles stored once",
                      explain=lambda: stored_once_gaps(pipeline, db, expected))
    wait_for_type_copies(pipeline, db, stale=False)


def wait_for_type_copies(pipeline, db: str, stale: bool = True) -> None:
    """Each stored event's version on its type's topic, each tombstone on every type topic, and
    (unless `stale` is allowed: a router in a worker of its own cannot know an event's old type)
    no live copy of an event on the topic of a type it no longer has."""
    pipeline.wait_for(lambda: not missing_type_copies(pipeline, pipeline.events(db)), 90,
                      "the per-type copies", explain=lambda: str(missing_type_copies(pipeline, pipeline.events(db))))
    pipeline.wait_for(lambda: not untombstoned_copies(pipeline), 60, "the per-type tombstones",
                      explain=lambda: str(untombstoned_copies(pipeline)))
    if stale:
        def left_over() -> list[str]:
            return stale_type_copies(pipeline, pipeline.events(db))

        pipeline.wait_for(lambda: not left_over(), 60, "no copy under a type left", explain=lambda: str(left_over()))


def stale_type_copies(pipeline, events) -> list[str]:
    """Stored events whose latest record on another type's topic is a live copy."""
    stored = {e.event_id.encode(): e.type for e in events}
    return [f"{key!r} ({stored[key]}) on {kind}" for kind in EVENT_TYPES
            for key, value in dict(pipeline.records(f"news.events.{kind}")).items()
            if value is not None and stored.get(key, kind) != kind]


def untombstoned_copies(pipeline) -> list[str]:
    """Events deleted on news.events whose last record on a per-type topic is not a tombstone."""
    deleted = {k for k, v in dict(pipeline.records("news.events")).items() if v is None}
    if not deleted:
        return []
    return [f"{key!r} on {kind}" for kind in EVENT_TYPES
            for key, value in dict(pipeline.records(f"news.events.{kind}")).items()
            if key in deleted and value is not None]


def missing_type_copies(pipeline, events) -> list[str]:
    """Stored events whose latest record on news.events.<type> is not their stored version."""
    missing = []
    for kind in {e.type for e in events}:
        latest = dict(pipeline.records(f"news.events.{kind}"))
        for event in (e for e in events if e.type == kind):
            value = latest.get(event.event_id.encode())
            if value is None or orjson.loads(value)["version"] != event.version:
                missing.append(f"{event.event_id} v{event.version} ({kind})")
    return missing


def test_kill_9_worker_mid_stream_loses_and_duplicates_nothing(pipeline, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
    pipeline.start("worker", "worker")
    batch = articles(240)
    expected = {a.id for a in batch}
    produce_articles(pipeline, batch[:100])
    pipeline.wait_for(lambda: len(article_counts(pipeline.events(db))) >= 10, 180, "the first events")
    pipeline.kill("worker")  # SIGKILL: no clean shutdown, no final commit
    produce_articles(pipeline, batch[100:180])
    time.sleep(1)
    pipeline.start("worker-restarted", "worker")
    # Killed again while it catches up, so the second restart begins from a state the first
    # restart wrote.
    pipeline.wait_for(lambda: len(article_counts(pipeline.events(db))) >= 110, 240, "the restarted worker's events")
    pipeline.kill("worker-restarted")
    produce_articles(pipeline, batch[180:])
    pipeline.start("worker-restarted-again", "worker")
    pipeline.wait_for(lambda: each_stored_once(pipeline, db, expected), 240, "every article stored once",
                      explain=lambda: stored_once_gaps(pipeline, db, expected))

    events = pipeline.events(db)
    counts = article_counts(events)
    assert set(counts) == expected
    assert max(counts.values()) == 1, [k for k, v in counts.items() if v > 1]
    assert len({e.event_id for e in events}) == len(events)


def test_kill_9_eight_times_at_random_moments_loses_and_duplicates_nothing(pipeline, tmp_path) -> None:
    # Each kill lands somewhere else: mid-flush in the deduper (a regrouping half written), between
    # a stage's output and its commit, during a restart's recovery. Seeded, so a failure reruns.
    rng = random.Random(3)
    db = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
    batch = articles(480)
    expected = {a.id for a in batch}
    worker = "worker-0"
    pipeline.start(worker, "worker")
    for k in range(8):
        produce_articles(pipeline, batch[k * 60:(k + 1) * 60])
        least = 20 + 50 * k
        pipeline.wait_for(lambda least=least: len(article_counts(pipeline.events(db))) >= least, 240,
                          f"{least} articles stored")
        time.sleep(rng.uniform(0, 2.5))
        pipeline.kill(worker)
        worker = f"worker-{k + 1}"
        pipeline.start(worker, "worker")
    pipeline.wait_for(lambda: each_stored_once(pipeline, db, expected), 300, "every article stored once",
                      explain=lambda: stored_once_gaps(pipeline, db, expected))
