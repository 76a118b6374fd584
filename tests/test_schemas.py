"""schemas/ is exported from the record models; these tests keep the two in step."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import orjson
import pytest

from newsdesk import schemas
from newsdesk.records import RECORD_TYPES, RawArticle
from newsdesk.serde import dumps

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@pytest.mark.parametrize("name", list(RECORD_TYPES))
def test_committed_schema_matches_the_model(name: str) -> None:
    committed = SCHEMAS / schemas.file_name(name)
    assert committed.exists(), f"run `newsdesk schemas export` to write {committed.name}"
    assert committed.read_bytes() == schemas.render(name), "model changed: run `newsdesk schemas export`"


@pytest.mark.parametrize("name", list(RECORD_TYPES))
def test_schema_is_valid_2020_12(name: str) -> None:
    schema = orjson.loads((SCHEMAS / schemas.file_name(name)).read_bytes())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_records_produced_by_the_model_validate_against_the_file() -> None:
    schema = orjson.loads((SCHEMAS / schemas.file_name("raw-article")).read_bytes())
    validator = jsonschema.Draft202012Validator(schema)
    good = orjson.loads(dumps(RawArticle(id="a", body="b")))
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({"id": "a"}))  # body missing
