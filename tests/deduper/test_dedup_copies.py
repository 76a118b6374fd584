"""Copies stay with what they copy, whatever order the articles arrive in.

A backlog reaches the deduper in fetch order (outlet by outlet), not in publication order. A wire
copy must still join the event holding its original even when that event's average similarity
is diluted by other articles, and be marked as a copy.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from newsdesk.corpus.build import generate
from newsdesk.deduper import DedupState, merge
from newsdesk.deduper.text_features import sketch_jaccard
from newsdesk.extractor import extract
from newsdesk.records import CleanArticle

NOW = datetime(2025, 3, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def shuffled_corpus() -> tuple[list, dict[str, str]]:
    corpus = generate(events=80, seed=11)
    latest = {a.id: a for a in corpus.articles}  # the last version of each article
    articles = [
        extract(CleanArticle(id=a.id, url=a.url, source=a.outlet.slug, outlet=a.outlet.name,
                             title=a.story.headline, published_at=a.published.isoformat(), language="en",
                             text=a.story.text))
        for a in latest.values()
    ]
    random.Random(3).shuffle(articles)
    copies = {a.id: a.copy_of for a in latest.values() if a.copy_of and a.copy_of in latest}
    return articles, copies


def test_every_copy_ends_up_in_the_event_of_its_original_in_any_order(shuffled_corpus) -> None:
    articles, copies = shuffled_corpus
    assert len(copies) >= 20  # the corpus plants enough copies for the check to mean something
    state = DedupState()
    for article in articles:
        merge(state, article, NOW)
    apart = [c for c, original in copies.items() if state.event_of_article[c] != state.event_of_article[original]]
    assert apart == []
    # ... and reported as copies, whichever of the two came first (a newsroom's copy edited beyond
    # the configured shingle overlap is only similar, not a copy).
    for copy_id, original in copies.items():
        copy, source = state.member(copy_id)[1], state.member(original)[1]
        if sketch_jaccard(copy.sketch, source.sketch) >= state.config.duplicate_jaccard:
            assert copy.duplicate_of is not None or source.duplicate_of is not None, copy_id
