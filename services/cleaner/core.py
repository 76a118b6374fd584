"""The cleaner's pure core: clean(raw) -> CleanArticle."""

from __future__ import annotations

from newsdesk.records import CleanArticle, RawArticle


def clean(raw: RawArticle) -> CleanArticle:
    # placeholder: replaced by the real cleaner
    return CleanArticle(id=raw.id, url=raw.url, source=raw.source, title=raw.title,
                        published_at=raw.published_at, text=raw.body)
