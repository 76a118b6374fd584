"""Topic payloads, as each stage reads them: any bytes become a result or a dead letter that
keeps the original and names the reason; a record that passes validation never crashes the
stage, and what a stage emits always validates as the next topic's record."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from types import SimpleNamespace

import orjson
from fuzzkit import (
    bounded,
    clean_article_fields,
    event_fields,
    extracted_article_fields,
    json_values,
    raw_article_fields,
)
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.cleaner import clean
from newsdesk.deduper import DedupState, merge
from newsdesk.extractor import extract
from newsdesk.records import CleanArticle, DeadLetter, Event, ExtractedArticle, RawArticle
from newsdesk.serde import BadRecord, dumps, loads
from newsdesk.sink.service import decode_batch
from newsdesk.stream.handling import Message, Outcome, handle

INPUT_ERRORS = {"invalid_json", "invalid_utf8", "invalid_record", "too_large", "empty"}
NOW = datetime(2024, 6, 1, tzinfo=UTC)

payloads = st.one_of(st.none(), st.binary(max_size=200), json_values.map(orjson.dumps))


def message(value: bytes | None, topic: str = "news.articles.raw") -> Message:
    return Message(topic=topic, partition=1, offset=7, key=b"k", value=value)


def deduper_step():
    state = DedupState()
    return lambda article: merge(state, article, NOW)


STAGES = {
    "cleaner": (RawArticle, lambda: clean),
    "extractor": (CleanArticle, lambda: extract),
    "deduper": (ExtractedArticle, deduper_step),
}


def run(stage: str, value: bytes | None) -> Outcome:
    model, make = STAGES[stage]
    with bounded(20, f"{stage} on a {len(value or b'')}-byte record"):
        return handle(stage, message(value), model, make())


def check_dead_letter(dead: DeadLetter, value: bytes | None, stage: str) -> None:
    assert dead.stage == stage and dead.topic == "news.articles.raw" and dead.offset == 7
    assert base64.b64decode(dead.original) == (value or b"")
    assert dead.error.strip()
    # It must itself be a valid record on news.deadletter.
    loads(dumps(dead), DeadLetter)


@given(st.sampled_from(sorted(STAGES)), payloads)
def test_any_bytes_become_a_result_or_a_dead_letter_with_the_reason(stage: str, value: bytes | None) -> None:
    outcome = run(stage, value)
    assert (outcome.result is None) != (outcome.dead is None)
    if outcome.dead is not None:
        check_dead_letter(outcome.dead, value, stage)
        assert outcome.dead.error_type in INPUT_ERRORS, outcome.dead.error  # never a stage crash


@given(raw_article_fields)
def test_cleaner_never_crashes_on_a_valid_raw_article_and_emits_a_valid_clean_one(fields: dict) -> None:
    value = orjson.dumps(fields)
    outcome = run("cleaner", value)
    if outcome.dead is not None:
        assert outcome.dead.error_type == "invalid_record", outcome.dead.error
        return
    article = loads(dumps(outcome.result), CleanArticle)
    assert article.id == fields["id"]


@given(clean_article_fields)
def test_extractor_never_crashes_on_a_valid_clean_article_and_emits_a_valid_extracted_one(fields: dict) -> None:
    outcome = run("extractor", orjson.dumps(fields))
    if outcome.dead is not None:
        assert outcome.dead.error_type == "invalid_record", outcome.dead.error
        return
    article = loads(dumps(outcome.result), ExtractedArticle)
    assert article.id == fields["id"]


@given(st.lists(extracted_article_fields, min_size=1, max_size=4))
def test_deduper_never_crashes_on_valid_extracted_articles_and_emits_valid_events(items: list[dict]) -> None:
    step = deduper_step()
    for fields in items:
        with bounded(20, "deduper"):
            outcome = handle("deduper", message(orjson.dumps(fields)), ExtractedArticle, step)
        if outcome.dead is not None:
            assert outcome.dead.error_type == "invalid_record", outcome.dead.error
            continue
        for event in outcome.result:
            loads(dumps(event), Event)


@given(st.lists(st.one_of(payloads, event_fields.map(orjson.dumps)), max_size=6))
def test_sink_decodes_every_message_or_dead_letters_it(values: list[bytes | None]) -> None:
    messages = [SimpleNamespace(topic="news.events", partition=0, offset=i, key=b"e%d" % i, value=v)
                for i, v in enumerate(values)]
    batch = decode_batch(messages)
    # Every message is accounted for: an event, a tombstone (no value, with a key) or a dead letter.
    assert len(batch.events) + len(batch.tombstones) + len(batch.dead) == len(values)
    for _key, letter in batch.dead:
        dead = loads(letter, DeadLetter)
        assert dead.stage == "sink" and dead.error_type in INPUT_ERRORS
        assert base64.b64decode(dead.original) == values[dead.offset]


@given(payloads)
def test_serde_raises_only_bad_record(value: bytes | None) -> None:
    for model in (RawArticle, CleanArticle, ExtractedArticle, Event, DeadLetter):
        try:
            loads(value or b"", model)
        except BadRecord as exc:
            assert exc.kind in INPUT_ERRORS and str(exc)


@given(st.lists(extracted_article_fields, min_size=1, max_size=5), extracted_article_fields)
def test_deduper_state_survives_its_changelog(items: list[dict], last: dict) -> None:
    """The deduper's table changelog is a topic too: state rebuilt from its JSON snapshots holds
    the same events and merges the next article the same way (a restarted worker is no different)."""
    state = DedupState()
    articles = [ExtractedArticle.model_validate(fields) for fields in items]
    with bounded(30, "deduper merges"):
        for article in articles:
            merge(state, article, NOW)
        snapshots = [orjson.loads(orjson.dumps(state.snapshot(event_id))) for event_id in state.clusters]
        restored = DedupState.restore(snapshots)
    for article in articles:
        before, after = state.event_for(article.id), restored.event_for(article.id)
        assert (before and before.model_dump()) == (after and after.model_dump()), article.id
    following = ExtractedArticle.model_validate(last)
    with bounded(30, "deduper merge after restore"):
        expected = [e.model_dump() for e in merge(state, following, NOW)]
        assert [e.model_dump() for e in merge(restored, following, NOW)] == expected
