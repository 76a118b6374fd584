"""Source plug-ins: one module per kind, all following `base.Source`."""

from __future__ import annotations

from newsdesk.fetcher.config import SourceConfig
from newsdesk.fetcher.sources.base import Item, PollContext, PollResult, Source
from newsdesk.fetcher.sources.directory import DirectorySource
from newsdesk.fetcher.sources.feeds import FeedSource
from newsdesk.fetcher.sources.sitemaps import SitemapSource
from newsdesk.fetcher.sources.urllist import UrlListSource

KINDS: dict[str, type] = {
    "feed": FeedSource, "rss": FeedSource, "atom": FeedSource, "jsonfeed": FeedSource,
    "sitemap": SitemapSource, "urls": UrlListSource, "directory": DirectorySource,
}


def make_source(config: SourceConfig) -> Source:
    source: Source = KINDS[config.kind](config)
    return source


__all__ = ["KINDS", "Item", "PollContext", "PollResult", "Source", "make_source"]
