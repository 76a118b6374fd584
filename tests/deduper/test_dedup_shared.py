"""The seed articles through the real cleaner and extractor (skipped without ../shared)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.deduper import DedupState, merge
from newsdesk.records import Event
from newsdesk.stages import to_extracted

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

pytestmark = [pytest.mark.shared, pytest.mark.skipif(not SEEDS.exists(), reason="../shared is absent")]


def test_seed_articles_make_one_event_and_distractors_their_own() -> None:
    files = sorted(SEEDS.glob("0*.txt")) + sorted((SEEDS / "distractors").glob("*.txt"))
    state, latest = DedupState(), {}
    for f in files:
        article = to_extracted({"id": f.stem, "content_type": "text/plain", "body": f.read_text()})
        for event in merge(state, article, datetime(2021, 5, 21, tzinfo=UTC)):
            latest[event.event_id] = event
    events: list[Event] = [e for e in latest.values() if e.event_id not in state.retired]
    groups = sorted(sorted(a.id for a in e.articles) for e in events)
    seeds = sorted(f.stem for f in files if f.parent.name != "distractors")
    assert seeds in groups
    assert sum(len(g) == 1 for g in groups) == len(files) - len(seeds)
