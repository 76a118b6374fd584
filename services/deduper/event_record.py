"""A cluster of member articles rendered as the published `Event` record.

Rebuilt from the members on every change (events hold at most `max_articles` members), so the
record never drifts from the state it is derived from.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from functools import lru_cache
from typing import Any

from newsdesk.deduper.kernels import packed_dot
from newsdesk.deduper.model import Cluster, Member
from newsdesk.deduper.names import name_key, person_key, preferred_spelling, strip_office
from newsdesk.deduper.profile import majority
from newsdesk.deduper.stopwords import STOPWORDS
from newsdesk.deduper.text_features import words
from newsdesk.records import (
    Event,
    EventArticle,
    EventFact,
    EventPerson,
    EventPlace,
    EventQuote,
    EventSource,
)

MAX_QUOTES_SCANNED = 400
QUOTE_CONTAINMENT = 0.6


def _first_non_null(values: list[Any]) -> Any:
    return majority([v for v in values if v])


class PeopleResolver:
    """Groups the spellings of each person across articles and names each group canonically."""

    def __init__(self, members: list[Member]) -> None:
        mentions: list[tuple[str, dict[str, Any]]] = [(m.id, p) for m in members for p in m.people]
        full_keys = {person_key(p["name"]) for _, p in mentions if len(person_key(p["name"]).split()) == 2}
        by_surname: dict[str, list[str]] = defaultdict(list)
        for key in sorted(full_keys):
            by_surname[key.split()[0]].append(key)
        self._by_surname = by_surname
        self.groups: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for article_id, person in mentions:
            self.groups[self.key(person["name"])].append((article_id, person))
        self.canonical: dict[str, str] = {}
        for key, items in self.groups.items():
            # One vote per article, arrival order; an office glued to the name is not part of it.
            per_article = dict.fromkeys((a, strip_office(p["name"])) for a, p in items)
            # A full name beats a bare surname whatever the counts: it names the person unambiguously.
            full = [(name, 1) for _, name in per_article if len(name.split()) > 1]
            self.canonical[key] = preferred_spelling(full or [(name, 1) for _, name in per_article])

    def key(self, name: str) -> str:
        key = person_key(name)
        if len(key.split()) == 1 and len(self._by_surname.get(key, [])) == 1:
            return self._by_surname[key][0]  # "Lavrov" is the one Lavrov of this event
        return key

    def resolve(self, name: str | None) -> str | None:
        if not name or not name_key(name):
            return name
        return self.canonical.get(self.key(name), name)

    def people(self) -> list[EventPerson]:
        out: list[tuple[int, int, EventPerson]] = []
        for order, (key, items) in enumerate(self.groups.items()):
            canonical = self.canonical[key]
            aliases = {p["name"] for _, p in items} | {a for _, p in items for a in p.get("aliases") or []}
            articles = sorted({a for a, _ in items})
            out.append((-len(articles), order, EventPerson.model_construct(
                name=canonical,
                role=_first_non_null([p.get("role") for _, p in items]),
                country=_first_non_null([p.get("country") for _, p in items]),
                aliases=sorted(a for a in aliases if a != canonical),
                articles=articles,
            )))
        return [person for *_, person in sorted(out, key=lambda t: (t[0], t[1]))]


def _places(members: list[Member]) -> list[EventPlace]:
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for m in members:
        for place in m.places:
            groups[name_key(place["name"])].append((m.id, place))
    ranked = []
    for order, items in enumerate(groups.values()):
        articles = sorted({a for a, _ in items})
        per_article = dict.fromkeys((a, p["name"]) for a, p in items)  # one vote per article, arrival order
        canonical = preferred_spelling((name, 1) for _, name in per_article)
        aliases = {p["name"] for _, p in items} | {a for _, p in items for a in p.get("aliases") or []}
        main = sum(1 for _, p in items if p.get("main"))
        ranked.append(((-main, -len(articles), order), EventPlace.model_construct(
            name=canonical,
            country=_first_non_null([p.get("country") for _, p in items]),
            aliases=sorted(a for a in aliases if a != canonical),
            articles=articles,
        )))
    return [place for _, place in sorted(ranked, key=lambda t: t[0])]


@lru_cache(maxsize=16384)  # each rebuild of an event meets the same quotes again
def _quote_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text, 400) if w not in STOPWORDS and len(w) > 1)


def _quotes(members: list[Member], people: PeopleResolver) -> list[EventQuote]:
    """One entry per quote however many outlets carry it, matched on shared words (outlets trim
    and translate quotes, so exact text rarely agrees)."""
    groups: list[dict[str, Any]] = []
    word_index: dict[str, list[int]] = defaultdict(list)
    scanned = 0
    for m in members:
        for quote in m.quotes:
            scanned += 1
            if scanned > MAX_QUOTES_SCANNED:
                break
            qwords = _quote_words(quote["text"])
            speaker = people.resolve(quote.get("speaker"))
            overlap: dict[int, int] = {}
            for w in qwords:
                for g in word_index.get(w, ()):
                    overlap[g] = overlap.get(g, 0) + 1
            target = None
            # Ties go to the older group, not to whichever the set of words happened to list first.
            for g, shared in heapq.nsmallest(5, overlap.items(), key=lambda kv: (-kv[1], kv[0])):
                group = groups[g]
                smaller = min(len(qwords), len(group["words"]))
                compatible = not speaker or not group["speakers"] or speaker in group["speakers"]
                if smaller >= 3 and shared / smaller >= QUOTE_CONTAINMENT and compatible:
                    target = g
                    break
            if target is None:
                target = len(groups)
                groups.append({"texts": [], "words": set(), "speakers": [], "articles": []})
            group = groups[target]
            group["texts"].append(quote["text"])
            for w in qwords - group["words"]:
                word_index[w].append(target)
            group["words"] |= qwords
            if speaker:
                group["speakers"].append(speaker)
            if m.id not in group["articles"]:
                group["articles"].append(m.id)
    ranked = sorted(range(len(groups)), key=lambda g: (-len(groups[g]["articles"]), g))
    return [EventQuote.model_construct(text=max(groups[g]["texts"], key=len),  # the least trimmed version
                       speaker=majority(groups[g]["speakers"]),
                       articles=groups[g]["articles"]) for g in ranked]


def _facts(members: list[Member]) -> list[EventFact]:
    """Claims on which the articles differ, each value with the articles that make it."""
    claims: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for m in members:
        if m.date:
            claims["date"][m.date].append(m.id)
        for topic, value in m.claims.items():
            claims[topic][value].append(m.id)
    facts: list[EventFact] = []
    for topic, values in claims.items():
        if len(values) > 1:
            facts.extend(EventFact.model_construct(topic=topic, claim=value, articles=ids)
                         for value, ids in values.items())
    return facts


def _sources(members: list[Member]) -> list[EventSource]:
    found: dict[tuple[str, str], list[str]] = {}
    for m in members:
        if m.outlet:
            found.setdefault((m.outlet, "outlet"), []).append(m.id)
        for agency in m.agencies:
            found.setdefault((agency, "agency"), []).append(m.id)
    return [EventSource.model_construct(name=name, kind=kind, articles=ids) for (name, kind), ids in found.items()]  # type: ignore[arg-type]


def _when(members: list[Member]) -> tuple[str | None, list[str]]:
    when = majority([m.date for m in members if m.date])
    if when:
        return when, [m.id for m in members if m.date == when]
    # No article dates the event itself: the publication day is the best proxy there is.
    when = majority([m.pub_date for m in members if m.pub_date])
    return when, [m.id for m in members if when and m.pub_date == when]


def event_type(members: list[Member]) -> str:
    """The event's type: its articles' most common one other than "other"."""
    return majority([m.type for m in members if m.type != "other"]) or "other"


def build_event(cluster: Cluster) -> Event:
    members = cluster.members
    originals = [m for m in members if m.title] or members
    position = {id(m): i for i, m in enumerate(members)}
    central = max(originals, key=lambda m: (packed_dot(m.packed, cluster.packed), -position[id(m)]))
    people = PeopleResolver(members)
    when, support = _when(members)
    # model_construct: every value comes from state built out of validated articles, and
    # validating a large event on every change would cost more than the clustering itself.
    return Event.model_construct(
        event_id=cluster.event_id,
        version=cluster.version,
        title=central.title,
        summary=central.lead or None,
        type=event_type(members),  # type: ignore[arg-type]
        when=when,
        when_support=support,
        where=_places(members),
        who=people.people(),
        quotes=_quotes(members, people),
        facts=_facts(members),
        sources=_sources(members),
        articles=[EventArticle.model_construct(id=m.id, url=m.url, source=m.outlet, title=m.title,
                                               published_at=m.published_at, duplicate_of=m.duplicate_of)
                  for m in members],
        overflow=cluster.overflow,
        first_seen=cluster.first_seen,
        updated_at=cluster.updated_at,
    )
