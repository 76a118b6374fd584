"""Cleaner: raw page or text in, the article's own text with its metadata out."""

from newsdesk.cleaner.core import clean

__all__ = ["clean"]
