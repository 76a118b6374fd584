"""A small generated corpus through `newsdesk dedup` (cleaner, extractor, deduper), scored
against its ground truth; and the `newsdesk corpus` commands."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from newsdesk.cli import main
from newsdesk.corpus.build import generate
from newsdesk.corpus.jsonl import write_jsonl
from newsdesk.corpus.scoring import Score, assignments, bcubed, score
from newsdesk.offline import dedup_command


@pytest.fixture(scope="module")
def raw_lines() -> bytes:
    out = io.BytesIO()
    write_jsonl(generate(events=30, seed=7), out)
    return out.getvalue()


@pytest.fixture(scope="module")
def scored(raw_lines: bytes) -> Score:
    out, err = io.BytesIO(), io.StringIO()
    assert dedup_command(io.BytesIO(raw_lines), out, err) == 0, err.getvalue()
    events = [orjson.loads(line) for line in out.getvalue().splitlines()]
    return score([orjson.loads(line) for line in raw_lines.splitlines()], assignments(events))


def test_no_article_is_lost(scored: Score) -> None:
    assert scored.placed == scored.articles


def test_the_offline_pipeline_groups_the_corpus_sensibly(scored: Score) -> None:
    # Measured 0.80-0.87 precision, 0.98-1.0 recall on five seeds (the deduper over-merges some
    # events of one kind); these bars catch a pipeline that lumps or scatters, not a few errors.
    assert scored.recall >= 0.9, scored
    assert scored.precision >= 0.7, scored
    assert scored.gold_events * 0.6 <= scored.predicted_events <= scored.gold_events * 1.5, scored


def test_wire_copies_land_with_the_story_they_copy(scored: Score) -> None:
    assert scored.copies > 0
    assert scored.copies_apart <= scored.copies * 0.1, scored


def test_bcubed_on_known_cases() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert bcubed(gold, {"a": "x", "b": "x", "c": "y", "d": "y"}) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed(gold, {"a": "x", "b": "x", "c": "x", "d": "x"})
    assert (precision, recall) == (0.5, 1.0)
    precision, recall, _ = bcubed(gold, {k: k for k in gold})
    assert (precision, recall) == (1.0, 0.5)


def test_score_counts_merged_distractors_and_stray_copies() -> None:
    truth = [{"id": "a", "event": "e1", "truth": {}}, {"id": "b", "event": "e2", "truth": {"echoes": "e1"}},
             {"id": "c", "event": "e1", "truth": {"copy_of": "a"}}]
    result = score(truth, {"a": "x", "b": "x", "c": "y"})
    assert (result.distractors_merged, result.distractors, result.copies_apart, result.copies) == (1, 1, 1, 1)
    assert score(truth, {}).placed == 0


def test_cli_jsonl_then_score(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["corpus", "jsonl", "--events", "3", "--seed", "4"]) == 0
    raw = capsysbinary.readouterr().out
    records = [orjson.loads(line) for line in raw.splitlines()]
    assert records and all({"id", "event", "body", "truth"} <= set(r) for r in records)
    truth = tmp_path / "raw.jsonl"
    truth.write_bytes(raw)
    # Every article its own event: perfect precision, and what recall says about it.
    events = tmp_path / "events.jsonl"
    events.write_bytes(b"".join(orjson.dumps({"event_id": r["id"], "articles": [{"id": r["id"]}]}) + b"\n"
                                for r in records))
    assert main(["corpus", "score", str(truth), str(events)]) == 0
    printed = capsysbinary.readouterr().out.decode()
    assert "bcubed precision=1.000" in printed


def test_cli_score_says_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n')
    assert main(["corpus", "score", str(bad), str(bad)]) == 1
    assert "lacks 'id'/'event'" in capsys.readouterr().err
    assert main(["corpus", "score", str(tmp_path / "missing.jsonl"), str(bad)]) == 1
