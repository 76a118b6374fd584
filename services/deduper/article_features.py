"""One incoming article reduced, once, to everything the deduper keeps of it (a `Member`)."""

from __future__ import annotations

import heapq
import re
import sys
from datetime import date

from newsdesk.deduper.config import DedupConfig
from newsdesk.deduper.model import Member, as_sketch
from newsdesk.deduper.names import name_key, person_key
from newsdesk.deduper.text_features import content_hash, features, headline_and_body
from newsdesk.deduper.vocabulary import DocumentFrequencies, tfidf
from newsdesk.records import ExtractedArticle

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# A count followed by what was counted: the figures outlets most often disagree on. The count
# is `\b(\d{1,3}(?:,\d{3})+|\d{1,6})` written to start with a digit, and the word boundary checked
# behind the first one: a pattern that opens with a character class lets the regex engine skip to
# the next digit (37% of the time on the ECB+ articles).
_COUNT = re.compile(
    r"(\d(?<!\w\d)(?:\d{0,2}(?:,\d{3})+|\d{0,5}))\s+(?:(?:people|persons|were|have|had|been)\s+){0,3}"
    r"(dead|killed|injured|wounded|arrested|missing|died|hurt|evacuated|detained)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
LEAD_CHARS = 300
MAX_QUOTES = 40
MAX_NAMES = 60
#: Longer than any real name (or alias, or agency): such a string is debris, not a name.
MAX_NAME_CHARS = 300
MAX_ALIASES = 10
MAX_AGENCIES = 20
#: Name-like terms kept per article as its protagonists: few, so that they stay specific.
SALIENT_NAMES = 4


def iso_date(value: str | None) -> str | None:
    """The calendar date an ISO string starts with, or None when it is not a real date."""
    if not value:
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _lead(body: str) -> str:
    for paragraph in body.splitlines():
        paragraph = paragraph.strip()
        if len(paragraph) >= 40:
            if len(paragraph) <= LEAD_CHARS:
                return paragraph
            out = ""
            for sentence in _SENTENCE.split(paragraph[: LEAD_CHARS * 2]):
                if out and len(out) + len(sentence) + 1 > LEAD_CHARS:
                    break
                out = f"{out} {sentence}".strip()
            return out[:LEAD_CHARS]
    return body.strip()[:LEAD_CHARS]


def _claims(text: str) -> dict[str, str]:
    claims: dict[str, str] = {}
    for match in _COUNT.finditer(text):
        topic = match[2].lower()
        claims.setdefault(topic, match[1].replace(",", ""))
    return claims


def _name(value: str | None) -> bool:
    return bool(value) and len(value) <= MAX_NAME_CHARS and bool(name_key(value))  # type: ignore[arg-type]


def _aliases(values: list[str]) -> list[str]:
    return [a for a in values if len(a) <= MAX_NAME_CHARS][:MAX_ALIASES]


def _people(article: ExtractedArticle) -> list[dict]:
    # At most MAX_NAMES entries, however many entities an extractor lists.
    found: dict[str, dict] = {}
    main = article.events[0] if article.events else None
    for entity in article.entities:
        if len(found) >= MAX_NAMES:
            break
        if entity.type == "person" and entity.name not in found and _name(entity.name):
            found[entity.name] = {"name": entity.name, "key": person_key(entity.name),
                                  "aliases": _aliases(entity.aliases), "role": entity.role,
                                  "country": entity.country}
    for participant in main.who if main else []:
        entry = found.get(participant.name)
        if entry is None and len(found) < MAX_NAMES and _name(participant.name):
            entry = found[participant.name] = {"name": participant.name, "key": person_key(participant.name),
                                               "aliases": [], "role": None, "country": None}
        if entry is not None:
            entry["role"] = entry["role"] or participant.role
            entry["country"] = entry["country"] or participant.country
    return list(found.values())


def _places(article: ExtractedArticle) -> list[dict]:
    found: dict[str, dict] = {}
    main = article.events[0] if article.events else None
    # The main event's places come first: they are where it happened, not just places mentioned.
    for place in main.where if main else []:
        if len(found) >= MAX_NAMES:
            break
        if place.name not in found and _name(place.name):
            found[place.name] = {"name": place.name, "country": place.country, "aliases": [], "main": True}
    for entity in article.entities:
        if len(found) >= MAX_NAMES:
            break
        if entity.type == "place" and entity.name not in found and _name(entity.name):
            found[entity.name] = {"name": entity.name, "country": entity.country,
                                  "aliases": _aliases(entity.aliases), "main": False}
    dateline = article.dateline.title() if article.dateline else None
    if dateline and len(found) < MAX_NAMES and dateline not in found and _name(dateline):
        found[dateline] = {"name": dateline, "country": None, "aliases": [], "main": False}
    return list(found.values())


def _quotes(article: ExtractedArticle) -> list[dict]:
    seen: dict[str, dict] = {}
    main = article.events[0] if article.events else None
    for quote in [*article.quotes, *(main.quotes if main else [])]:
        if len(seen) >= MAX_QUOTES:
            break
        text = " ".join(quote.text[:4000].split())
        if len(text) >= 8 and text not in seen:
            seen[text] = {"text": text[:1000], "speaker": quote.speaker}
    return list(seen.values())


def article_hash(article: ExtractedArticle) -> str:
    """What makes a redelivery a redelivery: same text, metadata and extraction."""
    main = article.events[0] if article.events else None
    return content_hash(article.title, article.text, article.published_at, article.url,
                        main.model_dump_json() if main else None,
                        ",".join(sorted(e.name for e in article.entities)))


def article_member(article: ExtractedArticle, freqs: DocumentFrequencies, config: DedupConfig,
                   hash: str | None = None) -> Member:
    """Tokenises once, learns the article's terms into `freqs`, and keeps what the event needs.

    The caller owns the learning from then on: an article that does not stay in the state must
    have its terms removed again (`freqs.remove(member.df_terms())`).
    """
    title, body = headline_and_body(article.title, article.text or "", config.max_feature_chars)
    counts, name_counts, copy_sketch = features(title, body)
    freqs.add(map(sys.intern, counts))  # the state keeps one string per term, shared with vectors
    salient = heapq.nlargest(SALIENT_NAMES, name_counts.items(),
                             key=lambda kv: (kv[1] * freqs.idf(kv[0]), kv[0]))
    main = article.events[0] if article.events else None
    event_date = iso_date(main.when) if main else None
    vec = tfidf(counts, freqs, config.terms_per_article)
    return Member(
        id=article.id,
        hash=hash or article_hash(article),
        vec=vec,
        sketch=as_sketch(copy_sketch),
        url=article.canonical_url or article.url,
        source=article.source,
        outlet=article.outlet or article.source,
        title=title or None,
        published_at=article.published_at,
        pub_date=iso_date(article.published_at),
        date=event_date,
        type=main.type if main else "other",
        lead=(main.what.strip()[:LEAD_CHARS] if main and main.what.strip() else _lead(body)),
        agencies=sorted({a for a in article.agencies if len(a) <= MAX_NAME_CHARS})[:MAX_AGENCIES],
        people=_people(article),
        places=_places(article),
        quotes=_quotes(article),
        claims=_claims(body),
        names=[name for name, _ in salient],
        other_terms=" ".join(t for t in counts if t not in vec),
    ).compact()
