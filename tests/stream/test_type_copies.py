"""The per-type topics as a subscriber sees them, through flushes and crashes: each live event on
the topic of its current type only, whatever types it had before.

A model of the deduper agent around the pure parts it runs (`apply_batch`, `combine`,
`write_rounds`, `outgoing`): each flush writes the changelog, then publishes, then acknowledges;
a crash between the changelog and the publication restores the state from the changelog and
gets the flush's articles again. Topics are modelled compacted: the latest value per key.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import orjson
import pytest
from town_stories import bridge_report

from newsdesk.deduper import DedupState
from newsdesk.deduper.write_order import write_rounds
from newsdesk.serde import dumps
from newsdesk.stages import to_extracted
from newsdesk.stream.deduper import apply_batch, combine, outgoing
from newsdesk.stream.handling import Message
from newsdesk.stream.router import EVENT_TYPES
from newsdesk.topics import events_of_type

NOW = datetime(2031, 3, 12, 9, tzinfo=UTC)
KINDS = ["statement", "meeting", "arrest"]
TOWNS = ["Gdynia", "Tromso"]
OUTLETS = ["harbourpost", "baltic-daily", "port-news", "coast-wire", "north-times"]


@pytest.fixture(scope="module")
def reports() -> list:
    return [to_extracted(bridge_report(f"{town[:3]}-{outlet}", outlet, town, f" ({outlet})"))
            for town in TOWNS for outlet in OUTLETS]


def with_type(article, kind: str):
    return article.model_copy(update={"events": [e.model_copy(update={"type": kind}) for e in article.events]})


def run(reports: list, seed: int) -> tuple[DedupState, dict[str, dict[bytes, bytes | None]]]:
    rng = random.Random(seed)
    # Reports in random order with random types; some come again with another type (an update).
    articles = [with_type(rng.choice(reports), rng.choice(KINDS)) for _ in range(30)]
    messages = [Message("news.internal.dedup", 0, i, b"all", dumps(a)) for i, a in enumerate(articles)]
    state, changelog = DedupState(), {}
    topics: dict[str, dict[bytes, bytes | None]] = {}
    done = 0
    while done < len(messages):
        flush = messages[done:done + rng.randint(1, 6)]
        outcome = combine([apply_batch(state, [m], NOW) for m in flush])
        for writes in write_rounds({e: state.snapshot(e) for e in outcome.published}, changelog.get):
            for event_id, snapshot in writes:
                changelog[event_id] = orjson.loads(orjson.dumps(snapshot))
        if rng.random() < 0.25:  # killed before publishing: restart from the changelog
            state = DedupState.restore(s for s in changelog.values() if s is not None)
            continue
        for name, key, value in outgoing(outcome, route=True):
            topics.setdefault(name, {})[key] = value
        done += len(flush)
    return state, topics


@pytest.mark.parametrize("seed", range(40))
def test_each_event_lives_on_the_topic_of_its_type_only(reports, seed: int) -> None:
    state, topics = run(reports, seed)
    for event_id, cluster in state.clusters.items():
        key = event_id.encode()
        for kind in EVENT_TYPES:
            held = topics.get(events_of_type(kind).name, {}).get(key)
            if kind == cluster.type:
                assert held is not None and orjson.loads(held)["type"] == kind, (event_id, kind)
            else:
                assert held is None, f"{event_id} ({cluster.type}) still live on {kind}"
    # Events merged away are gone from every type topic too.
    live = {e.encode() for e in state.clusters}
    assert all(value is None for records in topics.values() for key, value in records.items()
               if key not in live and records is not topics.get("news.events"))


def test_the_model_sees_types_change_and_crashes_happen(reports) -> None:
    # Not a check of the code: of the model. Types must change, or the test above proves nothing.
    changed = 0
    for seed in range(40):
        state, _ = run(reports, seed)
        changed += sum(bool(c.left_types) for c in state.clusters.values())
    assert changed >= 20
