"""State: idempotency, updates, copies, snapshots, expiry, bounds."""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.deduper import DedupConfig, DedupState, expire, merge

NOW = datetime(2031, 3, 12, 9, tzinfo=UTC)


def test_redelivery_of_the_same_article_changes_nothing(F) -> None:
    state = DedupState()
    (first,) = merge(state, F.SUMMIT_1, NOW)
    assert merge(state, F.SUMMIT_1, NOW) == []
    assert merge(state, F.SUMMIT_1.model_copy(), NOW + timedelta(hours=1)) == []
    assert state.snapshot(first.event_id)["version"] == 1
    resend = state.event_for("wire-1")
    assert resend is not None and resend.event_id == first.event_id and resend.version == 1
    assert state.event_for("never-seen") is None


def test_same_id_with_new_content_updates_its_event(F) -> None:
    state = DedupState()
    (first,) = merge(state, F.SUMMIT_1, NOW)
    updated = F.SUMMIT_1.model_copy(update={"title": "UPDATED: " + (F.SUMMIT_1.title or ""),
                                            "text": F.SUMMIT_1.text + "\nThe talks will continue in May."})
    (second,) = merge(state, updated, NOW + timedelta(hours=2))
    assert second.event_id == first.event_id
    assert second.version == 2
    assert [a.id for a in second.articles] == ["wire-1"]
    assert second.articles[0].title.startswith("UPDATED")


def test_wire_copies_and_republished_urls_are_marked_as_duplicates(F) -> None:
    state = DedupState()
    merge(state, F.SUMMIT_1, NOW)
    copy = F.SUMMIT_1.model_copy(update={"id": "copy-1", "outlet": "Reprinter", "url": None})
    (event,) = merge(state, copy, NOW)
    assert {a.id: a.duplicate_of for a in event.articles} == {"wire-1": None, "copy-1": "wire-1"}
    moved = F.SUMMIT_2.model_copy(update={"id": "moved-2", "url": F.SUMMIT_1.url})
    (event,) = merge(state, moved, NOW)
    assert {a.id: a.duplicate_of for a in event.articles}["moved-2"] == "wire-1"


def test_snapshot_restore_round_trip_keeps_clustering_and_versions(F) -> None:
    state = DedupState()
    for article in (F.SUMMIT_1, F.SUMMIT_2, F.UNRELATED):
        merge(state, article, NOW)
    snapshots = [json.loads(json.dumps(state.snapshot(e))) for e in state.clusters]
    restored = DedupState.restore(snapshots)
    assert set(restored.clusters) == set(state.clusters)
    assert merge(restored, F.SUMMIT_2, NOW) == []  # still idempotent after a restart
    (event,) = merge(restored, F.SUMMIT_3, NOW)
    assert event.event_id == state.event_of_article["wire-1"]
    assert event.version == 3
    assert [a.id for a in event.articles] == ["wire-1", "daily-2", "foreign-3"]


def test_expire_drops_events_outside_the_window_and_forgets_them(F) -> None:
    state = DedupState(DedupConfig(window_days=7))
    (old,) = merge(state, F.UNRELATED, NOW)
    (fresh,) = merge(state, F.SUMMIT_1, NOW + timedelta(days=6))
    assert expire(state, NOW + timedelta(days=8)) == [old.event_id]
    # The id stays taken, as a marker: no article or document frequency of the event is left.
    assert state.snapshot(old.event_id) == {"expired_event_id": old.event_id, "expired_at": old.updated_at}
    assert state.snapshot(fresh.event_id) is not None
    assert "storm-6" not in state.event_of_article
    assert state.freqs.docs == 1
    assert expire(state, NOW + timedelta(days=8)) == []


def test_an_article_coming_back_after_its_event_aged_out_starts_an_event_under_another_id(F) -> None:
    # The sink and subscribers hold the old event at version 1 or more: a new event under the
    # same id would start again at version 1 and the sink would keep the old record instead.
    config = DedupConfig(window_days=7, remember_expired_days=30)
    state = DedupState(config)
    (old,) = merge(state, F.UNRELATED, NOW)
    assert expire(state, NOW + timedelta(days=8)) == [old.event_id]
    # A restart in between: the marker is part of the state.
    restored = DedupState.restore([json.loads(json.dumps(state.snapshot(e))) for e in state.snapshot_ids()], config)
    corrected = F.UNRELATED.model_copy(update={"text": F.UNRELATED.text + "\nCorrection: 13 were injured."})
    (back,) = merge(restored, corrected, NOW + timedelta(days=9))
    assert back.event_id != old.event_id and back.version == 1
    assert [a.id for a in back.articles] == ["storm-6"]
    # Remembered for 30 days from the event's last article, then forgotten (a tombstone).
    assert expire(restored, NOW + timedelta(days=29)) == [back.event_id]  # the new event, in its turn
    assert expire(restored, NOW + timedelta(days=31)) == [old.event_id]
    assert restored.snapshot(old.event_id) is None and not restored.taken(old.event_id)


def test_ids_an_aged_out_event_had_absorbed_stay_taken_too(F) -> None:
    # Joining is made impossible and merging easy, so that the event-merge step absorbs an id.
    config = DedupConfig(name_bars=(0.95,), merge_margin=-0.9, merge_rounds=3, regroup_min_articles=0, window_days=7)
    state = DedupState(config)
    (older,) = merge(state, F.SUMMIT_1, NOW)
    (younger,) = merge(state, F.SUMMIT_2, NOW + timedelta(minutes=5))
    merge(state, F.SUMMIT_2.model_copy(update={"id": "daily-2-copy"}), NOW + timedelta(minutes=9))
    assert state.clusters[older.event_id].absorbed == (younger.event_id,)
    table = {e: json.loads(json.dumps(state.snapshot(e))) for e in state.snapshot_ids()}
    changed = expire(state, NOW + timedelta(days=8))
    assert state.taken(younger.event_id)
    assert state.snapshot(younger.event_id) == {"expired_event_id": younger.event_id,
                                                "expired_at": (NOW + timedelta(minutes=9)).isoformat()}
    # A worker killed after any number of the expiry's writes still knows the absorbed id: its
    # marker goes before the event's own, which replaces the one snapshot that listed it.
    assert changed == [younger.event_id, older.event_id]
    for cut in range(len(changed) + 1):
        landed = dict(table)
        landed.update({e: state.snapshot(e) for e in changed[:cut]})
        restored = DedupState.restore(landed.values(), config)
        assert restored.taken(younger.event_id) and restored.taken(older.event_id), cut


def test_markers_are_invisible_to_a_restore_that_predates_them() -> None:
    # A version rolled back to, reading snapshots by their "event_id", skips a marker instead of
    # taking it for an event with no articles (which it would tombstone, and the sink delete).
    marker = DedupState(DedupConfig())
    marker.expired["ev-1"] = NOW.isoformat()
    assert "event_id" not in marker.snapshot("ev-1")


def test_ids_stay_taken_at_least_as_long_as_events_live() -> None:
    with pytest.raises(ValueError, match="remember_expired_days"):
        DedupConfig(window_days=7, remember_expired_days=3)


def test_events_that_turn_out_to_be_one_are_merged_and_the_younger_id_retired(F) -> None:
    # Joining is made impossible and merging easy, so that only the event-merge step can act.
    state = DedupState(DedupConfig(name_bars=(0.95,), merge_margin=-0.9, merge_rounds=3, regroup_min_articles=0))
    (older,) = merge(state, F.SUMMIT_1, NOW)
    (younger,) = merge(state, F.SUMMIT_2, NOW + timedelta(minutes=5))
    assert younger.event_id != older.event_id
    (merged,) = merge(state, F.SUMMIT_2.model_copy(update={"id": "daily-2-copy"}), NOW + timedelta(minutes=9))
    assert merged.event_id == older.event_id
    assert [a.id for a in merged.articles] == ["wire-1", "daily-2", "daily-2-copy"]
    assert state.retired == [younger.event_id]
    assert state.snapshot(younger.event_id) is None
    assert state.event_of_article["daily-2"] == older.event_id


def test_restore_after_a_kill_halfway_through_saving_a_merge_keeps_each_article_once(F) -> None:
    # Two events merged into one; the worker died after writing the merged snapshot but
    # before the tombstone of the event merged away reached the changelog.
    state = DedupState(DedupConfig(name_bars=(0.95,), merge_margin=-0.9, merge_rounds=3, regroup_min_articles=0))
    (older,) = merge(state, F.SUMMIT_1, NOW)
    (younger,) = merge(state, F.SUMMIT_2, NOW + timedelta(minutes=5))
    stale = json.loads(json.dumps(state.snapshot(younger.event_id)))
    merge(state, F.SUMMIT_2.model_copy(update={"id": "daily-2-copy"}), NOW + timedelta(minutes=9))
    merged = json.loads(json.dumps(state.snapshot(older.event_id)))

    restored = DedupState.restore([merged, stale])
    assert set(restored.clusters) == {older.event_id}
    assert younger.event_id in restored.tombstone_again  # its tombstone goes out now
    assert restored.retired == []
    assert restored.event_of_article["daily-2"] == older.event_id
    ids = [m.id for m in restored.clusters[older.event_id].members]
    assert sorted(ids) == ["daily-2", "daily-2-copy", "wire-1"]


def test_restore_keeps_an_article_in_two_events_only_in_the_later_one(F) -> None:
    state = DedupState()
    for article in (F.SUMMIT_1, F.UNRELATED):
        merge(state, article, NOW)
    summit, unrelated = (json.loads(json.dumps(state.snapshot(e))) for e in state.clusters)
    # The summit's article also shows in the unrelated event, written later (a higher seq).
    unrelated["members"].append(summit["members"][0])
    unrelated["seq"] = summit["seq"] + 10
    unrelated_id = unrelated["event_id"]

    restored = DedupState.restore([summit, unrelated])
    assert restored.tombstone_again == [summit["event_id"]]  # left empty
    assert restored.event_of_article["wire-1"] == unrelated_id
    assert summit["event_id"] not in restored.republish
    assert sorted(m.id for m in restored.clusters[unrelated_id].members) == ["storm-6", "wire-1"]
    assert restored.event(unrelated_id) is not None


def test_restore_keeps_an_article_the_writes_that_moved_it_never_delivered(F) -> None:
    # A flush cut short (see write_order): the unrelated event's new snapshot lists the summit as
    # merged into it, and the summit's article was leaving a third event for a fourth that
    # never reached the changelog. Neither may take the article with it.
    state = DedupState()
    for article in (F.SUMMIT_1, F.UNRELATED, F.SAME_CITY_NEXT_DAY):
        merge(state, article, NOW)
    summit_id, unrelated_id, city_id = (state.event_of_article[a] for a in ("wire-1", "storm-6", "city-5"))
    snaps = {e: json.loads(json.dumps(state.snapshot(e))) for e in state.clusters}
    snaps[unrelated_id]["absorbed"] = [summit_id]
    snaps[unrelated_id]["seq"] = max(s["seq"] for s in snaps.values()) + 1
    snaps[city_id]["leaving"] = ["city-5"]

    restored = DedupState.restore(snaps.values())
    assert restored.event_of_article == {"wire-1": summit_id, "storm-6": unrelated_id, "city-5": city_id}
    assert restored.clusters[unrelated_id].absorbed == ()  # the summit lives on
    assert restored.tombstone_again == []
    assert set(restored.republish) >= {summit_id, unrelated_id, city_id}


def test_restore_revises_an_event_that_only_lost_an_article(F) -> None:
    state = DedupState()
    for article in (F.SUMMIT_1, F.SUMMIT_2, F.UNRELATED):
        merge(state, article, NOW)
    snaps = {e: json.loads(json.dumps(state.snapshot(e))) for e in state.clusters}
    summit_id = state.event_of_article["wire-1"]
    unrelated_id = state.event_of_article["storm-6"]
    # wire-1 moved to the unrelated event in a later write the summit's snapshot never saw.
    snaps[unrelated_id]["members"].append(next(m for m in snaps[summit_id]["members"] if m["id"] == "wire-1"))
    snaps[unrelated_id]["seq"] = max(s["seq"] for s in snaps.values()) + 1
    version = snaps[summit_id]["version"]

    restored = DedupState.restore(snaps.values())
    assert restored.tombstone_again == []
    assert summit_id in restored.republish
    event = restored.event(summit_id)
    assert [a.id for a in event.articles] == ["daily-2"]
    assert event.version == version + 1


def test_restore_publishes_the_latest_changes_again_with_their_tombstones(F, monkeypatch) -> None:
    # A killed worker may have written these changes to the changelog but not published them.
    import newsdesk.deduper.state as state_module

    state = DedupState(DedupConfig(name_bars=(0.95,), merge_margin=-0.9, merge_rounds=3, regroup_min_articles=0))
    merge(state, F.UNRELATED, NOW)
    (older,) = merge(state, F.SUMMIT_1, NOW + timedelta(minutes=1))
    (younger,) = merge(state, F.SUMMIT_2, NOW + timedelta(minutes=5))
    merge(state, F.SUMMIT_2.model_copy(update={"id": "daily-2-copy"}), NOW + timedelta(minutes=9))
    snaps = [json.loads(json.dumps(state.snapshot(e))) for e in state.clusters]
    storm = state.event_of_article["storm-6"]

    monkeypatch.setattr(state_module, "RESEND_AFTER_RESTORE", 3)  # only the merge's changes
    restored = DedupState.restore(snaps)
    assert restored.republish == [older.event_id]
    assert restored.tombstone_again == [younger.event_id]
    assert storm in restored.clusters and storm not in restored.republish


def test_restore_holds_one_parsed_snapshot_at_a_time(F) -> None:
    # A state of 100,000 events took 23 KB of memory per event to restore when every parsed
    # snapshot was held until the end, 8 KB when each is let go once read.
    class Snapshot(dict):  # a dict that can be weakly referenced
        pass

    state = DedupState()
    for article in [F.SUMMIT_1, F.UNRELATED, *F.BRIDGE_COLLAPSES]:
        merge(state, article, NOW)
    alive: list[weakref.ref[Snapshot]] = []
    most_alive = 0

    def snapshots() -> Iterator[Snapshot]:
        nonlocal most_alive
        for event_id in state.snapshot_ids():
            most_alive = max(most_alive, sum(ref() is not None for ref in alive))
            snap = Snapshot(json.loads(json.dumps(state.snapshot(event_id))))
            alive.append(weakref.ref(snap))
            yield snap
            del snap

    restored = DedupState.restore(snapshots())
    assert len(alive) == len(state.clusters) > 3
    assert set(restored.clusters) == set(state.clusters)
    assert most_alive <= 1
