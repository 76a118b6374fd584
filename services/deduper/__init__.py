"""Deduper: extracted articles in, one merged event per real-world event out."""

from newsdesk.deduper.config import DedupConfig
from newsdesk.deduper.core import DedupState, expire, merge

__all__ = ["DedupConfig", "DedupState", "expire", "merge"]
