"""The seed articles through the live pipeline: one stored event for the five reports of the
meeting, each distractor in an event of its own. Skips when ../shared is absent.

The reports go in first and the distractors once they are stored, as news arrives: the meeting
was reported the day before the Arctic Council article. Ingested at once, the partitions and
batches of the live pipeline hand the deduper any order; how often an order still decides the
outcome is measured offline (tests/deduper/test_dedup_shared.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = [pytest.mark.kafka, pytest.mark.shared, pytest.mark.slow]


def test_seed_articles_merge_into_one_stored_event(pipeline, tmp_path, shared_dir) -> None:
    seeds = shared_dir / "seeds"
    reports = sorted(seeds.glob("0*.txt"))
    distractors = sorted((seeds / "distractors").glob("*.txt"))
    db = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("worker", "worker")
    pipeline.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
    for batch in (reports, distractors):
        ingest = subprocess.run([sys.executable, "-m", "newsdesk.cli", "ingest", *map(str, batch)],
                                env=pipeline.env(), capture_output=True, text=True, timeout=120)
        assert ingest.returncode == 0, ingest.stderr[-2000:]
        wanted = {f.stem for f in batch}
        pipeline.wait_for(lambda wanted=wanted: wanted <= {a.id for e in pipeline.events(db) for a in e.articles},
                          240, "every seed article stored")
    home = {a.id: e.event_id for e in pipeline.events(db) for a in e.articles}
    meeting = {home[f.stem] for f in reports}
    assert len(meeting) == 1, f"the five reports are split over {len(meeting)} events"
    (event_id,) = meeting
    (event,) = [e for e in pipeline.events(db) if e.event_id == event_id]
    assert sorted(a.id for a in event.articles) == sorted(f.stem for f in reports)
    for f in distractors:
        assert home[f.stem] != event_id, f"{f.stem} was merged into the meeting"
    assert len({home[f.stem] for f in distractors}) == len(distractors)
