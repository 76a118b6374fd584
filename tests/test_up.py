"""`newsdesk up`'s summary of the stored events."""

from __future__ import annotations

from newsdesk.records import Event
from newsdesk.up import render


def event(n_articles: int) -> Event:
    return Event.model_validate({
        "event_id": f"ev-{n_articles}", "version": 1, "title": "Council opens new bridge", "type": "other",
        "first_seen": "2031-03-12T09:00:00+00:00", "updated_at": "2031-03-12T09:00:00+00:00",
        "articles": [{"id": f"a{i}", "source": "demo"} for i in range(n_articles)],
        "sources": [{"name": "Demo Daily", "kind": "outlet", "articles": [f"a{i}" for i in range(n_articles)]}],
    })


def test_counts_read_as_english() -> None:
    text = render([event(1), event(3)])
    assert "    1 article from Demo Daily" in text
    assert "    3 articles from Demo Daily" in text
