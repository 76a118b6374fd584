"""The project's own end-to-end test: demo pages over HTTP -> fetcher -> broker -> every
stage -> SQLite and PostgreSQL, checked against the corpus manifest."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from newsdesk.demo import load_manifest, serve

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]


def fold(text: str) -> str:
    """Accent- and case-insensitive form, so 'Valparaíso' matches 'Valparaiso'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


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

    def page_of(url: str | None) -> str:
        return (url or "").rsplit("/", 1)[-1]

    wanted = {page_of(p.url_path) for p in manifest.pages}

    def all_stored(url: str) -> bool:
        return wanted <= {page_of(a.url) for e in pipeline.events(url) for a in e.articles}

    pipeline.wait_for(lambda: all_stored(sqlite_url) and all_stored(postgres_url), 240, "every demo page stored")

    events = pipeline.events(sqlite_url)
    # Both stores hold the same events at the same versions (give late versions a moment).
    pipeline.wait_for(
        lambda: {(e.event_id, e.version) for e in pipeline.events(postgres_url)}
        == {(e.event_id, e.version) for e in pipeline.events(sqlite_url)},
        60, "PostgreSQL and SQLite to agree")
    events = pipeline.events(sqlite_url)

    home = {page_of(a.url): e for e in events for a in e.articles}
    for label, facts in manifest.events.items():
        pages = [page_of(p.url_path) for p in manifest.pages_for(label)]
        holders = {home[p].event_id for p in pages}
        assert len(holders) == 1, f"{label}: split over {len(holders)} events"
        event = home[pages[0]]
        others = {page_of(a.url) for a in event.articles} - set(pages)
        assert not others, f"{label}: merged with pages of other events {others}"
        assert event.when == facts.when, f"{label}: when {event.when}"
        where = " ".join(fold(p.name) for p in event.where)
        assert all(fold(w) in where for w in facts.where), f"{label}: where {where}"
        who = [p.name for p in event.who]
        for name in facts.who:
            assert who.count(name) == 1, f"{label}: who {who}"
        for quote in facts.quotes:
            hits = [q for q in event.quotes if fold(quote.contains) in fold(q.text)]
            assert any(quote.speaker in (q.speaker or "") and len(q.articles) >= quote.min_articles for q in hits), (
                f"{label}: quote {quote.contains!r} {[(q.speaker, len(q.articles)) for q in hits]}")
    assert len(events) == len(manifest.events)
