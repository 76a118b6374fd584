"""The pass shared by plain text and HTML: paragraphs in, kept paragraphs + removals + metadata out.

Both inputs end up as a list of paragraphs (lines of text, or blocks of the page's main
container); this pass decides line by line what is the article's own text and records
everything else with its reason, pulling out the metadata that furniture carries (sign-offs
name agencies, contributor lines name reporters, captions describe images).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.cleaner.dates import MONTH_DAY, MONTH_DAY_YEAR, first_date_match
from newsdesk.cleaner.line_rules import AGENCY_NAMES, LineVerdict, classify_line, is_section_label, split_names
from newsdesk.cleaner.templates import line_key
from newsdesk.records import Image, Removal, RemovalReason

#: How many paragraphs from the top may hold the title, a date line or a byline.
HEAD_LINES = 8

#: "REYKJAVIK –", "WASHINGTON (AP) —", "BERLIN, Germany (Reuters) -", "May 19 (UPI) --"
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}?(?:,\s?[A-Z][\w.'’]{1,20}(?: [A-Z][\w.'’]{1,20})?)?)\s?"
    r"(?:\((?P<agency>[A-Za-z][\w .]{1,30})\)\s?)?(?:–|—|--?|:)\s"
)
DATED_AGENCY = re.compile(r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8}) "
                          r"\((?P<agency>[A-Za-z][\w .]{1,30})\) ?(?:–|—|--?)\s")
_GLUE = r"[\s\d,.:;/|\-–—+()•·]*"
#: What may be left of a date line once its dates are taken out: labels, weekdays, times, zones.
_DATE_LEFTOVER = re.compile(
    rf"{_GLUE}(?:(?:published|updated|posted|original(?:ly)?|first|last|modified|date|on|at|am|pm|a\.m\.|p\.m\."
    rf"|[ecmp][sd]?t|utc|gmt|cet|cest|bst|ist|jst|[a-z]{{3,6}}day|mon|tue|wed|thu|fri|sat|sun|h){_GLUE})*", re.I)


@dataclass
class Sifted:
    paragraphs: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    title: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    dateline: str | None = None
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def sift(paragraphs: Iterable[str], *, title: str | None = None, find_title: bool = False,
         template_lines: frozenset[str] = frozenset(), removed_hint: dict[int, RemovalReason] | None = None,
         authors: Iterable[str] = ()) -> Sifted:
    """Sort paragraphs into article text and removals.

    title: the known title (a paragraph equal to it is dropped); find_title: take the first
    headline-like paragraph as the title when none is known (plain text puts it first).
    template_lines: normalised lines this outlet repeats on every page (learnt from the stream).
    removed_hint: indexes the caller already knows are furniture, with the reason.
    authors: names the page states elsewhere (its metadata); a line of nothing but those names is
    the byline.
    """
    out = Sifted(title=title)
    title_key = norm(title) if title else None
    known_authors = [norm(a) for a in authors if a.strip()]
    seen_body = False
    lines = [" ".join(p.split()) for p in paragraphs]
    for index, line in enumerate(lines):
        if not line:
            continue
        key = norm(line)
        if removed_hint and index in removed_hint:
            # the line's own reason is more telling than "it sat in a share bar"
            verdict = classify_line(line)
            if verdict.reason is None:
                out.removed.append(Removal(text=line, reason=removed_hint[index]))
            else:
                _record(out, line, verdict)
            continue
        if title_key is not None and key == title_key:
            out.removed.append(Removal(text=line, reason="title"))
            continue
        if template_lines and line_key(line) in template_lines:
            out.removed.append(Removal(text=line, reason="template"))
            continue
        if _dated_byline(out, line):
            continue
        stamp = date_line(line)
        if stamp is not None:
            if stamp[0]:
                _set_date(out, stamp[0], stamp[1])
            out.removed.append(Removal(text=line, reason="dateline"))
            continue
        verdict = classify_line(line)
        if verdict.reason is None and _names_only(line, known_authors + [norm(a) for a in out.authors]):
            out.removed.append(Removal(text=line, reason="byline"))
            continue
        if (verdict.reason is None and not out.paragraphs and index < HEAD_LINES and is_section_label(line)
                and _opens_story(lines, index + 1, title_key, find_title and out.title is None)):
            out.removed.append(Removal(text=line, reason="navigation"))
            continue
        if verdict.reason is None and not seen_body and index < HEAD_LINES:
            line = _take_head_metadata(out, line)
            if not line:
                continue
            if find_title and out.title is None and _looks_like_headline(line):
                out.title = line
                title_key = norm(line)
                out.removed.append(Removal(text=line, reason="title"))
                continue
        if verdict.reason is not None:
            _record(out, line, verdict)
            continue
        if not seen_body:
            _take_dateline(out, line)
        seen_body = seen_body or len(line) > 120
        out.paragraphs.append(line)
    return out


def _names_only(line: str, known: list[str]) -> bool:
    """The line is nothing but names the article's authors already give ("Jane Doe", "Jane Doe and
    John Roe"): a byline without its "By", which would otherwise open the text."""
    if not known or len(line) > 120:
        return False
    names = split_names(line)
    return bool(names) and all(any(norm(name) == k or f" {norm(name)} " in f" {k} " for k in known)
                               for name in names)


def _opens_story(lines: list[str], start: int, title_key: str | None, headline_wanted: bool) -> bool:
    """After a short label, does the story begin — its headline or its first paragraph — once the
    furniture in between (byline, date, share tools) is passed? Then the label is a section kicker."""
    for line in lines[start:start + HEAD_LINES]:
        if not line:
            continue
        if title_key is not None and norm(line) == title_key:
            return True
        if date_line(line) is not None or classify_line(line).reason is not None:
            continue
        if len(line) > 120 or DATELINE.match(line) or (len(line) >= 60 and line[-1] in ".!?\"”"):
            return True
        return headline_wanted and _looks_like_headline(line) and not is_section_label(line)
    return False


def _record(out: Sifted, line: str, verdict: LineVerdict) -> None:
    assert verdict.reason is not None
    out.removed.append(Removal(text=line, reason=verdict.reason))
    _merge(out.agencies, verdict.agencies)
    _merge(out.contributors, verdict.contributors)
    _merge(out.authors, verdict.authors)
    if verdict.reason in ("caption", "credit", "gallery") and (verdict.caption or verdict.credit):
        if verdict.reason == "credit" and out.images and out.images[-1].credit is None:
            out.images[-1].credit = verdict.credit
        elif not any(i.caption == verdict.caption and verdict.caption for i in out.images):
            out.images.append(Image(caption=verdict.caption, credit=verdict.credit))


def _merge(into: list[str], new: list[str]) -> None:
    for item in new:
        if item not in into:
            into.append(item)


#: Date lines without a date: "Updated at 1:23 p.m.", "Published 1 day ago".
_TIME_ONLY_LINE = re.compile(
    r"^(?:(?:last )?(?:published|updated|posted|modified)(?: at| on)?:?\s)?(?:\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\.?)?"
    r"(?:\s?[a-z]{2,4})?|\d{1,3} (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago)\.?$", re.I)


def date_line(line: str) -> tuple[str, str | None] | None:
    """(ISO date, label) when a line is nothing but a date with its labels and time of day:
    "Updated Nov. 19, 2019 8:21 am ET", "Published: 19.05.2021 | 14:02"."""
    if len(line) > 100:
        return None
    rest, first = line, None
    for _ in range(3):
        found = first_date_match(rest)
        if not found:
            break
        first = first or found[0]
        rest = rest[: found[1]] + " " + rest[found[2]:]
    if first is None:
        without, found_days = MONTH_DAY.subn(" ", line, count=3)
        if _TIME_ONLY_LINE.match(line) or (found_days and _DATE_LEFTOVER.fullmatch(without)):
            return "", None  # a date line, though not one that dates the article
        return None
    if first is None or not _DATE_LEFTOVER.fullmatch(rest):
        return None
    lowered = line.lower()
    updated = ("updated" in lowered or "modified" in lowered) and "published" not in lowered
    return first, "updated" if updated else None


#: Two to five name words, capitalised but not shouted ("FOR IMMEDIATE RELEASE" is not a name).
_NAME_WORDS = re.compile(r"^(?:by\s)?[A-Z][a-z\u00DF-\u024F'’.-][\w'’.-]{0,30}"
                         r"(?:\s(?:de|van|von|da|di|del|le|la|[A-Z][\w'’.-]{0,30})){1,4}$")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?(?:\s?[A-Z]{2,4}\b)?", re.I)


def _dated_byline(out: Sifted, line: str) -> bool:
    """A name and a date alone on a line ("Jane Doe 2019-11-20 17:27", "May 2, 2020 Jane Doe"):
    the byline, taken into authors (and the date, when none is known yet)."""
    if len(line) > 80:
        return False
    found = first_date_match(line)
    if not found:
        return False
    rest = _CLOCK.sub(" ", line[: found[1]] + " " + line[found[2]:])
    name = " ".join(rest.replace("|", " ").replace("·", " ").split()).strip(" -–—,")
    if not name or not _NAME_WORDS.match(name) or date_line(line) is not None:
        return False
    name = name[3:] if name.lower().startswith("by ") else name
    if name not in out.authors:
        out.authors.append(name)
    _set_date(out, found[0], None)
    out.removed.append(Removal(text=line, reason="byline"))
    return True


def _take_head_metadata(out: Sifted, line: str) -> str:
    """Take a date glued to the first sentence off the top; return what is left."""
    glued = MONTH_DAY_YEAR.match(line)
    if glued and glued.end() < len(line) and (line[glued.end()].isupper() or line[glued.end()] in "\"“"):
        found = first_date_match(line[: glued.end()])
        if found:
            _set_date(out, found[0], None)
            out.removed.append(Removal(text=line[: glued.end()], reason="dateline"))
            return line[glued.end():].strip()
    return line


def _set_date(out: Sifted, iso: str, label: str | None) -> None:
    if label and label.lower() in ("updated", "last updated", "modified"):
        out.modified_at = out.modified_at or iso
    elif out.published_at is None:
        out.published_at = iso


def _take_dateline(out: Sifted, line: str) -> None:
    if out.dateline is not None:
        return
    m = DATELINE.match(line)
    if m and len(m["place"].strip()) >= 3 and m["place"].split(",")[0].strip().isupper():
        out.dateline = m["place"].strip()
        _add_agency(out, m["agency"])
        return
    m = DATED_AGENCY.match(line)
    if m:
        _add_agency(out, m["agency"])


def _add_agency(out: Sifted, name: str | None) -> None:
    agency = AGENCY_NAMES.get((name or "").strip().lower())
    if agency and agency not in out.agencies:
        out.agencies.append(agency)


def _looks_like_headline(line: str) -> bool:
    if not 10 <= len(line) <= 220 or line[-1] in ".!,;:" or line.endswith('."') or line.endswith(".”"):
        return False
    words = line.split()
    return 2 <= len(words) <= 35
