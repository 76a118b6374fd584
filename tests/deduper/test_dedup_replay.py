"""Restart and replay: a restored state merges exactly like the state it was snapshotted from, and
the same input gives the same output whatever the process's hash seed (a worker restarted after
kill -9 replays articles and must publish the same events)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsdesk.deduper import DedupConfig, DedupState, expire, merge
from newsdesk.records import ExtractedArticle

NOW = datetime(2031, 3, 11, 9, tzinfo=UTC)
# A strict joining bar and a lax regrouping floor, so that regrouping moves articles between events
# (splits, joins, retired ids), and a small cap so that articles are set aside: every path a
# restore must reproduce.
CONFIG = DedupConfig(name_bars=(0.3,), regroup_min_articles=4, regroup_plain_floor=0.05, max_articles=8,
                     window_days=3)

Step = tuple[str, ExtractedArticle | None, datetime]


def stream(F: Any) -> list[Step]:
    summit_copy = F.SUMMIT_1.model_copy(update={"id": "copy-1", "outlet": "Reprinter", "url": None})
    same_url = F.SUMMIT_2.model_copy(update={"id": "moved-2", "url": F.SUMMIT_1.url})
    updated = F.SUMMIT_2.model_copy(update={"text": F.SUMMIT_2.text + "\nThe talks resume in May."})
    articles = [F.SUMMIT_1, F.UNRELATED, *F.BRIDGE_COLLAPSES[:6], F.SUMMIT_2, summit_copy, F.SUMMIT_1,
                *F.BRIDGE_COLLAPSES[6:], same_url, updated, F.SAME_PEOPLE_NEXT_WEEK, F.SUMMIT_3,
                F.SAME_CITY_NEXT_DAY, *(F.SUMMIT_3.model_copy(update={"id": f"copy-3{c}"}) for c in "abc")]
    steps: list[Step] = [("merge", a, NOW + timedelta(hours=3 * n)) for n, a in enumerate(articles)]
    # The clock jumps back a day, then forward past the window: events age out mid-stream.
    steps.insert(9, ("merge", F.SAME_CITY_NEXT_DAY.model_copy(update={"id": "city-early"}), NOW - timedelta(days=1)))
    steps.insert(15, ("expire", None, NOW + timedelta(days=4)))
    steps.append(("expire", None, NOW + timedelta(days=9)))
    return steps


def run(state: DedupState, steps: list[Step]) -> list[Any]:
    """What a caller sees after each step: the events returned, and the ids retired or expired."""
    out: list[Any] = []
    for kind, article, now in steps:
        if kind == "expire":
            out.append(("expired", expire(state, now)))
            continue
        assert article is not None
        events = [json.loads(e.model_dump_json()) for e in merge(state, article, now)]
        out.append((events, list(state.retired)))
        state.retired.clear()
    return out


def restarted(state: DedupState) -> DedupState:
    """Every snapshot through JSON, handed back in another order (a table's order is its own)."""
    snapshots = [json.loads(json.dumps(state.snapshot(e))) for e in sorted(state.snapshot_ids(), reverse=True)]
    return DedupState.restore(snapshots, state.config)


def without_counters(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    """Snapshots minus the order counters, whose absolute values a restore may start lower."""
    if snapshot is None or "members" not in snapshot:
        return snapshot
    members = [{k: v for k, v in m.items() if k != "seq"} for m in snapshot["members"]]
    return {**{k: v for k, v in snapshot.items() if k != "seq"}, "members": members}


def test_merge_after_restore_equals_merge_without_restart_at_every_point(F) -> None:
    steps = stream(F)
    straight = DedupState(CONFIG)
    expected = run(straight, steps)
    assert any(len(events) > 1 for events, _ in expected if events != "expired"), "the stream should split events"
    assert any(retired for kind, retired in expected if kind != "expired"), "the stream should retire ids"
    assert any(gone for kind, gone in expected if kind == "expired"), "the stream should age events out"
    assert straight.set_aside, "the stream should set articles aside"
    for cut in range(1, len(steps)):
        state = DedupState(CONFIG)
        before = run(state, steps[:cut])
        assert before == expected[:cut]
        state = restarted(state)
        assert run(state, steps[cut:]) == expected[cut:], f"diverged after a restart at step {cut}"
        assert {e: without_counters(state.snapshot(e)) for e in state.snapshot_ids()} == \
            {e: without_counters(straight.snapshot(e)) for e in straight.snapshot_ids()}
        assert state.freqs.df == straight.freqs.df and state.freqs.docs == straight.freqs.docs


def test_a_restored_state_rebuilds_the_same_indexes(F) -> None:
    state = DedupState(CONFIG)
    run(state, [s for s in stream(F) if s[0] == "merge"])
    again = restarted(state)
    # Posting lists hold the same events in the same order (lookups read the most recent first).
    assert {t: again.index.posting(t) for t in again.index.postings} == \
        {t: state.index.posting(t) for t in state.index.postings}
    assert again.by_url == state.by_url and again.by_sketch == state.by_sketch
    assert again.event_of_article == state.event_of_article
    assert again.absorbed_ids == state.absorbed_ids
    assert again.freqs.df == state.freqs.df


def test_old_snapshots_without_counters_still_restore(F) -> None:
    state = DedupState()
    for article in (F.SUMMIT_1, F.SUMMIT_2, F.UNRELATED):
        merge(state, article, NOW)
    old = []
    for event_id in state.clusters:
        snap = state.snapshot(event_id)
        assert snap is not None
        for key in ("seq", "absorbed"):
            snap.pop(key)
        snap["members"] = [{k: v for k, v in m.items() if k not in ("seq", "other_terms")} for m in snap["members"]]
        old.append(snap)
    restored = DedupState.restore(old)
    assert restored.event_of_article == state.event_of_article
    (event,) = merge(restored, F.SUMMIT_3, NOW)
    assert event.event_id == state.event_of_article["wire-1"]


_REPLAY = """
import importlib.util, json, sys
from datetime import datetime
spec = importlib.util.spec_from_file_location("fixtures", sys.argv[1])
fixtures = importlib.util.module_from_spec(spec); spec.loader.exec_module(fixtures)
spec = importlib.util.spec_from_file_location("replay", sys.argv[2])
replay = importlib.util.module_from_spec(spec); spec.loader.exec_module(replay)
from types import SimpleNamespace
from newsdesk.deduper import DedupState
F = SimpleNamespace(**{k: v for k, v in vars(fixtures).items() if k.isupper()})
print(json.dumps(replay.run(DedupState(replay.CONFIG), replay.stream(F)), sort_keys=True))
"""


def test_the_same_input_gives_the_same_events_whatever_the_hash_seed() -> None:
    here = Path(__file__).resolve().parent
    outputs = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run([sys.executable, "-c", _REPLAY, str(here / "conftest.py"), str(Path(__file__))],
                                env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True,
                                timeout=120, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1
