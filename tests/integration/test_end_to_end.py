"""The project's own end-to-end test: demo pages over HTTP -> fetcher -> broker -> every
stage -> SQLite and PostgreSQL, checked against the corpus manifest."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsdesk.demo import load_manifest, serve
from newsdesk.demo.verdict import page_key, problems

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]


def test_demo_corpus_through_every_service(pipeline, tmp_path, postgres_url) -> None:
    manifest = load_manifest()
    sqlite_url = f"sqlite:///{tmp_path / 'events.db'}"
    pipeline.start("worker", "worker")
    pipeline.start("sink-sqlite", "sink", "--group", "sink-sqlite", NEWSDESK_DATABASE_URL=sqlite_url)
    pipeline.start("sink-postgres", "sink", "--group", "sink-postgres", NEWSDESK_DATABASE_URL=postgres_url)

    with serve() as base:
        urls = [base + page.url_path for page in manifest.pages]
        ingest = subprocess.run([sys.executable, "-m", "newsdesk.cli", "ingest", "--allow-private", *urls],
                                env=pipeline.env(), capture_output=True, text=True, timeout=120)
    assert ingest.returncode == 0, ingest.stderr[-2000:]

    wanted = {page_key(p.url_path) for p in manifest.pages}

    def all_stored(url: str) -> bool:
        return wanted <= {page_key(a.url) for e in pipeline.events(url) for a in e.articles}

    pipeline.wait_for(lambda: all_stored(sqlite_url) and all_stored(postgres_url), 240, "every demo page stored")

    # Both stores hold the same events at the same versions (give late versions a moment).
    pipeline.wait_for(
        lambda: {(e.event_id, e.version) for e in pipeline.events(postgres_url)}
        == {(e.event_id, e.version) for e in pipeline.events(sqlite_url)},
        60, "PostgreSQL and SQLite to agree")
    events = pipeline.events(sqlite_url)

    # Pieces of one event are tolerated here (recall is a quality figure, checked offline in
    # tests/demo); a lost page, an over-merge or a wrong date never is.
    assert problems(manifest, events, allow_splits=True) == []
