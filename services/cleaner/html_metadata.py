"""What a page says about itself: meta tags, JSON-LD, <time>, <link rel=canonical>, <html lang>.

Publishers state title, dates and authors in several places that often disagree a little; the
order of preference below puts the machine-readable statements (JSON-LD, Open Graph, article:*
meta) before the visible ones, and the URL last.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsdesk.cleaner.dates import date_from_url, parse_date
from newsdesk.cleaner.language import normalise_language

_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|NewsArticle|Blog", re.I)
PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished", "pubdate",
    "publishdate", "publish-date", "publish_date", "publication_date", "sailthru.date", "parsely-pub-date",
    "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date", "date", "originalpublicationdate",
    "article.published", "og:article:published_time", "displaydate", "citation_publication_date",
)
MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified", "dcterms.modified",
    "article.updated", "og:article:modified_time",
)
#: Site names glued to <title>: "Story headline | Site" or "Story headline - Site".
_TITLE_SPLIT = re.compile(r"\s+[|–—•·:]\s+|\s+-\s+")


@dataclass
class PageMeta:
    title: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    article_body: str | None = None
    lead_image: str | None = None
    h1: str | None = None


def read_meta(tree: LexborHTMLParser, url: str | None) -> PageMeta:
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        content = attrs.get("content") or attrs.get("datetime")
        if key and content and key.lower() not in meta:
            meta[key.lower()] = content.strip()
    ld = _json_ld_article(tree)
    out = PageMeta()

    h1 = tree.css_first("h1")
    out.h1 = _visible_text(h1.html or "", "h1") if h1 is not None else None
    out.title = _choose_title(meta, ld, out.h1, tree)

    out.published_at = (parse_date(_ld_str(ld, "datePublished"))
                        or _first_date(meta, PUBLISHED_KEYS) or _time_element(tree, published=True)
                        or _ld_or_date_created(ld) or date_from_url(url))
    out.modified_at = parse_date(_ld_str(ld, "dateModified")) or _first_date(meta, MODIFIED_KEYS)

    html = tree.css_first("html")
    lang = (html.attributes.get("lang") if html is not None else None) or meta.get("content-language") \
        or meta.get("og:locale") or _ld_str(ld, "inLanguage") or meta.get("language")
    out.language = normalise_language(lang)

    link = tree.css_first('link[rel="canonical"]')
    out.canonical_url = (link.attributes.get("href") if link is not None else None) or meta.get("og:url")

    out.authors = _authors(meta, ld, tree)
    body = _ld_str(ld, "articleBody")
    out.article_body = body if body and len(body) > 200 else None
    out.lead_image = meta.get("og:image")
    return out


#: Elements whose text no reader sees: code, and media that only a browser renders.
_NOT_TEXT = ["script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed"]


def _visible_text(html: str, tag: str) -> str | None:
    """The text a reader sees in one element, on one line: a script or style inside a headline
    is not part of it. Parsed apart, so stripping never touches the page's own tree."""
    fragment = LexborHTMLParser(html)
    fragment.strip_tags(_NOT_TEXT)
    node = fragment.css_first(tag)
    if node is None:
        return None
    return " ".join(node.text(separator=" ").split()) or None


def _first_date(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        parsed = parse_date(meta.get(key))
        if parsed:
            return parsed
    return None


def _time_element(tree: LexborHTMLParser, published: bool) -> str | None:
    for node in tree.css("time[datetime]")[:5]:
        attrs = node.attributes
        if published and "updated" in (attrs.get("class") or "").lower():
            continue
        parsed = parse_date(attrs.get("datetime"))
        if parsed:
            return parsed
    return None


def _ld_or_date_created(ld: dict[str, Any]) -> str | None:
    return parse_date(_ld_str(ld, "dateCreated")) or parse_date(_ld_str(ld, "uploadDate"))


def _choose_title(meta: dict[str, str], ld: dict[str, Any], h1: str | None, tree: LexborHTMLParser) -> str | None:
    stated = [t for t in (meta.get("og:title"), _ld_str(ld, "headline"), meta.get("twitter:title")) if t]
    title_node = tree.css_first("title")
    page_title = " ".join(title_node.text().split()) if title_node is not None else ""
    stated = [" ".join(t.split()) for t in stated]
    if h1 and 5 <= len(h1) <= 300:
        key = h1.casefold()
        # The visible headline wins when the machine-readable one agrees with it.
        if any(key in s.casefold() or s.casefold() in key for s in [*stated, page_title] if s):
            return h1
    for candidate in stated:
        if 5 <= len(candidate) <= 300:
            return _strip_site_name(candidate)
    if page_title:
        return _strip_site_name(page_title)
    return h1 or None


def _strip_site_name(title: str) -> str:
    parts = _TITLE_SPLIT.split(title)
    if len(parts) == 1:
        return title
    return max(parts, key=len)


def _authors(meta: dict[str, str], ld: dict[str, Any], tree: LexborHTMLParser) -> list[str]:
    names: list[str] = []
    author = ld.get("author")
    for item in author if isinstance(author, list) else [author]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str):
            names.append(name)
    if not names:
        for key in ("author", "article:author", "sailthru.author", "parsely-author", "dc.creator", "byl"):
            value = meta.get(key)
            if value and "://" not in value:
                names.extend(re.split(r"\s*(?:,|\band\b|&)\s*", re.sub(r"^by\s+", "", value, flags=re.I)))
                break
    if not names:
        for node in tree.css('[rel="author"], [itemprop="author"]')[:4]:
            text = " ".join(node.text(separator=" ").split())
            if 3 <= len(text) <= 60:
                names.append(re.sub(r"^by\s+", "", text, flags=re.I))
    out: list[str] = []
    for name in names:
        name = " ".join(name.split()).strip(" ,")
        if 2 <= len(name) <= 80 and name not in out:
            out.append(name)
    return out[:8]


def _json_ld_article(tree: LexborHTMLParser) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (or the first with a headline)."""
    fallback: dict[str, Any] = {}
    for node in tree.css('script[type="application/ld+json"]')[:10]:
        raw = node.text()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for obj in _ld_objects(data):
            kind = obj.get("@type")
            kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            if _ARTICLE_TYPES.search(kinds):
                return obj
            if not fallback and "headline" in obj:
                fallback = obj
    return fallback


def _ld_objects(data: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    pending = [data]
    while pending and len(found) < 100:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            if isinstance(item.get("@graph"), list):
                pending.extend(reversed(item["@graph"]))
            main = item.get("mainEntity") or item.get("mainEntityOfPage")
            if isinstance(main, dict):
                pending.append(main)
    return found


def _ld_str(ld: dict[str, Any], key: str) -> str | None:
    value = ld.get(key)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return value if isinstance(value, str) and value.strip() else None
