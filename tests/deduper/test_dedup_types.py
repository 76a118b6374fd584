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
    assert (snapshot["type"], snapshot["left_type"]) == ("meeting", "statement")


def test_an_event_that_keeps_its_type_notes_nothing(F) -> None:
    state = DedupState()
    versions, retyped = merged_with_retyped(state, [F.SUMMIT_1, F.SUMMIT_2, F.SUMMIT_3])
    assert {v.type for v in versions} == {"meeting"}
    assert retyped == {}
    assert state.snapshot(versions[-1].event_id)["left_type"] is None


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


def test_snapshots_from_before_types_were_kept_restore_and_note_nothing(F) -> None:
    state = DedupState()
    versions, _ = merged_with_retyped(state, [typed(F.SUMMIT_1, "statement"), F.SUMMIT_2, F.SUMMIT_3])
    event_id = versions[-1].event_id
    old = {k: v for k, v in json.loads(json.dumps(state.snapshot(event_id))).items() if k not in ("type", "left_type")}
    restored = DedupState.restore([old])
    assert event_id in restored.republish
    assert restored.retyped == {}  # the type it left is unknown: nothing to tombstone
    assert restored.event(event_id).type == "meeting"
    assert restored.clusters[event_id].type == "meeting"  # known from this version on
