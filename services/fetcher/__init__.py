"""The fetcher: sources (feeds, sitemaps, URL lists, a watched directory) polled politely,
articles fetched safely and published once to `news.articles.raw` through an injected
`Publish` callable (see publish.py and cli.py for the seam)."""

from newsdesk.fetcher.publish import MemoryPublisher, Publish, PublisherFactory, record_key

__all__ = ["MemoryPublisher", "Publish", "PublisherFactory", "record_key"]
