"""Streaming clustering quality on ECB+ (B-cubed F1), straight through the deduper core.

The official figure goes through the whole offline pipeline (cleaner and extractor included):
    python3 ../shared/scoring/score-clusters.py ../shared/datasets/ecbplus-stories/stories.jsonl \
        -- .venv/bin/newsdesk dedup
This script feeds the same rows (text only, as the scorer sends them) to `merge` one by one, so the
deduper can be measured on its own while the other stages change; with --extract the rows go
through the cleaner and extractor first, in process (as the official figure does). Usage, from the
repo root:
    .venv/bin/python bench/deduper/ecbplus_quality.py [--extract] [--shuffle=SEED] [key=value overrides]
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.deduper import DedupConfig, DedupState, merge
from newsdesk.records import ExtractedArticle

DATA = Path(__file__).resolve().parents[2].parent / "shared/datasets/ecbplus-stories/stories.jsonl"


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    g: dict[str, set[str]] = defaultdict(set)
    p: dict[str, set[str]] = defaultdict(set)
    for a, c in gold.items():
        g[c].add(a)
    for a, c in pred.items():
        p[c].add(a)
    prec = sum(len(g[gold[a]] & p[pred[a]]) / len(p[pred[a]]) for a in gold) / len(gold)
    rec = sum(len(g[gold[a]] & p[pred[a]]) / len(g[gold[a]]) for a in gold) / len(gold)
    return prec, rec, 2 * prec * rec / (prec + rec)


def articles_of(rows: list[dict], extract: bool) -> list[ExtractedArticle]:
    if not extract:
        return [ExtractedArticle(id=row["id"], url=row.get("url"), text=row["text"]) for row in rows]
    from newsdesk.stages import to_extracted
    return [to_extracted({"id": r["id"], "url": r.get("url"), "source": r.get("source"), "title": r.get("title"),
                          "published_at": r.get("published_at"), "content_type": "text/plain", "body": r["text"]})
            for r in rows]


def run(rows: list[dict], config: DedupConfig, extract: bool = False) -> tuple[float, float, float, float]:
    articles = articles_of(rows, extract)
    state = DedupState(config)
    pred: dict[str, str] = {}
    now = datetime(2024, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    for article in articles:
        for event in merge(state, article, now):
            for a in event.articles:
                pred[a.id] = event.event_id
    rate = len(rows) / (time.perf_counter() - t0)
    gold = {r["id"]: r["story"] for r in rows}
    return (*bcubed(gold, {a: pred.get(a, a) for a in gold}), rate)


def main(argv: list[str]) -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return
    rows = [json.loads(line) for line in DATA.open()]
    overrides: dict[str, object] = {}
    types = {f.name: f.type for f in fields(DedupConfig)}
    seed = None
    extract = False
    for arg in argv:
        if arg == "--extract":
            extract = True
            continue
        if arg.startswith("--shuffle="):
            seed = int(arg.split("=", 1)[1])
            continue
        key, value = arg.split("=", 1)
        kind = str(types[key])
        overrides[key] = (tuple(float(v) for v in value.split(",")) if kind.startswith("tuple")
                          else int(value) if kind == "int" else float(value))
    if seed is not None:
        random.Random(seed).shuffle(rows)
    config = DedupConfig(**overrides)  # type: ignore[arg-type]
    p, r, f, rate = run(rows, config, extract)
    print(f"rows={len(rows)} order={'shuffled ' + str(seed) if seed is not None else 'file'} "
          f"input={'extracted' if extract else 'raw text'} "
          f"overrides={overrides or 'none'}")
    print(f"bcubed precision={p:.3f} recall={r:.3f} f1={f:.3f} articles_per_s={rate:.0f}")
    print("reproduce: .venv/bin/python bench/deduper/ecbplus_quality.py " + " ".join(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
