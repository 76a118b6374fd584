"""Dates as pages write them, turned into ISO 8601.

Pages give dates in many shapes (ISO stamps in meta tags, "May 19, 2021" in text, RFC 2822 in
feeds, /2021/05/19/ in URLs). Everything here returns an ISO string or None and never raises:
a date we cannot read is simply not a date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")

#: "May 19, 2021" / "May 19 2021"
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I)
#: "19 May 2021" / "19. May 2021"
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH}),?\s+(\d{{4}})", re.I)
#: 2021-05-19, 2021/05/19, 2021.05.19 (optionally with a time after it)
YEAR_MONTH_DAY = re.compile(r"\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b")
#: 19.05.2021 (day first, as most of the world writes it when dots are used)
DAY_DOT_MONTH_YEAR = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b")
#: "Nov 19" without a year: enough to recognise a date line, not to date an article.
MONTH_DAY = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)
#: Dates in URL paths: /2021/05/19/ or /2021-05-19- or /20210519/
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)|/((?:19|20)\d{2})(\d{2})(\d{2})/")


def _safe_date(year: int, month: int, day: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


#: Outside these years a stated date is a placeholder ("0001-01-01") or a typo, not a publication date.
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_date(value: str | None) -> str | None:
    """ISO date or datetime from a string in one of the common shapes, else None."""
    iso = _parse_date(value)
    if iso is None or not MIN_YEAR <= int(iso[:4]) <= MAX_YEAR:
        return None
    return iso


def _parse_date(value: str | None) -> str | None:
    if not value:
        return None
    text = value.strip()[:100]
    if not text:
        return None
    iso = _from_iso(text)
    if iso:
        return iso
    if re.fullmatch(r"\d{10}(?:\d{3})?", text):  # epoch seconds or milliseconds
        seconds = int(text[:10])
        try:
            return datetime.fromtimestamp(seconds).date().isoformat() if seconds > 0 else None
        except (OverflowError, OSError, ValueError):
            return None
    if "," in text[:4] or re.match(r"[A-Z][a-z]{2}, ", text):  # RFC 2822: "Wed, 19 May 2021 ..."
        try:
            return parsedate_to_datetime(text).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    return find_date(text)


def _from_iso(text: str) -> str | None:
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    if len(candidate) >= 10 and candidate[4] == "-":
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            m = YEAR_MONTH_DAY.match(candidate)
            return _safe_date(int(m[1]), int(m[2]), int(m[3])) if m else None
        if len(text) <= 10:
            return parsed.date().isoformat()
        return parsed.isoformat()
    return None


def find_date(text: str) -> str | None:
    """The first calendar date written anywhere in a short text, as an ISO date."""
    found = first_date_match(text)
    return found[0] if found else None


def first_date_match(text: str) -> tuple[str, int, int] | None:
    """(ISO date, start, end) of the earliest readable date in text."""
    best: tuple[str, int, int] | None = None
    for pattern in (MONTH_DAY_YEAR, DAY_MONTH_YEAR, YEAR_MONTH_DAY, DAY_DOT_MONTH_YEAR):
        m = pattern.search(text)
        if not m or (best and m.start() >= best[1]):
            continue
        iso = _match_to_iso(pattern, m)
        if iso:
            best = (iso, m.start(), m.end())
    return best


def _match_to_iso(pattern: re.Pattern[str], m: re.Match[str]) -> str | None:
    if pattern is MONTH_DAY_YEAR:
        return _safe_date(int(m[3]), MONTHS[m[1].lower().rstrip(".")], int(m[2]))
    if pattern is DAY_MONTH_YEAR:
        return _safe_date(int(m[3]), MONTHS[m[2].lower().rstrip(".")], int(m[1]))
    if pattern is YEAR_MONTH_DAY:
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    # day first as most of the world writes it; month first when that is the only reading
    return _safe_date(int(m[3]), int(m[2]), int(m[1])) or _safe_date(int(m[3]), int(m[1]), int(m[2]))


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = URL_DATE.search(url[:2000])
    if not m:
        return None
    if m[1]:
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return _safe_date(int(m[4]), int(m[5]), int(m[6]))
