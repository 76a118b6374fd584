"""Dates in news text, resolved against an anchor (the publication date).

A weekday in a past-tense report means the latest such day on or before the anchor
("Wednesday" in a Thursday 2021-05-20 paper -> 2021-05-19); with 'next' or a future verb in
the sentence it means the next one. "April 22" takes the anchor's year (the previous year
when that would put it well into the future). Vague times ('last month') become ranges.
Without an anchor only absolute dates (with a year) resolve: nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
MONTHS = {m: i for i, m in enumerate(
    _MONTH_NAMES, 1)}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
               "sept": 9, "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"))}

_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
             r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Every alternative starts a word, and the lookahead names every character a date expression
# can start with: the engine then skips other positions without trying the alternatives (the
# lookahead alone made it 3x faster over a whole article, the leading word boundary 1.6x more).
DATE_EXPR = re.compile(
    r"\b(?=[0-9ADEFJLMNOSTWYelnoty])(?:"
    rf"(?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b)"
    rf"|(?P<md>\b(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?)"
    rf"|(?P<dm>\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})\b(?:,?\s+(?P<y2>\d{{4}})\b)?)"
    rf"|(?P<wd>\b(?:(?P<wmod>last|next|this|on|On|Last|Next|This)\s+)?(?P<wday>{_WEEKDAY_RE})\b)"
    r"|(?P<rel>\b(?:today|yesterday|tomorrow|Today|Yesterday|Tomorrow)\b)"
    r"|(?P<vague>\b(?:(?:earlier|later)\s+this|last|next|this|Last|Next|This|Earlier\s+this)"
    r"\s+(?P<unit>week|month|year)\b))")

_FUTURE = re.compile(r"\b(?:will|would|is due|are due|plans? to|is expected|are expected|scheduled|"
                     r"upcoming)\b")


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    text: str
    day: date | None = None
    span: tuple[date, date] | None = None


def parse_anchor(value: str | None) -> date | None:
    """The date part of an ISO 8601 string, or None."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _month(word: str) -> int:
    w = word.lower().rstrip(".")
    return MONTHS.get(w) or _MONTH_ABBR.get(w) or _MONTH_ABBR.get(w[:3], 0)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_span(y: int, m: int) -> tuple[date, date]:
    first = date(y, m, 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _vague(text: str, unit: str, anchor: date) -> tuple[date, date]:
    low = text.lower()
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        if low.startswith("last"):
            return monday - timedelta(days=7), monday - timedelta(days=1)
        if low.startswith("next"):
            return monday + timedelta(days=7), monday + timedelta(days=13)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        if low.startswith("last"):
            prev = anchor.replace(day=1) - timedelta(days=1)
            return _month_span(prev.year, prev.month)
        if low.startswith("next"):
            nxt = _month_span(anchor.year, anchor.month)[1] + timedelta(days=1)
            return _month_span(nxt.year, nxt.month)
        if low.startswith("earlier"):
            return anchor.replace(day=1), anchor
        return _month_span(anchor.year, anchor.month)
    year = anchor.year - 1 if low.startswith("last") else anchor.year + 1 if low.startswith("next") else anchor.year
    if low.startswith("earlier"):
        return date(year, 1, 1), anchor
    return date(year, 1, 1), date(year, 12, 31)


def _resolve(m: re.Match[str], anchor: date | None, future: bool) -> DateHit:
    text = m.group(0)
    hit = DateHit(m.start(), m.end(), text)
    if m["iso"]:
        return DateHit(m.start(), m.end(), text, _safe_date(int(m["iy"]), int(m["im"]), int(m["id"])))
    if m["md"] or m["dm"]:
        month = _month(m["m1"] or m["m2"])
        day = int(m["d1"] or m["d2"])
        year_text = m["y1"] or m["y2"]
        if year_text:
            return DateHit(m.start(), m.end(), text, _safe_date(int(year_text), month, day))
        if anchor is None:
            return hit
        found = _safe_date(anchor.year, month, day)
        if found and (found - anchor).days > 60 and not future:
            found = _safe_date(anchor.year - 1, month, day)
        return DateHit(m.start(), m.end(), text, found)
    if anchor is None:
        return hit
    if m["wday"]:
        target = WEEKDAYS[m["wday"].lower()]
        mod = (m["wmod"] or "").lower()
        if mod == "next" or (future and mod != "last"):
            delta = (target - anchor.weekday()) % 7 or (7 if mod == "next" else 0)
            return DateHit(m.start(), m.end(), text, anchor + timedelta(days=delta))
        delta = (anchor.weekday() - target) % 7
        if mod == "last" and delta == 0:
            delta = 7
        return DateHit(m.start(), m.end(), text, anchor - timedelta(days=delta))
    if m["rel"]:
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[m["rel"].lower()]
        return DateHit(m.start(), m.end(), text, anchor + timedelta(days=offset))
    if m["vague"]:
        return DateHit(m.start(), m.end(), text, span=_vague(m["vague"], m["unit"], anchor))
    return hit


def find_dates(sentence: str, anchor: date | None) -> list[DateHit]:
    """Date expressions of one sentence, resolved where the anchor allows."""
    future = bool(_FUTURE.search(sentence))
    return [_resolve(m, anchor, future) for m in DATE_EXPR.finditer(sentence)]


_FULL_DATE = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})|\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b")


def anchor_from_text(head: str) -> date | None:
    """A full date written near the top ('May 19, 2021US Secretary...'), used when the
    record has no publication date."""
    m = _FULL_DATE.search(head)
    if not m:
        return None
    if m[1]:
        return _safe_date(int(m[3]), _month(m[1]), int(m[2]))
    return _safe_date(int(m[4]), int(m[5]), int(m[6]))
