"""The extractor's pure core: extract(clean) -> ExtractedArticle."""

from __future__ import annotations

from newsdesk.records import CleanArticle, ExtractedArticle


def extract(article: CleanArticle) -> ExtractedArticle:
    # placeholder: replaced by the real extractor
    return ExtractedArticle(**article.model_dump())
