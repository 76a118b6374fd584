"""The deduper agent's batch step: what it publishes, coalesces, re-sends and dead-letters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import orjson
import pytest
from town_stories import bridge_report

from newsdesk.deduper import DedupState
from newsdesk.serde import dumps
from newsdesk.stages import to_extracted
from newsdesk.stream.deduper import apply_batch, combine
from newsdesk.stream.handling import Message
from newsdesk.stream.router import left_behind

NOW = datetime(2031, 3, 12, 9, tzinfo=UTC)

def queued(article: dict, offset: int) -> Message:
    return Message("news.internal.dedup", 0, offset, b"all", dumps(to_extracted(article)))


@pytest.fixture(scope="module")
def stories() -> list[Message]:
    return [queued(bridge_report("a1", "harbourpost", "Gdynia"), 0),
            queued(bridge_report("a2", "baltic-daily", "Gdynia", " after long debate"), 1),
            queued({"id": "b1", "url": "https://harbourpost.example/b1", "source": "harbourpost",
                    "published_at": "2031-03-02", "title": "Flooding closes mountain railway",
                    "body": "Flooding closes mountain railway\n\nHeavy rain flooded the Arlberg railway "
                            "tunnel in Austria on Sunday, operator OeBB said, stranding 400 passengers.\n"}, 2)]


def test_each_changed_event_is_published_once_per_batch_at_its_latest_version(stories) -> None:
    state = DedupState()
    out = apply_batch(state, stories, NOW)
    events = [e for e in out.published.values() if e is not None]
    by_articles = {frozenset(a.id for a in e.articles): e for e in events}
    assert frozenset({"a1", "a2"}) in by_articles, by_articles.keys()
    assert by_articles[frozenset({"a1", "a2"})].version == 2
    assert len(events) == 2 and not out.dead
    # Everything published is in the state the agent saves before publishing.
    for event_id, event in out.published.items():
        assert (state.snapshot(event_id) is None) == (event is None)


def test_a_redelivered_batch_re_sends_current_versions_and_changes_nothing(stories) -> None:
    state = DedupState()
    first = apply_batch(state, stories, NOW)
    again = apply_batch(state, stories, NOW)
    def versions(out):
        return {event_id: e.version for event_id, e in out.published.items() if e}

    assert versions(again) == versions(first)


def test_poison_in_a_batch_is_dead_lettered_and_the_rest_merges(stories) -> None:
    state = DedupState()
    poison = Message("news.internal.dedup", 0, 9, b"bad", orjson.dumps({"id": "no-text"}))
    out = apply_batch(state, [stories[0], poison, stories[2]], NOW)
    assert [key for key, _ in out.dead] == [b"bad"]
    assert out.dead[0][1].stage == "deduper"
    assert sorted(a.id for e in out.published.values() if e for a in e.articles) == ["a1", "b1"]


def test_state_restored_from_what_was_saved_continues_with_higher_versions(stories) -> None:
    state = DedupState()
    first = apply_batch(state, stories[:1], NOW)
    snaps = [state.snapshot(event_id) for event_id in first.published]
    restored = DedupState.restore(snaps)
    later = apply_batch(restored, stories[1:2], NOW)
    (event,) = [e for e in later.published.values() if e]
    assert event.version > max(e.version for e in first.published.values() if e)


def test_after_a_restore_the_first_batch_publishes_the_latest_changes_again(stories) -> None:
    # The worker was killed after saving these events but perhaps before publishing them.
    state = DedupState()
    first = apply_batch(state, stories, NOW)
    snapshots = [orjson.loads(orjson.dumps(state.snapshot(e))) for e in state.clusters]
    restored = DedupState.restore(snapshots)
    redelivered = apply_batch(restored, stories[2:], NOW)
    assert {e: ev.version for e, ev in redelivered.published.items() if ev} == \
        {e: ev.version for e, ev in first.published.items() if ev}
    # Only once: the next batch publishes just what it changes.
    assert list(apply_batch(restored, stories[2:], NOW).published) == [restored.event_of_article["b1"]]


def test_outcomes_merged_one_by_one_combine_like_one_batch(stories) -> None:
    one_by_one, together = DedupState(), DedupState()
    messages = [*stories, Message("news.internal.dedup", 0, 3, b"all", b"{not json")]
    combined = combine([apply_batch(one_by_one, [m], NOW) for m in messages])
    batch = apply_batch(together, messages, NOW)
    assert list(combined.published) == list(batch.published)
    assert {k: e and (e.version, len(e.articles)) for k, e in combined.published.items()} == \
        {k: e and (e.version, len(e.articles)) for k, e in batch.published.items()}
    assert [key for key, _ in combined.dead] == [key for key, _ in batch.dead] == [b"all"]


def retyped(message: Message, kind: str) -> Message:
    article = orjson.loads(message.value)
    for event in article["events"]:
        event["type"] = kind
    return replace(message, value=orjson.dumps(article))


def test_a_change_of_type_names_the_type_left_for_its_topic_to_be_tombstoned(stories) -> None:
    state = DedupState()
    first, second = retyped(stories[0], "statement"), retyped(stories[1], "meeting")
    third = retyped(queued(bridge_report("a3", "port-news", "Gdynia", " by 31 votes"), 3), "meeting")
    outcomes = [apply_batch(state, [m], NOW) for m in (first, second, third)]
    event_id = state.event_of_article["a1"]
    assert state.event_of_article["a3"] == event_id, "the three reports are one event"
    assert [o.published[event_id].type for o in outcomes] == ["statement", "statement", "meeting"]
    assert [o.left for o in outcomes] == [{}, {}, {event_id: ["statement"]}]
    assert state.retyped == {}  # drained
    # A flush publishing the last version only still tombstones every type the event left.
    assert combine(outcomes).left == {event_id: ["statement"]}
    assert left_behind(outcomes[-1].published[event_id], ["statement"]) == ["news.events.statement"]


def test_left_behind_names_each_earlier_type_once_and_never_the_current_one() -> None:
    meeting = SimpleNamespace(type="meeting")
    assert left_behind(meeting, ["meeting", "statement", "statement"]) == ["news.events.statement"]
    assert left_behind(None, ["statement"]) == []  # a tombstone goes to every type topic anyway
    assert left_behind(meeting, ["no-such-type"]) == []
