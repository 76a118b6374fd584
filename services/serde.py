"""The one serializer: records to and from JSON bytes with orjson.

Decoding is also where input is judged: every failure is a `BadRecord` carrying a short
machine-readable kind (for dead letters and metrics) and a message a person can act on.
"""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

#: Largest record a service accepts; bigger ones are dead-lettered, not parsed.
MAX_RECORD_BYTES = 16 * 1024 * 1024


class BadRecord(ValueError):
    """Input that cannot become a record; `kind` names the failure for dead letters."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def dumps(value: BaseModel | dict[str, Any] | list[Any]) -> bytes:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=False)
    return orjson.dumps(value)


def loads_json(data: bytes | str, max_bytes: int = MAX_RECORD_BYTES) -> Any:
    """Parse JSON, refusing oversized input and invalid UTF-8 with a clear reason."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > max_bytes:
        raise BadRecord("too_large", f"record is {len(data):,} bytes; the limit is {max_bytes:,}")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        kind = "invalid_utf8" if "utf-8" in str(exc).lower() else "invalid_json"
        raise BadRecord(kind, f"not valid JSON: {exc}") from None


def validate(obj: Any, model: type[M]) -> M:
    if not isinstance(obj, dict):
        raise BadRecord("invalid_record", f"expected a JSON object, got {type(obj).__name__}")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(record)'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise BadRecord("invalid_record", f"not a valid {model.__name__}: {problems}") from None


def loads(data: bytes | str, model: type[M], max_bytes: int = MAX_RECORD_BYTES) -> M:
    return validate(loads_json(data, max_bytes), model)
