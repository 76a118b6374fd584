"""Deduper: extracted articles in, one merged event per real-world event out."""

from newsdesk.deduper.core import DedupState, merge

__all__ = ["DedupState", "merge"]
