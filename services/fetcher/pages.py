"""From a fetched page to a RawArticle: decoded text, canonical URL, title, content hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser

from newsdesk.fetcher.body import decode_text, media_type
from newsdesk.fetcher.urls import article_id, canonical_url, content_hash
from newsdesk.records import FeedItem, RawArticle

INVISIBLE = frozenset({"script", "style", "noscript", "template", "iframe", "svg"})


@dataclass
class PageMeta:
    canonical: str | None = None
    title: str | None = None
    published_at: str | None = None


def page_meta(tree: LexborHTMLParser, base: str) -> PageMeta:
    """rel=canonical, else og:url; og:title, else <title>; article:published_time."""
    meta = PageMeta()
    head = tree.head
    if head is None:
        return meta
    props: dict[str, str] = {}
    title = None
    for node in head.iter():
        tag = node.tag
        if tag == "link" and meta.canonical is None:
            attrs = node.attributes
            if "canonical" in (attrs.get("rel") or "").lower().split() and attrs.get("href"):
                meta.canonical = canonical_url(attrs["href"] or "", base)
        elif tag == "meta":
            attrs = node.attributes
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            value = (attrs.get("content") or "").strip()
            if key and value:
                props.setdefault(key, value)
        elif tag == "title" and title is None:
            title = node.text(strip=True) or None
    if meta.canonical is None and props.get("og:url"):
        meta.canonical = canonical_url(props["og:url"], base)
    meta.title = props.get("og:title") or title
    meta.published_at = props.get("article:published_time") or props.get("og:published_time")
    return meta


def text_fingerprint(body: str, content_type: str, tree: LexborHTMLParser | None = None) -> str:
    """Hash of the visible text: markup churn (nonces, ad slots, build ids) is not an update.
    `tree`, when given, is the parsed `body`; its scripts and styles are removed."""
    if content_type != "text/html":
        return content_hash(" ".join(body.split()))
    if tree is None:
        tree = LexborHTMLParser(body)
    tree.strip_tags(list(INVISIBLE))  # changes the tree: call this after reading the metadata
    root = tree.body or tree.root
    text = root.text(separator=" ") if root is not None else ""
    return content_hash(" ".join(text.split()))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def page_article(*, data: bytes, declared_type: str | None, requested_url: str, final_url: str, status: int,
                 source: str | None, outlet: str | None, language: str | None,
                 feed: FeedItem | None) -> tuple[RawArticle, str]:
    """(article, content hash of its visible text)."""
    body, _charset = decode_text(data, declared_type)
    ctype = "text/html" if media_type(declared_type) in ("text/html", "application/xhtml+xml") else "text/plain"
    if ctype == "text/plain" and body.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        ctype = "text/html"  # servers that send pages as text/plain
    tree = LexborHTMLParser(body) if ctype == "text/html" else None  # parsed once, used twice
    meta = page_meta(tree, final_url) if tree is not None else PageMeta()
    url = meta.canonical or canonical_url(final_url) or canonical_url(requested_url) or requested_url
    article = RawArticle(
        id=article_id(url), url=url, source=source, outlet=outlet,
        title=(feed.title if feed else None) or meta.title,
        published_at=(feed.published_at if feed else None) or meta.published_at,
        language=language, content_type=ctype, body=body, final_url=final_url, status=status,
        fetched_at=now_iso(), feed=feed,
    )
    return article, text_fingerprint(body, ctype, tree)
