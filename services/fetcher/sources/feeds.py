"""RSS 0.9x/1.0/2.0, Atom and JSON Feed, parsed with lxml (no entity expansion, no network)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

import orjson
from lxml import etree

from newsdesk.fetcher.body import FEED_TYPES
from newsdesk.fetcher.config import SourceConfig
from newsdesk.fetcher.sources.base import Item, PollContext, PollResult, item_fingerprint
from newsdesk.fetcher.urls import canonical_url
from newsdesk.records import FeedItem

ITEM_TAGS = frozenset({"item", "entry"})
MAX_SUMMARY = 2000


class FeedError(ValueError):
    """The document is not a feed we can read."""


def xml_parser(recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=recover,
                           load_dtd=False, remove_comments=True, remove_pis=True)


def normalize_date(value: str | None) -> str | None:
    """RFC 822 dates (RSS) become ISO 8601; anything else is kept as given."""
    if not value:
        return None
    value = value.strip()
    if value[:4].isdigit():
        return value  # already ISO-like (Atom, RSS 1.0 dc:date, JSON Feed)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.isoformat()


def _local(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower() if "}" in tag else tag.lower()


def _text(el: Any) -> str | None:
    text = "".join(el.itertext()).strip()
    return text or None


def _entry(el: Any, base: str) -> tuple[str, FeedItem, str] | None:
    fields: dict[str, str] = {}
    link: str | None = None
    about = el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    for child in el:
        name = _local(child)
        if name == "link":
            href = child.get("href")
            if href is not None:  # Atom: prefer rel=alternate (or no rel)
                if child.get("rel", "alternate") == "alternate" and link is None:
                    link = href
            elif link is None:
                link = _text(child)
        elif name == "guid" and child.get("isPermaLink", "true").lower() == "true":
            fields.setdefault("guid", _text(child) or "")
        elif name == "author":
            inner = [c for c in child if _local(c) == "name"]
            value = _text(inner[0]) if inner else _text(child)
            if value:
                fields.setdefault("author", value)
        elif name in ("title", "pubdate", "published", "updated", "date", "creator", "description",
                      "summary", "issued", "modified"):
            value = _text(child)
            if value:
                fields.setdefault(name, value)
    link = link or (fields.get("guid") if fields.get("guid", "").startswith("http") else None) or about
    if not link:
        return None
    url = canonical_url(link, base)
    if url is None:
        return None
    published = (fields.get("pubdate") or fields.get("published") or fields.get("date")
                 or fields.get("issued") or fields.get("updated"))
    summary = fields.get("description") or fields.get("summary")
    item = FeedItem(title=fields.get("title"), published_at=normalize_date(published),
                    author=fields.get("author") or fields.get("creator"),
                    summary=summary[:MAX_SUMMARY] if summary else None)
    modified = fields.get("updated") or fields.get("modified")
    return url, item, item_fingerprint(url, item.title, item.published_at, modified)


def parse_xml_feed(data: bytes, base: str) -> tuple[list[tuple[str, FeedItem, str]], str | None]:
    """(entries, problem). A broken document is parsed again in recover mode, so a truncated
    feed still yields the items before the break, reported as a problem."""
    problem = None
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        problem = f"malformed feed XML: {exc}"
        try:
            root = etree.fromstring(data, xml_parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise FeedError(problem) from None
    if _local(root) not in ("rss", "rdf", "feed", "channel"):
        raise FeedError(f"not a feed: root element <{_local(root)}>")
    entries = []
    for el in root.iter():
        if _local(el) in ITEM_TAGS:
            entry = _entry(el, base)
            if entry is not None:
                entries.append(entry)
    if problem and not entries:
        raise FeedError(problem)
    return entries, problem


def parse_json_feed(data: bytes, base: str) -> list[tuple[str, FeedItem, str]]:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"malformed JSON Feed: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise FeedError("not a JSON Feed: no 'items' list")
    entries = []
    for obj in doc["items"]:
        if not isinstance(obj, dict):
            continue
        link = obj.get("url") or obj.get("external_url")
        url = canonical_url(link, base) if isinstance(link, str) else None
        if url is None:
            continue
        authors = obj.get("authors") or ([obj["author"]] if isinstance(obj.get("author"), dict) else [])
        if not isinstance(authors, list):  # a producer's `"authors": true` costs the names, not the feed
            authors = []
        names = [a.get("name") for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
        summary = obj.get("summary") or obj.get("content_text")
        item = FeedItem(title=_str(obj.get("title")), published_at=_str(obj.get("date_published")),
                        author=", ".join(names) or None,
                        summary=summary[:MAX_SUMMARY] if isinstance(summary, str) else None)
        entries.append((url, item, item_fingerprint(url, item.title, item.published_at,
                                                    _str(obj.get("date_modified")))))
    return entries


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def parse_feed(data: bytes, base: str) -> tuple[list[tuple[str, FeedItem, str]], str | None]:
    """Any supported feed format, told apart by its content (servers mislabel feeds often)."""
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        return parse_json_feed(data, base), None
    if not head:
        raise FeedError("empty feed")
    return parse_xml_feed(data, base)


@dataclass
class FeedSource:
    config: SourceConfig

    async def poll(self, ctx: PollContext) -> PollResult:
        assert self.config.url
        resp = await ctx.get_if_changed(self.config.url, FEED_TYPES | {"text/html"})
        if resp is None:
            return PollResult(not_modified=True)
        entries, problem = parse_feed(resp.body, resp.url)
        items = [Item(url=url, feed=feed, fingerprint=fp) for url, feed, fp in entries[: self.config.max_items]]
        return PollResult(items=items, problems=[problem] if problem else [])
