"""How far a set of merged events is from what the demo manifest says a correct pipeline finds.

One checker for the end-to-end test, the offline test and `newsdesk up`, so they agree on
what "right" means. Pages are matched by the last segment of their URL path, places without
regard to accents or case.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from newsdesk.demo import Manifest
from newsdesk.records import Event


def fold(text: str) -> str:
    """Accent- and case-insensitive form, so 'Valparaíso' matches 'Valparaiso'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def page_key(url_or_path: str | None) -> str:
    return (url_or_path or "").rsplit("/", 1)[-1]


def problems(manifest: Manifest, events: Sequence[Event], key_of=lambda a: page_key(a.url), *,
             allow_splits: bool = False) -> list[str]:
    """Every way `events` differ from the manifest; empty when the pipeline got it all right.

    With `allow_splits`, an event reported in several pieces is tolerated (the deduper's recall
    is a quality figure) but every piece must still be pure and correctly dated; an over-merge
    or a lost page never is.
    """
    found: list[str] = []
    home = {key_of(a): e for e in events for a in e.articles}
    for label, facts in manifest.events.items():
        pages = [page_key(p.url_path) for p in manifest.pages_for(label)]
        missing = [p for p in pages if p not in home]
        if missing:
            found.append(f"{label}: pages never stored {missing}")
            continue
        holders = {home[p].event_id: home[p] for p in pages}
        if len(holders) != 1 and not allow_splits:
            found.append(f"{label}: split over {len(holders)} events")
            continue
        for event in holders.values():
            strays = {key_of(a) for a in event.articles} - set(pages)
            if strays:
                found.append(f"{label}: merged with pages of other events {sorted(strays)}")
            if event.when != facts.when:
                found.append(f"{label}: when {event.when}, expected {facts.when}")
        if len(holders) != 1:
            continue
        (event,) = holders.values()
        where = " ".join(fold(p.name) for p in event.where)
        for place in facts.where:
            if fold(place) not in where:
                found.append(f"{label}: where lacks {place} ({where})")
        who = [p.name for p in event.who]
        for name in facts.who:
            if who.count(name) != 1:
                found.append(f"{label}: who has {name} {who.count(name)} times ({who})")
        for quote in facts.quotes:
            hits = [q for q in event.quotes if fold(quote.contains) in fold(q.text)]
            if not any(quote.speaker in (q.speaker or "") and len(q.articles) >= quote.min_articles for q in hits):
                found.append(f"{label}: quote {quote.contains!r} by {quote.speaker} in >= {quote.min_articles} "
                             f"articles not found ({[(q.speaker, len(q.articles)) for q in hits]})")
    if not allow_splits and len({e.event_id for e in events}) != len(manifest.events):
        found.append(f"{len(events)} events, expected {len(manifest.events)}")
    return found
