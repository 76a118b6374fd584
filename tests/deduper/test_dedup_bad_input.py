"""Odd but valid input gives a sensible event, in bounded time, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.deduper import DedupState, merge
from newsdesk.records import ArticleEvent, ExtractedArticle

NOW = datetime(2031, 3, 12, tzinfo=UTC)


def test_an_empty_article_becomes_its_own_event() -> None:
    state = DedupState()
    (event,) = merge(state, ExtractedArticle(id="empty", text=""), NOW)
    assert [a.id for a in event.articles] == ["empty"]
    assert event.when is None and event.who == [] and event.title is None
    (other,) = merge(state, ExtractedArticle(id="empty-2", text=""), NOW)
    assert other.event_id != event.event_id  # nothing in common is not evidence of one event


def test_one_megabyte_of_text_is_handled() -> None:
    words = " ".join(f"Word{i % 5000} token{i % 977}" for i in range(60_000))
    text = (words + "\n") * (1_000_000 // (len(words) + 1) + 1)
    (event,) = merge(DedupState(), ExtractedArticle(id="huge", title="Huge", text=text), NOW)
    assert event.articles[0].id == "huge"
    assert len(event.summary or "") <= 300


def test_malformed_dates_and_odd_names_are_ignored_not_fatal() -> None:
    article = ExtractedArticle(
        id="odd", title="Strange", text="Some text about nothing in particular.", published_at="yesterday-ish",
        events=[ArticleEvent(when="2031-02-30", what="")], entities=[],
    )
    (event,) = merge(DedupState(), article, NOW)
    assert event.when is None
    assert event.articles[0].published_at == "yesterday-ish"
