"""Odd but valid input gives a sensible event (or a clear reason it was set aside), the state stays
bounded, and nothing raises. Timing and the 10,000-copy run are in bench/deduper/bad_input.py."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema

from newsdesk.deduper import DedupConfig, DedupState, expire, merge
from newsdesk.deduper.article_features import MAX_NAMES, MAX_QUOTES
from newsdesk.records import ArticleEvent, Entity, ExtractedArticle, Participant, Quote

NOW = datetime(2031, 3, 12, tzinfo=UTC)


def _snapshot_bytes(state: DedupState) -> int:
    return sum(len(json.dumps(state.snapshot(e))) for e in state.clusters)


def test_an_empty_article_becomes_its_own_event() -> None:
    state = DedupState()
    (event,) = merge(state, ExtractedArticle(id="empty", text=""), NOW)
    assert [a.id for a in event.articles] == ["empty"]
    assert event.when is None and event.who == [] and event.title is None
    (other,) = merge(state, ExtractedArticle(id="empty-2", text=""), NOW)
    assert other.event_id != event.event_id  # nothing in common is not evidence of one event


def test_an_article_without_entities_or_date_is_placed_by_its_text(F) -> None:
    state = DedupState()
    merge(state, F.SUMMIT_1, NOW)
    bare = ExtractedArticle(id="bare", title=F.SUMMIT_2.title, text=F.SUMMIT_2.text)  # no entities, no date
    (event,) = merge(state, bare, NOW)
    assert [a.id for a in event.articles] == ["wire-1", "bare"]
    assert event.when == "2031-03-11"  # the event dates the article that had none


def test_one_megabyte_of_text_is_handled_and_bounded() -> None:
    words = " ".join(f"Word{i % 5000} token{i % 977}" for i in range(60_000))
    text = (words + "\n") * (1_000_000 // (len(words) + 1) + 1)
    state = DedupState()
    (event,) = merge(state, ExtractedArticle(id="huge", title="Huge " * 100_000, text=text), NOW)
    assert event.articles[0].id == "huge"
    assert len(event.summary or "") <= 300 and len(event.title or "") <= 1000
    (member,) = state.clusters[event.event_id].members
    assert len(member.vec) <= state.config.terms_per_article and len(member.sketch) <= 48
    # Only the first max_feature_chars count: the state holds tens of kilobytes, not a megabyte.
    assert len(member.other_terms) < state.config.max_feature_chars
    assert _snapshot_bytes(state) < 100_000


def test_malformed_dates_and_odd_names_are_ignored_not_fatal() -> None:
    article = ExtractedArticle(
        id="odd", title="Strange", text="Some text about nothing in particular.", published_at="yesterday-ish",
        events=[ArticleEvent(when="2031-02-30", what="")], entities=[],
    )
    (event,) = merge(DedupState(), article, NOW)
    assert event.when is None
    assert event.articles[0].published_at == "yesterday-ish"


def test_thousands_of_entities_and_quotes_are_capped() -> None:
    article = ExtractedArticle(
        id="crowd", title="A crowded page", text="Many people spoke at length. " * 50,
        entities=[Entity(name=f"Person Number{i}", type="person", aliases=[f"P{i}"] * 50) for i in range(5000)]
        + [Entity(name="X" * 100_000, type="place")],
        quotes=[Quote(text=f"quote number {i} about the matter at hand", speaker=f"Person Number{i}")
                for i in range(5000)],
        events=[ArticleEvent(who=[Participant(name=f"Guest Speaker{i}") for i in range(5000)])],
    )
    state = DedupState()
    (event,) = merge(state, article, NOW)
    (member,) = state.clusters[event.event_id].members
    assert len(member.people) <= MAX_NAMES and len(member.quotes) <= MAX_QUOTES and not member.places
    assert all(len(p["aliases"]) <= 10 for p in member.people)
    assert _snapshot_bytes(state) < 100_000


def test_garbage_text_never_raises() -> None:
    rng = random.Random(3)
    alphabet = "aZé ß\u0130\u200b\ufeff\x00\t\n.!?\"“”:;'’-_0123456789()[]{}<>@#$%^&*+=|\\/~`,\U0001f600\ud7ff"
    state = DedupState()
    for i in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
        title = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) if i % 2 else None
        article = ExtractedArticle(id=f"g{i}", title=title, text=text, url=f"https://x.example/{i % 7}",
                                   events=[ArticleEvent(when=rng.choice(["", "2031-13-01", "9999-12-31", None]))])
        merge(state, article, NOW + timedelta(minutes=i))
    placed = sum(len(c.members) for c in state.clusters.values())
    assert placed == 200 and len(state.event_of_article) == 200


def test_many_copies_are_bounded_and_counted(F) -> None:
    state = DedupState(DedupConfig(max_articles=20))
    events = []
    for i in range(300):
        events.extend(merge(state, F.SUMMIT_1.model_copy(update={"id": f"c{i}", "url": None}), NOW))
    (event_id,) = state.clusters
    assert len(state.clusters[event_id].members) == 20
    assert state.clusters[event_id].overflow == 280
    # The record says so, as a field of its schema (it was once an undeclared extra).
    record = json.loads(state.event(event_id).model_dump_json())
    schema = json.loads((Path(__file__).parents[2] / "schemas" / "event.v1.json").read_text())
    assert record["overflow"] == 280 and "overflow" in schema["properties"]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(record)) == []
    assert len(events) == 20  # copies beyond the cap publish no new version
    assert state.set_aside[-1][0] == "c299" and "cap" in state.set_aside[-1][1]
    # Copies set aside leave nothing behind: 20 articles in the state, 20 in the term counts.
    assert state.freqs.docs == 20 and len(state.event_of_article) == 20
    # Another report of the full event is set aside with its reason; other news is not affected.
    assert merge(state, F.SUMMIT_2, NOW) == []
    assert state.set_aside[-1] == ("daily-2", f"event {event_id} holds 20 articles")
    (other,) = merge(state, F.UNRELATED, NOW)
    assert [a.id for a in other.articles] == ["storm-6"]


def test_clocks_that_jump_never_make_events_older_or_lose_them(F) -> None:
    state = DedupState(DedupConfig(window_days=7))
    (first,) = merge(state, F.SUMMIT_1, NOW)
    (back,) = merge(state, F.SUMMIT_2, NOW - timedelta(days=30))  # a clock thirty days behind
    assert back.event_id == first.event_id and back.updated_at == NOW.isoformat()
    assert expire(state, NOW - timedelta(days=400)) == []  # a clock far behind drops nothing
    (far,) = merge(state, F.UNRELATED, NOW + timedelta(days=3650))  # ten years ahead
    assert far.first_seen == far.updated_at == (NOW + timedelta(days=3650)).isoformat()
    # Judged by the far clock the summit is old: it goes, the storm stays.
    assert expire(state, NOW + timedelta(days=3650)) == [first.event_id]
    assert state.freqs.docs == 1 and set(state.event_of_article) == {"storm-6"}
    # Back to the right time: the summit's articles are new again, not lost for good.
    (again,) = merge(state, F.SUMMIT_3, NOW)
    assert [a.id for a in again.articles] == ["foreign-3"]
    assert expire(state, NOW + timedelta(days=1)) == []


def test_a_naive_clock_is_taken_as_utc(F) -> None:
    state = DedupState()
    merge(state, F.SUMMIT_1, NOW)
    naive = datetime(2031, 3, 13, 9)
    (event,) = merge(state, F.SUMMIT_3, naive)
    assert event.updated_at == "2031-03-13T09:00:00+00:00"
