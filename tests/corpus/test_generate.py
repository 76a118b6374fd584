"""The generated corpus: deterministic, and its ground truth agrees with itself."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date

import orjson
import pytest

from newsdesk.corpus.build import Corpus, generate
from newsdesk.corpus.jsonl import write_jsonl
from newsdesk.corpus.stories import tidy
from newsdesk.fetcher.urls import article_id


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return generate(events=80, seed=7)


def _jsonl(corpus: Corpus) -> bytes:
    out = io.BytesIO()
    write_jsonl(corpus, out, text=True)
    return out.getvalue()


def test_same_seed_same_bytes_other_seed_other_corpus() -> None:
    first, again = _jsonl(generate(12, seed=3)), _jsonl(generate(12, seed=3))
    assert first == again
    assert _jsonl(generate(12, seed=4)) != first
    assert _jsonl(generate(12, seed=3, start=date(2026, 1, 5))) != first


def test_a_bigger_corpus_starts_with_the_same_events() -> None:
    small, big = generate(10, seed=5), generate(20, seed=5)
    assert big.events[:10] == small.events


def test_zero_events_is_an_empty_corpus_and_negative_is_refused() -> None:
    assert generate(0).articles == ()
    with pytest.raises(ValueError):
        generate(-1)


def test_every_article_names_a_real_event_and_its_id_is_the_fetchers(corpus: Corpus) -> None:
    events = {e.id for e in corpus.events}
    assert all(a.event in events for a in corpus.articles)
    assert all(a.id == article_id(a.url) for a in corpus.articles)
    assert all(a.path.startswith(f"/{a.outlet.slug}/") and a.url.endswith(a.path.split("/", 2)[2])
               for a in corpus.articles)
    ids = Counter(a.id for a in corpus.articles if a.version == 1)
    assert max(ids.values()) == 1, "one URL per story"


def test_every_event_is_reported_by_at_least_two_outlets(corpus: Corpus) -> None:
    outlets = defaultdict(set)
    for article in corpus.articles:
        outlets[article.event].add(article.outlet.slug)
    assert set(outlets) == {e.id for e in corpus.events}
    assert min(len(o) for o in outlets.values()) >= 2


def test_outlets_word_one_event_differently(corpus: Corpus) -> None:
    by_event = defaultdict(list)
    for article in corpus.articles:
        if article.kind == "report" and article.version == 1:
            by_event[article.event].append(article.story)
    for stories in by_event.values():
        leads = [s.paragraphs[0] for s in stories]
        assert len(set(leads)) >= max(1, len(leads) - 2), leads  # a repeated lead now and then, not a template


def test_wire_copies_reproduce_an_agency_story_of_the_same_event(corpus: Corpus) -> None:
    by_id = {a.id: a for a in corpus.articles if a.version == 1}
    copies = [a for a in corpus.articles if a.kind == "copy"]
    assert copies
    for copy in copies:
        original = by_id[copy.copy_of]
        assert original.kind == "wire" and original.outlet.agency and not copy.outlet.agency
        assert original.event == copy.event and original.published <= copy.published
        assert copy.story.paragraphs == original.story.paragraphs[: len(copy.story.paragraphs)]
        assert copy.story.byline == original.outlet.name


def test_updates_change_the_content_under_the_same_url_later(corpus: Corpus) -> None:
    first = {a.url: (i, a) for i, a in enumerate(corpus.articles) if a.version == 1}
    updates = [(i, a) for i, a in enumerate(corpus.articles) if a.version == 2]
    assert updates
    for index, update in updates:
        before_index, before = first[update.url]
        assert before_index < index and before.id == update.id and before.event == update.event
        assert update.modified is not None and update.modified > before.published
        assert update.story.text != before.story.text


def test_distractors_echo_an_earlier_event_without_being_it(corpus: Corpus) -> None:
    events = {e.id: e for e in corpus.events}
    kinds = Counter(e.echo_kind for e in corpus.events if e.echoes)
    assert kinds["same-people"] and kinds["same-city"]
    for event in corpus.events:
        if event.echoes is None:
            continue
        echoed = events[event.echoes]
        assert echoed.echoes is None and echoed.id < event.id
        if event.echo_kind == "same-people":
            assert event.people == echoed.people and event.type == echoed.type
            assert (event.date - echoed.date).days >= 7
        else:
            assert event.city == echoed.city and event.type != echoed.type
            assert 1 <= (event.date - echoed.date).days <= 2


def test_articles_appear_in_time_order(corpus: Corpus) -> None:
    times = [a.released for a in corpus.articles]
    assert times == sorted(times)


def test_jsonl_lines_are_raw_articles_with_the_truth() -> None:
    from newsdesk.records import RawArticle

    lines = _jsonl(generate(6, seed=2)).splitlines()
    for line in lines:
        record = orjson.loads(line)
        RawArticle.model_validate(record)
        assert record["content_type"] == "text/html" and record["body"].lstrip().lower().startswith(("<!doctype",
                                                                                                       "<html"))
        assert record["event"].startswith("ev") and record["truth"]["kind"] in ("report", "wire", "copy")
        assert record["text"] and record["text"].split("\n")[0][:40] in record["body"].replace("&#x27;", "'")


@pytest.mark.parametrize(("raw", "expected"), [
    ("police spokesperson X said.", "Police spokesperson X said."),
    ("With X, a lawyer,.", "With X, a lawyer."),
    ("X, a lawyer,, who said", "X, a lawyer, who said"),
    ('"quote," said X, the mayor,.', '"Quote," said X, the mayor.'),
    ("5 ships were named.", "5 ships were named."),
    ("Redcliff Foods's shares", "Redcliff Foods' shares"),
])
def test_sentences_are_tidied(raw: str, expected: str) -> None:
    assert tidy(raw) == expected
