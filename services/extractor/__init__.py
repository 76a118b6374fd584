"""Extractor: clean article in, who/what/where/when and quotes with speakers out."""

from newsdesk.extractor.core import extract

__all__ = ["extract"]
