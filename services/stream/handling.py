"""What every stream agent does with one message: decode, run the stage, route the outcome.

The stage function itself is pure; this module turns its two ways of failing, bad input
(`BadRecord`) and a bug or limit inside the stage (any other exception), into dead letters,
so one poisoned record never stops a partition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from newsdesk.deadletter import dead_letter
from newsdesk.records import DeadLetter
from newsdesk.serde import BadRecord, loads

log = logging.getLogger(__name__)

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out")


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int | None
    offset: int | None
    key: bytes | None
    value: bytes | None


@dataclass(frozen=True)
class Outcome(Generic[Out]):
    result: Out | None = None
    dead: DeadLetter | None = None


def handle(stage: str, message: Message, model: type[In], fn: Callable[[In], Out]) -> Outcome[Out]:
    def reject(kind: str, error: str) -> Outcome[Out]:
        log.warning(
            "record dead-lettered",
            extra={"stage": stage, "topic": message.topic, "partition": message.partition,
                   "offset": message.offset, "error_type": kind, "error": error[:300]},
        )
        return Outcome(dead=dead_letter(stage, kind, error, message.value or b"", topic=message.topic,
                                        partition=message.partition, offset=message.offset, key=message.key))

    if message.value is None:
        return reject("empty", "the record has no value (a tombstone on an input topic)")
    try:
        record = loads(message.value, model)
    except BadRecord as exc:
        return reject(exc.kind, str(exc))
    try:
        return Outcome(result=fn(record))
    except BadRecord as exc:
        return reject(exc.kind, str(exc))
    except Exception as exc:  # a stage bug must cost one record, not the partition
        log.exception("stage raised", extra={"stage": stage, "offset": message.offset})
        return reject("stage_error", f"{type(exc).__name__}: {exc}")
