"""An event's type follows the majority of its articles: when it changes, the type it left is
noted, so the copy under the old type's topic can be tombstoned (now, and again after a restore)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import pairwise

from newsdesk.deduper import DedupState, merge
from newsdesk.records import ExtractedArticle

NOW = datetime(2031, 3, 12, 9, tzinfo=UTC)


def typed(article: ExtractedArticle, kind: str) -> ExtractedArticle:
    return article.model_copy(update={"events": [e.model_copy(update={"type": kind}) for e in article.events]})


def merged_with_retyped(state: DedupState, articles: list[ExtractedArticle]) -> tuple[list, dict[str, list[str]]]:
    """Every version published and every noted type change, drained after each article as the agent does."""
    versions, retyped = [], {}
    for article in articles:
        versions.extend(merge(state, article, NOW))
        for event_id, kinds in state.retyped.items():
            retyped.setdefault(event_id, []).extend(kinds)
        state.retyped.clear()
    return versions, retyped


def test_an_event_whose_majority_type_changes_notes_the_type_it_left(F) -> None:
    state = DedupState()
    articles = [typed(F.SUMMIT_1, "statement"), F.SUMMIT_2, F.SUMMIT_3]
    versions, retyped = merged_with_retyped(state, articles)
    assert len({v.event_id for v in versions}) == 1, "the three reports are one event"
    kinds = [v.type for v in versions]
    assert kinds[0] == "statement" and kinds[-1] == "meeting"
    event_id = versions[-1].event_id
    # Each change of type is noted once, with the type of the version before it.
    assert retyped == {event_id: [a for a, b in pairwise(kinds) if a != b]}
    snapshot = state.snapshot(event_id)
    assert (snapshot["type"], snapshot["left_types"]) == ("meeting", ["statement"])


def test_an_event_that_keeps_its_type_notes_nothing(F) -> None:
    state = DedupState()
    versions, retyped = merged_with_retyped(state, [F.SUMMIT_1, F.SUMMIT_2, F.SUMMIT_3])
    assert {v.type for v in versions} == {"meeting"}
    assert retyped == {}
    assert state.snapshot(versions[-1].event_id)["left_types"] == []


def test_a_restore_notes_the_left_type_again_with_the_event_it_republishes(F) -> None:
    # A worker killed after saving the new type but before publishing it: the restarted one
    # republishes the event and must tombstone the old type's copy too.
    state = DedupState()
    versions, _ = merged_with_retyped(state, [typed(F.SUMMIT_1, "statement"), F.SUMMIT_2, F.SUMMIT_3])
    event_id = versions[-1].event_id
    restored = DedupState.restore(json.loads(json.dumps(state.snapshot(e))) for e in state.clusters)
    assert event_id in restored.republish
    assert restored.retyped == {event_id: ["statement"]}
    # The restored state knows the type it last published: republishing it notes no new change.
    restored.retyped.clear()
    assert restored.event(event_id).type == "meeting"
    assert restored.retyped == {}


def test_every_type_left_is_remembered_not_just_the_last(F) -> None:
    # Two changes before one publication (one flush): the copy sits under the first type, and a
    # worker killed before publishing must still know to tombstone it after the restore.
    state = DedupState()
    versions, _ = merged_with_retyped(state, [typed(F.SUMMIT_1, "statement")])
    event_id = versions[0].event_id
    merged_with_retyped(state, [typed(F.SUMMIT_2, "arrest"), typed(F.SUMMIT_3, "arrest")])
    merged_with_retyped(state, [typed(F.SUMMIT_2.model_copy(update={"id": "daily-2b", "url": None}), "meeting"),
                                typed(F.SUMMIT_3.model_copy(update={"id": "foreign-3b"}), "meeting"),
                                typed(F.SUMMIT_1.model_copy(update={"id": "wire-1b", "url": None}), "meeting")])
    cluster = state.clusters[event_id]
    assert cluster.type == "meeting" and set(cluster.left_types) == {"statement", "arrest"}
    restored = DedupState.restore(json.loads(json.dumps(state.snapshot(e))) for e in state.clusters)
    assert set(restored.retyped[event_id]) == {"statement", "arrest"}


def test_an_update_in_place_that_changes_the_type_is_noted(F) -> None:
    state = DedupState()
    (first,) = merge(state, typed(F.SUMMIT_1, "statement"), NOW)
    state.retyped.clear()
    retold = typed(F.SUMMIT_1, "meeting").model_copy(update={"text": F.SUMMIT_1.text + "\nTalks resume in May."})
    (second,) = merge(state, retold, NOW)
    assert (second.event_id, second.type) == (first.event_id, "meeting")
    assert state.retyped == {first.event_id: ["statement"]}


def test_a_restored_state_notes_the_next_change_of_type(F) -> None:
    state = DedupState()
    (first,) = merge(state, typed(F.SUMMIT_1, "statement"), NOW)
    restored = DedupState.restore([json.loads(json.dumps(state.snapshot(first.event_id)))])
    restored.retyped.clear()
    for article in (F.SUMMIT_2, F.SUMMIT_3):
        merge(restored, article, NOW)
    assert restored.retyped == {first.event_id: ["statement"]}


def test_snapshots_from_before_types_were_kept_restore_with_the_type_of_their_version(F) -> None:
    state = DedupState()
    (first,) = merge(state, typed(F.SUMMIT_1, "statement"), NOW)
    old = {k: v for k, v in json.loads(json.dumps(state.snapshot(first.event_id))).items()
           if k not in ("type", "left_types")}
    restored = DedupState.restore([old])
    assert restored.clusters[first.event_id].type == "statement"  # its articles' majority
    assert restored.retyped == {}
    for article in (F.SUMMIT_2, F.SUMMIT_3):
        merge(restored, article, NOW)
    # So the first change after an upgrade is not missed.
    assert restored.retyped == {first.event_id: ["statement"]}
