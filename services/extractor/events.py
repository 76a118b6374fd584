"""Events: the main event of an article and the secondary ones it clearly reports.

The type comes from trigger words (see docs/extraction.md for the taxonomy); the main event is
typed from the title and the lead sentence, secondary events from later sentences with a
strong trigger of another type. Each event gets the people and places of its sentence, a
short 'what' (the clause around the trigger) and a date resolved against the anchor.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from newsdesk.extractor.dates import DATE_EXPR, find_dates
from newsdesk.extractor.gazetteer import CITIES, COUNTRY_NAMES
from newsdesk.extractor.names import same_name
from newsdesk.records import ArticleEvent, Participant, Place, Quote

if TYPE_CHECKING:
    from newsdesk.extractor.core import Doc

# Most specific first: on a tie the earlier type wins ('talks on sanctions' is a sanction).
TRIGGERS: dict[str, str] = {
    "attack": r"attack(?:ed|s)?|bomb(?:ing|ed|ings)?|shooting|shot dead|gunm[ae]n|airstrikes?|air strikes?|"
              r"missile strikes?|stabb(?:ed|ing)|explosions?|blasts?|ambush(?:ed)?|shelling|raid(?:ed)?",
    "disaster": r"earthquake|quake|floods?|flooding|hurricane|typhoon|cyclone|tsunami|wildfires?|"
                r"landslides?|volcan(?:o|ic)|drought|tornado(?:es)?|storm",
    "accident": r"crash(?:ed|es)?|collision|collided|derail(?:ed|ment)|capsized|sank",
    "sanction": r"sanction(?:s|ed|ing)?|embargo|asset freeze|blacklist(?:ed)?",
    "arrest": r"arrest(?:ed|s)?|detain(?:ed|s)?|taken into custody|charged with|indicted",
    "court_ruling": r"ruled|ruling|verdict|convicted|acquitted|sentenced|court (?:upheld|rejected|struck down)",
    "election": r"elections?|elected|vote[sd]?|voting|ballots?|polls?|referendum|re-elected|runoff",
    "protest": r"protests?|protesters|protestors|demonstrat(?:ion|ions|ors|ed)|rall(?:y|ies)|marched|strike",
    "death": r"died|dies|dead at|passed away|death of|obituary",
    "appointment": r"appointed|named (?:as )?(?:the )?new|nominated|sworn in|resign(?:ed|s)|steps? down",
    "business": r"acquir(?:e|ed|es)|acquisition|merger|takeover|shares (?:rose|fell|jumped|slumped)|profits?|"
                r"revenue|IPO|earnings|layoffs",
    "agreement": r"agreements?|agreed to|deal|treaty|accord|signed|ceasefire|truce|pact",
    "meeting": r"met|meets|meet|meeting|talks|summit|held talks|visit(?:ed|s)?|sat down with|face-to-face|"
               r"sparred|convened|hosted",
    "statement": r"said|says|announced|warned|urged|called for|told|statement",
}
_TYPE_RE = [(t, re.compile(p, re.IGNORECASE)) for t, p in TRIGGERS.items()]
_TOKEN = re.compile(r"[A-Za-z][A-Za-z-]*")
# Weak triggers only type the main event; secondary events need a strong one.
_SECONDARY_TYPES = ("attack", "disaster", "accident", "sanction", "arrest", "court_ruling", "election",
                    "protest", "agreement", "death", "appointment")
_CLAUSE_END = re.compile(r",\s+(?:saying|as|after|while|which|who|where|amid|but|and)\b|[;:(]|\s[—–]\s")


@lru_cache(maxsize=65536)
def _ngram_type(ngram: str) -> str | None:
    for etype, rx in _TYPE_RE:
        if rx.fullmatch(ngram):
            return etype
    return None


_PRIORITY = {t: i for i, t in enumerate(TRIGGERS)}
# Alternatives of the trigger patterns that span words: 'held talks', 'taken into custody', ...
def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in pattern:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    return [*parts, "".join(cur)]


_MULTIWORD_ALTERNATIVES = [alt for p in TRIGGERS.values() for alt in _top_level_alternatives(p) if " " in alt]
_MULTIWORD = re.compile("|".join(rf"\b(?:{alt})\b" for alt in _MULTIWORD_ALTERNATIVES), re.IGNORECASE)
# The first word of each multi-word trigger: a sentence without one cannot hold any, and
# testing its words is cheaper than running the multi-word regex over it.
_MULTIWORD_FIRST = re.compile("|".join(alt.split(" ", 1)[0] for alt in _MULTIWORD_ALTERNATIVES))


def classify_sentence(sentence: str) -> str:
    """The most specific event type with a trigger in the sentence, or 'other'.

    Single words are looked up (memoised) instead of running every type's regex over the
    sentence; the few multi-word triggers ('held talks', 'shot dead') get one small regex."""
    rank = len(_PRIORITY)
    best = "other"
    # the triggers ignore case: lowered words are fewer distinct words to look up
    words = {w.lower() for w in _TOKEN.findall(sentence)}
    for word in words:
        etype = _ngram_type(word)
        if etype is not None and _PRIORITY[etype] < rank:
            best, rank = etype, _PRIORITY[etype]
    if not any(_MULTIWORD_FIRST.fullmatch(w.rpartition("-")[2]) for w in words):  # 'ex-' + 'called for'
        return best
    for m in _MULTIWORD.finditer(sentence):
        etype = _ngram_type(m.group())
        if etype is not None and _PRIORITY[etype] < rank:
            best, rank = etype, _PRIORITY[etype]
    return best


# 'REYKJAVIK, Iceland (AP) — ', 'May 19 (UPI) -- ': datelines are not part of what happened.
_DATELINE = re.compile(r"^(?:[A-Z][\w.,' ]{0,60}?\((?:[A-Z][\w ]{0,20})\)\s*|[A-Z][A-Z .,'-]{2,40}?\s*)[-—–]{1,2}\s*")


def _what(sentence: str) -> str:
    s = _DATELINE.sub("", sentence.strip()).strip("“”\"")
    m = _CLAUSE_END.search(s, 20)
    if m:
        s = s[: m.start()]
    words = s.rstrip(" .").split()
    return " ".join(words[:18])


def _people_places(doc: Doc, start: int, end: int) -> tuple[list[Participant], list[Place]]:
    who: list[Participant] = []
    where: list[Place] = []
    seen: set[int] = set()
    for m in doc.mentions:
        if m.start < start or m.entity < 0 or m.entity in seen:
            continue
        if m.start >= end:
            break
        e = doc.entities[m.entity]
        if e.kind == "person":
            who.append(Participant(name=e.name, role=e.role, country=e.country))
            seen.add(m.entity)
        elif e.kind == "place":
            if e.name in COUNTRY_NAMES and not _LOCATIVE.search(doc.text, max(0, m.start - 12), m.start):
                continue  # 'officials from Russia' does not place the event in Russia
            where.append(Place(name=e.name, country=e.country))
            seen.add(m.entity)
    return who, where


_LOCATIVE = re.compile(r"\b(?:in|at|inside|across|near|southern|northern|eastern|western|central|to)\s+$",
                       re.IGNORECASE)


def _city_first(places: list[Place]) -> list[Place]:
    return sorted(places, key=lambda p: p.name in COUNTRY_NAMES)


def _dateline_place(dateline: str | None) -> Place | None:
    if not dateline:
        return None
    name = dateline.strip().split(",")[0].strip()
    for city, country in CITIES.items():
        if same_name(city, name):
            return Place(name=city, country=country)
    title = name.title()
    return Place(name=title, country=COUNTRY_NAMES.get(title))


def _when(sentence: str, anchor: date | None) -> tuple[str | None, tuple[str, str] | None]:
    for hit in find_dates(sentence, anchor):
        if hit.day:
            return hit.day.isoformat(), None
        if hit.span:
            return None, (hit.span[0].isoformat(), hit.span[1].isoformat())
    return None, None


def find_events(doc: Doc, title: str, dateline: str | None, anchor: date | None,
                quotes: list[Quote]) -> list[ArticleEvent]:
    if not doc.sentences:
        return []
    text = doc.text
    lead_start, lead_end = doc.sentences[0]
    lead = text[lead_start:lead_end]
    etype = classify_sentence(lead)
    title_type = classify_sentence(title)
    if etype in ("other", "statement") and title_type not in ("other",):
        etype = title_type
    if etype == "other" and quotes:
        etype = "statement"
    who, where = _people_places(doc, lead_start, lead_end)
    # The first paragraph fills gaps of the lead sentence: a place, the people.
    p_start, p_end = doc.paragraphs[0]
    more_who, more_where = _people_places(doc, p_start, doc.paragraphs[min(2, len(doc.paragraphs) - 1)][1])
    if not who:
        who = more_who[:4]
    dl = _dateline_place(dateline)
    if dl and not any(p.name not in COUNTRY_NAMES for p in where) and not any(same_name(dl.name, p.name)
                                                                          for p in where):
        where.insert(0, dl)  # where it was reported from, when the lead names no city
    if not any(p.name not in COUNTRY_NAMES for p in where):
        where += [p for p in more_where if p.name not in COUNTRY_NAMES
                  and not any(same_name(p.name, q.name) for q in where)][:1]
    when, when_range = _when(lead, anchor)
    if when is None and when_range is None:
        when, when_range = _when(text[p_start:p_end], anchor)
    main = ArticleEvent(type=etype, what=_what(lead), who=who, where=_city_first(where)[:4], when=when,
                        when_range=when_range, quotes=quotes)
    events = [main]
    seen_types = {etype}
    q_starts = [q.start for q in doc.quotes]  # sorted, not overlapping
    for (s, e) in doc.sentences[1:16]:
        sentence = text[s:e]
        i = bisect_left(q_starts, e) - 1  # the last quote opening before the sentence ends
        if i >= 0 and doc.quotes[i].end > s:
            continue  # quoted words are claims, not reported events
        if not DATE_EXPR.search(sentence):
            continue  # without a time of its own it is background ('a ransomware attack on...')
        stype = classify_sentence(sentence)
        if stype in seen_types or stype not in _SECONDARY_TYPES:
            continue
        swho, swhere = _people_places(doc, s, e)
        if not swho and not swhere:
            continue
        swhen, srange = _when(sentence, anchor)
        events.append(ArticleEvent(type=stype, what=_what(sentence), who=swho, where=swhere,
                                   when=swhen, when_range=srange))
        seen_types.add(stype)
        if len(events) >= 4:
            break
    return events
