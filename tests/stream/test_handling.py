from __future__ import annotations

import base64

import orjson

from newsdesk.records import RawArticle
from newsdesk.stream.handling import Message, handle


def message(value: bytes | None) -> Message:
    return Message(topic="news.articles.raw", partition=3, offset=42, key=b"k", value=value)


def test_good_record_runs_the_stage() -> None:
    outcome = handle("cleaner", message(orjson.dumps({"id": "a", "body": "x"})), RawArticle, lambda r: r.id)
    assert outcome.result == "a" and outcome.dead is None


def test_invalid_json_becomes_a_dead_letter_with_the_original_bytes() -> None:
    outcome = handle("cleaner", message(b"\xffnot json"), RawArticle, lambda r: r)
    dead = outcome.dead
    assert outcome.result is None and dead is not None
    assert dead.stage == "cleaner" and dead.error_type == "invalid_utf8"
    assert (dead.topic, dead.partition, dead.offset) == ("news.articles.raw", 3, 42)
    assert base64.b64decode(dead.original) == b"\xffnot json"
    assert base64.b64decode(dead.key or "") == b"k"


def test_missing_field_and_tombstone_are_dead_letters() -> None:
    missing = handle("cleaner", message(b'{"id": "a"}'), RawArticle, lambda r: r).dead
    assert missing is not None and missing.error_type == "invalid_record" and "body" in missing.error
    tomb = handle("cleaner", message(None), RawArticle, lambda r: r).dead
    assert tomb is not None and tomb.error_type == "empty"


def test_a_stage_that_raises_costs_only_that_record() -> None:
    def broken(_: RawArticle) -> None:
        raise ZeroDivisionError("boom")

    outcome = handle("extractor", message(orjson.dumps({"id": "a", "body": "x"})), RawArticle, broken)
    assert outcome.dead is not None
    assert outcome.dead.error_type == "stage_error"
    assert "ZeroDivisionError: boom" in outcome.dead.error
