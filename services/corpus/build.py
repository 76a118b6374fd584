"""A whole corpus: events, the articles outlets publish about them, in the order they appear.

`generate(events, seed)` is pure and deterministic: the same arguments give the same corpus,
byte for byte, on any machine. Per event, several newsrooms write their own stories; often
a news agency writes one too, which one or two newsrooms republish nearly verbatim (wire
copies); some stories are revised later under the same URL (updates). Every article carries
the id of the event it reports: the ground truth the deduper is scored against.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from newsdesk.corpus.events import EventSpec, plan_events
from newsdesk.corpus.stories import Story, republish, revise, write_story
from newsdesk.corpus.world import AGENCIES, NEWSROOMS, Outlet
from newsdesk.fetcher.urls import article_id

DEFAULT_START = date(2025, 3, 3)
WIRE_SHARE = 0.45  # events an agency covers, republished by one or two newsrooms
UPDATE_SHARE = 0.15  # stories revised later under the same URL
REPORTS = (2, 2, 3, 3, 3, 4, 4, 5, 6)  # own stories per event (newsrooms)
SECTIONS = {"meeting": "world", "sanction": "world", "protest": "world", "disaster": "world",
            "court_ruling": "politics", "election": "politics", "accident": "world", "arrest": "world",
            "business": "business", "appointment": "politics"}
EARLY = timedelta(hours=5)  # stories this soon after a disaster have lower tolls than later ones


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    id: str  # what the fetcher derives from the canonical URL
    url: str  # canonical URL on the outlet's own host
    path: str  # where the local server serves it
    outlet: Outlet
    event: str  # ground truth: the id of the event the article reports
    kind: str  # 'report' (own story), 'wire' (agency story) or 'copy' (a newsroom's copy of one)
    version: int  # 1, then 2 for the revision under the same URL
    published: datetime
    modified: datetime | None
    story: Story
    copy_of: str | None = None  # id of the agency story a copy reproduces
    section: str = "world"
    related: tuple[tuple[str, str], ...] = ()  # (title, url) of the outlet's other stories, for page furniture

    @property
    def released(self) -> datetime:
        """When this version appears: publication, or the revision time."""
        return self.modified or self.published


@dataclass(frozen=True)
class Corpus:
    seed: int
    events: tuple[EventSpec, ...]
    articles: tuple[CorpusArticle, ...]  # in order of appearance; revisions come after their original
    outlets: tuple[Outlet, ...] = field(default=())

    def truth(self) -> dict[str, str]:
        """Article id -> event id."""
        return {a.id: a.event for a in self.articles}

    def event(self, event_id: str) -> EventSpec:
        return next(e for e in self.events if e.id == event_id)


def _slug(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return "-".join(words[:9]) or "story"


def _numbers(event: EventSpec, published: datetime, final: bool) -> dict[str, int]:
    numbers = dict(event.numbers)
    when = datetime.combine(event.date, datetime.min.time(), tzinfo=UTC) + timedelta(hours=event.hour)
    if event.type in ("disaster", "accident") and not final and published - when < EARLY:
        # First reports count fewer victims than later ones: the facts outlets disagree on.
        numbers["dead"] = round(numbers["dead"] * 0.6)
        numbers["injured"] = round(numbers["injured"] * 0.5)
    return numbers


def _event_articles(event: EventSpec, seed: int) -> list[CorpusArticle]:
    rng = random.Random(f"newsdesk-corpus:{seed}:{event.id}")
    when = datetime.combine(event.date, datetime.min.time(), tzinfo=UTC) + timedelta(hours=event.hour)
    own = rng.choice(REPORTS)
    wire = rng.random() < WIRE_SHARE
    copies = rng.randint(1, 2) if wire else 0
    newsrooms = rng.sample(NEWSROOMS, k=own + copies)
    drafts: list[tuple[Outlet, str, datetime, Story, str | None]] = []
    if wire:
        agency = rng.choice(AGENCIES)
        at = when + timedelta(minutes=rng.randint(20, 120))
        original = write_story(event, agency, at, _numbers(event, at, False), rng)
        drafts.append((agency, "wire", at, original, None))
        for outlet in newsrooms[own:]:
            copy_at = at + timedelta(minutes=rng.randint(10, 180))
            drafts.append((outlet, "copy", copy_at, republish(original, event, agency, outlet, copy_at,
                                                             _numbers(event, at, False), rng), "wire"))
    for outlet in newsrooms[:own]:
        at = when + timedelta(minutes=rng.randint(30, 20 * 60))
        revised_later = rng.random() < UPDATE_SHARE
        numbers = _numbers(event, when if revised_later else at, False)
        drafts.append((outlet, "report", at, write_story(event, outlet, at, numbers, rng),
                       "update" if revised_later else None))
    articles: list[CorpusArticle] = []
    wire_id = None
    for outlet, kind, at, story, mark in drafts:
        section = SECTIONS[event.type]
        path = f"/{section}/{at:%Y/%m/%d}/{_slug(story.headline)}-{event.id[2:]}.html"
        url = f"https://www.{outlet.host}{path}"
        article = CorpusArticle(id=article_id(url), url=url, path=f"/{outlet.slug}{path}", outlet=outlet,
                                event=event.id, kind=kind, version=1, published=at, modified=None, story=story,
                                copy_of=wire_id if kind == "copy" else None, section=section)
        if kind == "wire":
            wire_id = article.id
        articles.append(article)
        if mark == "update":
            later = at + timedelta(minutes=rng.randint(90, 9 * 60))
            revised = revise(story, event, outlet, later, _numbers(event, later, True), rng)
            articles.append(replace(article, version=2, modified=later, story=revised))
    return articles


def _with_related(articles: list[CorpusArticle], seed: int) -> list[CorpusArticle]:
    """Each page links a few of its outlet's earlier stories about other events, as sites do."""
    recent: dict[str, list[CorpusArticle]] = defaultdict(list)
    out = []
    for article in articles:
        rng = random.Random(f"newsdesk-corpus-related:{seed}:{article.id}:{article.version}")
        pool = [a for a in recent[article.outlet.slug][-30:] if a.event != article.event]
        picks = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
        out.append(replace(article, related=tuple((a.story.headline, a.url) for a in picks)))
        if article.version == 1:
            recent[article.outlet.slug].append(article)
    return out


def generate(events: int = 200, seed: int = 7, start: date = DEFAULT_START) -> Corpus:
    """`events` events from `start` on and every article about them, in order of appearance."""
    if events < 0:
        raise ValueError("events must be >= 0")
    specs = plan_events(events, seed, start)
    articles = [a for spec in specs for a in _event_articles(spec, seed)]
    articles.sort(key=lambda a: (a.released, a.id, a.version))
    used = {a.outlet.slug for a in articles}
    outlets = tuple(o for o in (*AGENCIES, *NEWSROOMS) if o.slug in used)
    return Corpus(seed=seed, events=specs, articles=tuple(_with_related(articles, seed)), outlets=outlets)
