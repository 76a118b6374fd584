"""Turning untrusted query parameters into an EventFilter, with errors a person can act on."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import get_args

from newsdesk.records import EventType
from newsdesk.sink.stores.reading import MAX_PAGE, EventFilter

EVENT_TYPES = frozenset(get_args(EventType))
MAX_QUERY_CHARS = 200
MAX_NAME_CHARS = 200
MAX_OFFSET = 10_000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: No name, query or id holds these; PostgreSQL refuses NUL in any text it is asked to compare.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadParameter(ValueError):
    """A parameter the API refuses; the message names it and says what would be accepted."""


def iso_date(name: str, value: str) -> str:
    if not _DATE.fullmatch(value):
        raise BadParameter(f"{name} must be a date like 2024-03-05, got {value[:40]!r}")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name} is not a real date: {value!r}") from None
    return value


def bounded_int(name: str, value: str, low: int, high: int) -> int:
    # ASCII only: "²".isdigit() is true, but int() refuses it.
    if not (value.isascii() and value.isdigit()) or len(value) > 7:
        raise BadParameter(f"{name} must be a whole number from {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise BadParameter(f"{name} must be from {low} to {high}, got {number}")
    return number


def short_text(name: str, value: str, limit: int) -> str | None:
    value = value.strip()
    if len(value) > limit:
        raise BadParameter(f"{name} is longer than {limit} characters")
    plain_text(name, value)
    return value or None


def plain_text(name: str, value: str) -> str:
    """`value`, or a BadParameter when it holds control characters (tabs and newlines included)."""
    if _CONTROL.search(value):
        raise BadParameter(f"{name} must not contain control characters")
    return value


KNOWN = frozenset({"entity", "type", "place", "from", "to", "q", "limit", "offset"})


def parse_filter(params: Mapping[str, str]) -> EventFilter:
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise BadParameter(f"unknown parameter(s) {', '.join(unknown)[:100]}; use {', '.join(sorted(KNOWN))}")
    kind = params.get("type")
    if kind is not None and kind not in EVENT_TYPES:
        raise BadParameter(f"type must be one of {', '.join(sorted(EVENT_TYPES))}")
    date_from = iso_date("from", params["from"]) if "from" in params else None
    date_to = iso_date("to", params["to"]) if "to" in params else None
    if date_from and date_to and date_from > date_to:
        raise BadParameter("from is after to")
    return EventFilter(
        entity=short_text("entity", params.get("entity", ""), MAX_NAME_CHARS),
        type=kind,
        place=short_text("place", params.get("place", ""), MAX_NAME_CHARS),
        date_from=date_from,
        date_to=date_to,
        text=short_text("q", params["q"], MAX_QUERY_CHARS) if "q" in params else None,
        limit=bounded_int("limit", params["limit"], 1, MAX_PAGE) if "limit" in params else 20,
        offset=bounded_int("offset", params["offset"], 0, MAX_OFFSET) if "offset" in params else 0,
    )
