"""Sitemaps (urlset, with the Google News extension) and sitemap indexes, read with lxml
iterparse so a 50,000-URL sitemap is streamed, not held as a tree."""

from __future__ import annotations

import io
from dataclasses import dataclass

from lxml import etree

from newsdesk.fetcher.body import FEED_TYPES
from newsdesk.fetcher.config import SourceConfig
from newsdesk.fetcher.errors import FetchError
from newsdesk.fetcher.sources.base import Item, PollContext, PollResult, item_fingerprint
from newsdesk.fetcher.sources.feeds import FeedError
from newsdesk.fetcher.urls import canonical_url
from newsdesk.records import FeedItem

#: Child sitemaps read per poll from an index (the most recent first, when lastmod says).
MAX_CHILDREN = 10


@dataclass
class SitemapEntry:
    loc: str
    lastmod: str | None = None
    title: str | None = None
    published_at: str | None = None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(data: bytes) -> tuple[str, list[SitemapEntry]]:
    """('urlset' | 'sitemapindex', entries). Raises FeedError on a broken document."""
    kind = ""
    entries: list[SitemapEntry] = []
    current: dict[str, str] = {}
    try:
        for event, el in etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                                         no_network=True, huge_tree=False, load_dtd=False):
            name = _local(el.tag)
            if event == "start":
                if not kind:
                    kind = name
                    if kind not in ("urlset", "sitemapindex"):
                        raise FeedError(f"not a sitemap: root element <{kind}>")
                continue
            if name in ("url", "sitemap"):
                if current.get("loc"):
                    entries.append(SitemapEntry(current["loc"], current.get("lastmod"),
                                                current.get("title"), current.get("publication_date")))
                current = {}
                el.clear()  # keeps memory flat on big sitemaps
                continue
            if name in ("loc", "lastmod", "title", "publication_date") and el.text:
                current.setdefault(name, el.text.strip())
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed sitemap XML: {exc}") from None
    if not kind:
        raise FeedError("empty sitemap")
    return kind, entries


@dataclass
class SitemapSource:
    config: SourceConfig

    async def poll(self, ctx: PollContext) -> PollResult:
        assert self.config.url
        resp = await ctx.get_if_changed(self.config.url, FEED_TYPES)
        if resp is None:
            return PollResult(not_modified=True)
        kind, entries = parse_sitemap(resp.body)
        result = PollResult()
        if kind == "sitemapindex":
            children = sorted(entries, key=lambda e: e.lastmod or "", reverse=True)[:MAX_CHILDREN]
            entries = []
            for child in children:
                url = canonical_url(child.loc, resp.url)
                if url is None:
                    continue
                try:
                    child_resp = await ctx.get_if_changed(url, FEED_TYPES)
                    if child_resp is None:
                        continue
                    child_kind, child_entries = parse_sitemap(child_resp.body)
                except (FetchError, FeedError) as exc:
                    result.problems.append(f"child sitemap {url}: {exc}")
                    continue
                if child_kind == "urlset":  # indexes of indexes are not followed: bounded work
                    entries.extend(child_entries)
        entries.sort(key=lambda e: e.published_at or e.lastmod or "", reverse=True)
        for entry in entries[: self.config.max_items]:
            url = canonical_url(entry.loc, resp.url)
            if url is None:
                continue
            feed = FeedItem(title=entry.title, published_at=entry.published_at)
            result.items.append(Item(url=url, feed=feed,
                                     fingerprint=item_fingerprint(url, entry.title, entry.published_at,
                                                                  entry.lastmod)))
        return result
