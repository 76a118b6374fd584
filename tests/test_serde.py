from __future__ import annotations

import orjson
import pytest

from newsdesk.records import RawArticle
from newsdesk.serde import BadRecord, dumps, loads


def test_round_trip_keeps_every_field() -> None:
    raw = RawArticle(id="a1", body="text", title="T", content_type="text/html", feed={"author": "Jo"})
    again = loads(dumps(raw), RawArticle)
    assert again == raw
    assert again.feed is not None and again.feed.author == "Jo"


@pytest.mark.parametrize(
    ("data", "kind", "says"),
    [
        (b"\xff\xfe{}", "invalid_utf8", "UTF-8"),
        (b"{not json", "invalid_json", "not valid JSON"),
        (b"[1, 2]", "invalid_record", "expected a JSON object"),
        (b'{"id": "x"}', "invalid_record", "body"),
        (b'{"id": "", "body": "b"}', "invalid_record", "id"),
        (b'{"id": "x", "body": "b", "content_type": "application/pdf"}', "invalid_record", "content_type"),
    ],
)
def test_bad_input_names_the_problem(data: bytes, kind: str, says: str) -> None:
    with pytest.raises(BadRecord) as info:
        loads(data, RawArticle)
    assert info.value.kind == kind
    assert says in str(info.value)


def test_oversized_record_is_refused_before_parsing() -> None:
    big = orjson.dumps({"id": "x", "body": "a" * 2000})
    with pytest.raises(BadRecord) as info:
        loads(big, RawArticle, max_bytes=1000)
    assert info.value.kind == "too_large"
