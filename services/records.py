"""The record types that travel on the topics, one per topic.

Each model here is the single definition of its record: `schemas/` holds the JSON Schema
exported from it (`newsdesk schemas export`), and a test keeps the two in step. Services
validate their input against these models; a record that does not fit goes to the
dead-letter topic with the validation error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class Record(BaseModel):
    """Base for every topic record: unknown fields are kept, so an older service passes
    through what a newer producer added instead of silently dropping it."""

    model_config = ConfigDict(extra="allow", frozen=False, str_strip_whitespace=False)


# --- raw articles: news.articles.raw ---------------------------------------------------


class FeedItem(Record):
    """What the feed said about an item, carried with the page fetched for it."""

    title: str | None = None
    published_at: str | None = None
    author: str | None = None
    summary: str | None = None


class RawArticle(Record):
    """An article as fetched: the page or text, untouched, with where it came from."""

    id: str = Field(min_length=1, max_length=512, description="Stable article id (hash of the canonical URL).")
    url: str | None = Field(default=None, description="Canonical URL of the article.")
    source: str | None = Field(default=None, description="Name of the source (feed, list, directory).")
    outlet: str | None = Field(default=None, description="Publisher, e.g. 'AP' or 'Deutsche Welle'.")
    title: str | None = None
    published_at: str | None = Field(default=None, description="Publication time as given, ISO 8601 preferred.")
    language: str | None = Field(default=None, description="Language hint from the source config.")
    content_type: Literal["text/plain", "text/html"] = "text/plain"
    body: str = Field(description="The page (HTML) or extracted text with its junk still in it.")
    final_url: str | None = Field(default=None, description="URL after redirects.")
    status: int | None = Field(default=None, description="HTTP status of the fetch.")
    fetched_at: str | None = Field(default=None, description="When the fetcher got it (ISO 8601, UTC).")
    feed: FeedItem | None = None
    is_update: bool = Field(default=False, description="Same URL seen before with different content.")


# --- clean articles: news.articles.clean -----------------------------------------------

RemovalReason = Literal[
    "ad",
    "navigation",
    "widget",
    "gallery",
    "caption",
    "credit",
    "video",
    "related",
    "appeal",
    "copyright",
    "signoff",
    "contributor",
    "separator",
    "title",
    "dateline",
    "byline",
    "share",
    "template",
    "boilerplate",
]


class Removal(Record):
    """One piece taken out of the body, and why (see docs/cleaning.md for the vocabulary)."""

    text: str
    reason: RemovalReason


class Image(Record):
    src: str | None = None
    caption: str | None = None
    credit: str | None = None


class CleanArticle(Record):
    """The article's own text, one paragraph per line, with its metadata and an audit of removals."""

    id: str = Field(min_length=1, max_length=512)
    url: str | None = None
    source: str | None = None
    outlet: str | None = None
    title: str | None = None
    published_at: str | None = Field(default=None, description="ISO 8601 date or datetime.")
    modified_at: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    text: str = Field(description="Clean body, one paragraph per line.")
    authors: list[str] = Field(default_factory=list)
    dateline: str | None = Field(default=None, description="Place of the dateline, e.g. 'REYKJAVIK'.")
    agencies: list[str] = Field(default_factory=list, description="Agencies credited (sign-offs, bylines).")
    contributors: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    removed: list[Removal] = Field(default_factory=list)
    fetched_at: str | None = None
    is_update: bool = False
    warnings: list[str] = Field(default_factory=list, description="Why the result may be poor (no body...).")


# --- extracted articles: news.articles.extracted ---------------------------------------

EntityType = Literal["person", "organization", "place"]

EventType = Literal[
    "meeting",
    "statement",
    "sanction",
    "attack",
    "election",
    "agreement",
    "protest",
    "disaster",
    "court_ruling",
    "arrest",
    "accident",
    "death",
    "appointment",
    "business",
    "other",
]


class Entity(Record):
    name: str = Field(description="Canonical name.")
    type: EntityType
    aliases: list[str] = Field(default_factory=list, description="Other spellings and forms seen.")
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    mentions: int = 1


class Quote(Record):
    text: str
    speaker: str | None = Field(default=None, description="Canonical name of the speaker, if known.")


class Participant(Record):
    name: str
    role: str | None = None
    country: str | None = None


class Place(Record):
    name: str
    country: str | None = None


class ArticleEvent(Record):
    type: EventType = "other"
    what: str = ""
    who: list[Participant] = Field(default_factory=list)
    where: list[Place] = Field(default_factory=list)
    when: str | None = Field(default=None, description="ISO date, or null when nothing anchors it.")
    when_range: tuple[str, str] | None = Field(default=None, description="For vague times ('last month').")
    quotes: list[Quote] = Field(default_factory=list)


class ExtractedArticle(CleanArticle):
    """A clean article with who/what/where/when and quotes; events[0] is the main event."""

    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[ArticleEvent] = Field(default_factory=list)


# --- merged events: news.events (compacted, key = event_id) ---------------------------


class EventArticle(Record):
    id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published_at: str | None = None
    duplicate_of: str | None = Field(default=None, description="Id of the article this one copies.")


class EventPerson(Record):
    name: str
    type: EntityType = "person"
    role: str | None = None
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)


class EventPlace(Record):
    name: str
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)


class EventQuote(Record):
    text: str
    speaker: str | None = None
    articles: list[str] = Field(default_factory=list)


class EventFact(Record):
    """A claim on which the outlets differ, kept with who said what."""

    topic: str
    claim: str
    articles: list[str] = Field(default_factory=list)


class EventSource(Record):
    name: str
    kind: Literal["outlet", "agency"] = "outlet"
    articles: list[str] = Field(default_factory=list)


class Event(Record):
    """One real-world event merged across outlets; every change bumps `version`."""

    event_id: str
    version: int = Field(ge=1)
    title: str | None = None
    summary: str | None = None
    type: EventType = "other"
    when: str | None = Field(default=None, description="ISO date of the event.")
    when_support: list[str] = Field(default_factory=list, description="Articles whose dates back `when`.")
    where: list[EventPlace] = Field(default_factory=list)
    who: list[EventPerson] = Field(default_factory=list)
    quotes: list[EventQuote] = Field(default_factory=list)
    facts: list[EventFact] = Field(default_factory=list)
    sources: list[EventSource] = Field(default_factory=list)
    articles: list[EventArticle] = Field(default_factory=list)
    overflow: int = Field(default=0, ge=0, description="Near-copies beyond the article cap: counted, not listed.")
    first_seen: str
    updated_at: str


# --- dead letters: news.deadletter -----------------------------------------------------


class DeadLetter(Record):
    """A record a stage could not handle, with enough to replay it by hand."""

    stage: str = Field(description="fetcher, cleaner, extractor, deduper or sink.")
    topic: str | None = Field(default=None, description="Topic the record was read from.")
    partition: int | None = None
    offset: int | None = None
    key: str | None = Field(default=None, description="Original key, base64.")
    error: str = Field(description="What went wrong, e.g. the validation error.")
    error_type: str = Field(description="invalid_json, invalid_utf8, invalid_record, too_large, stage_error...")
    original: str = Field(description="The original bytes, base64.")
    original_size: int
    failed_at: str


RECORD_TYPES: dict[str, type[Record]] = {
    "raw-article": RawArticle,
    "clean-article": CleanArticle,
    "extracted-article": ExtractedArticle,
    "event": Event,
    "dead-letter": DeadLetter,
}
