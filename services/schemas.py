"""JSON Schema (2020-12) of every topic record, exported from the record models.

`schemas/` in the repository holds these files, versioned in their names; a test fails when
a model changes without a re-export (`newsdesk schemas export`), so the two never drift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from newsdesk.records import RECORD_TYPES, SCHEMA_VERSION

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(name: str) -> dict[str, Any]:
    model = RECORD_TYPES[name]
    body = model.model_json_schema(mode="serialization")
    return {
        "$schema": DIALECT,
        "$id": f"https://newsdesk.dev/schemas/{name}.v{SCHEMA_VERSION}.json",
        **body,
    }


def file_name(name: str) -> str:
    return f"{name}.v{SCHEMA_VERSION}.json"


def render(name: str) -> bytes:
    return orjson.dumps(schema_for(name), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def export(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in RECORD_TYPES:
        path = out / file_name(name)
        path.write_bytes(render(name))
        written.append(path)
    return written
