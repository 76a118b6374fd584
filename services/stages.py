"""How a record of any stage is brought forward to the stage a caller needs.

The offline commands accept raw, clean or extracted records, and the stream agents read one
kind each; both go through these functions so they run the very same code.
"""

from __future__ import annotations

from typing import Any

from newsdesk.records import CleanArticle, ExtractedArticle, RawArticle
from newsdesk.serde import validate


def kind_of(obj: dict[str, Any]) -> str:
    """Which record an input line is: 'extracted', 'clean' or 'raw'."""
    if "body" in obj:
        return "raw"
    if "entities" in obj or "events" in obj:
        return "extracted"
    if "text" in obj:
        return "clean"
    return "raw"  # validation as a raw article names what is missing


def to_clean(obj: dict[str, Any]) -> CleanArticle:
    # Imported here so `newsdesk clean` starts without loading the later stages.
    from newsdesk.cleaner import clean

    if kind_of(obj) == "raw":
        return clean(validate(obj, RawArticle))
    return validate(obj, CleanArticle)


def to_extracted(obj: dict[str, Any]) -> ExtractedArticle:
    from newsdesk.extractor import extract

    if kind_of(obj) == "extracted":
        return validate(obj, ExtractedArticle)
    return extract(to_clean(obj))
