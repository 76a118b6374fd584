"""Cleaner: raw page or text in, the article's own text with its metadata out."""

from newsdesk.cleaner.core import clean
from newsdesk.cleaner.templates import OutletTemplates, boilerplate_lines, dump_templates, learn, load_templates

__all__ = ["OutletTemplates", "boilerplate_lines", "clean", "dump_templates", "learn", "load_templates"]
