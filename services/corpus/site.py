"""What the local news sites show at a given moment: which article versions are out, the feeds
listing them and the pages behind them. No sockets here: `server.py` serves it over HTTP.

Articles come out in corpus order. Without a rate everything is out at once and every feed
lists all of its outlet's articles; with `rate` articles per second the n-th version comes out
n / rate seconds after the clock starts (the first feed request), and each feed lists its
outlet's `feed_size` most recent items. A revision replaces its article's page and feed item.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import OrderedDict
from dataclasses import dataclass, field

from newsdesk.corpus.build import Corpus, CorpusArticle
from newsdesk.corpus.feeds import feed_path, render_feed
from newsdesk.corpus.pages import render_page
from newsdesk.corpus.world import Outlet

HTML = "text/html; charset=utf-8"
ROBOTS = b"User-agent: *\nAllow: /\n"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    etag: str | None = None


def released_count(total: int, rate: float | None, elapsed: float | None) -> int:
    """How many article versions are out `elapsed` seconds after the clock started."""
    if rate is None:
        return total
    if elapsed is None:
        return 0
    return min(total, math.floor(elapsed * rate) + 1)


@dataclass
class Site:
    corpus: Corpus
    base_url: str = ""  # set by the server once its port is known
    rate: float | None = None
    feed_size: int | None = None  # None: every item (the default without a rate)
    released: int = 0
    latest: dict[str, int] = field(default_factory=dict)  # page path -> index of its newest version out
    by_outlet: dict[str, OrderedDict[str, None]] = field(default_factory=dict)  # slug -> paths, oldest first
    pages: OrderedDict[tuple[str, int], bytes] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        self.events = {e.id: e for e in self.corpus.events}
        self.outlets = {o.slug: o for o in self.corpus.outlets}
        self.feeds = {feed_path(o): o for o in self.corpus.outlets}
        if self.rate is None:
            self.advance(len(self.corpus.articles))

    def advance(self, count: int) -> None:
        """Brings articles out up to `count` (never takes any back)."""
        articles = self.corpus.articles
        for index in range(self.released, min(count, len(articles))):
            article = articles[index]
            self.latest[article.path] = index
            listed = self.by_outlet.setdefault(article.outlet.slug, OrderedDict())
            listed.pop(article.path, None)
            listed[article.path] = None  # most recent last: a revision moves up the feed
        self.released = max(self.released, min(count, len(articles)))

    def feed_items(self, outlet: Outlet) -> list[CorpusArticle]:
        paths = list(self.by_outlet.get(outlet.slug, {}))
        if self.feed_size is not None:
            paths = paths[-self.feed_size:]
        return [self.corpus.articles[self.latest[p]] for p in reversed(paths)]

    def page(self, article: CorpusArticle) -> bytes:
        key = (article.id, article.version)
        body = self.pages.get(key)
        if body is None:
            body = render_page(article, self.events[article.event]).encode("utf-8")
            self.pages[key] = body
            if len(self.pages) > 4096:  # bounded: a big corpus is rendered again on demand
                self.pages.popitem(last=False)
        return body

    def status(self) -> dict[str, object]:
        return {"released": self.released, "total": len(self.corpus.articles), "events": len(self.corpus.events),
                "rate": self.rate, "seed": self.corpus.seed}

    def get(self, path: str) -> Reply:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path in self.feeds:
            outlet = self.feeds[path]
            body = render_feed(outlet, self.feed_items(outlet), self.base_url).encode("utf-8")
            kind = "application/atom+xml" if outlet.feed == "atom" else "application/rss+xml"
            return Reply(200, f"{kind}; charset=utf-8", body, etag='"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        index = self.latest.get(path)
        if index is not None:
            return Reply(200, HTML, self.page(self.corpus.articles[index]))
        if path == "/robots.txt":
            return Reply(200, "text/plain; charset=utf-8", ROBOTS)
        if path == "/_status":
            return Reply(200, "application/json", json.dumps(self.status()).encode())
        if path in ("/", "/index.html"):
            links = "".join(f'<li><a href="{p}">{o.name}</a></li>' for p, o in self.feeds.items())
            return Reply(200, HTML, f"<!doctype html><title>newsdesk corpus</title><ul>{links}</ul>".encode())
        return Reply(404, "text/plain; charset=utf-8", b"not found\n")


def sources_toml(site: Site, *, seen: str = "kafka", interval: float = 1.0) -> str:
    """A fetcher configuration polling every feed of the site (loopback allowed, no politeness
    delay: the site is local and built for load)."""
    lines = [
        "# Generated by `newsdesk corpus serve`: every feed of the local corpus site.",
        f'seen = "{seen}"',
        "metrics_interval = 10",
        "",
        "[http]",
        'allow_networks = ["127.0.0.1/32"]',
        "per_host_delay = 0",
        "per_host_concurrency = 16",
        "max_connections = 16",
        "",
    ]
    for path, outlet in site.feeds.items():
        lines += [
            "[[sources]]",
            f'name = "{outlet.slug}"',
            'kind = "feed"',
            f'url = "{site.base_url}{path}"',
            f'outlet = "{outlet.name}"',
            'language = "en"',
            f"interval = {interval}",
            f"min_interval = {interval}",
            f"max_interval = {max(interval, 5.0)}",
            "max_items = 100000",
            "allow_private = true",
            "",
        ]
    return "\n".join(lines)
