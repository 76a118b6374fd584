"""Dead letters: what a stage could not handle, kept with the reason and the original bytes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from newsdesk.records import DeadLetter


def b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def dead_letter(stage: str, kind: str, error: str, original: bytes, *, topic: str | None = None,
                partition: int | None = None, offset: int | None = None,
                key: bytes | None = None) -> DeadLetter:
    return DeadLetter(
        stage=stage,
        topic=topic,
        partition=partition,
        offset=offset,
        key=b64(key),
        error=error[:4000],
        error_type=kind,
        original=b64(original) or "",
        original_size=len(original),
        failed_at=datetime.now(UTC).isoformat(),
    )
