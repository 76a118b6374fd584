"""What every source plug-in is: something that, polled, names the articles it has now."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsdesk.fetcher.client import HttpClient, Response
from newsdesk.fetcher.config import SourceConfig
from newsdesk.fetcher.urls import content_hash
from newsdesk.records import FeedItem


@dataclass
class Item:
    """One article a source offers: a URL to fetch, or (directory) the content itself."""

    url: str | None
    feed: FeedItem | None = None
    # What the source said about the item; unchanged fingerprint = no need to refetch the page.
    fingerprint: str | None = None
    # Inline items (files) carry their content and their own seen-set key and id.
    body: str | None = None
    content_type: str = "text/html"
    key: str | None = None
    id: str | None = None


@dataclass
class PollResult:
    items: list[Item] = field(default_factory=list)
    not_modified: bool = False
    # Problems that did not stop the poll (a bad child sitemap, a recovered broken feed).
    problems: list[str] = field(default_factory=list)


@dataclass
class PollContext:
    """What a source may use while polling; `state` survives from one poll to the next."""

    http: HttpClient
    config: SourceConfig
    state: dict[str, Any] = field(default_factory=dict)

    async def get_if_changed(self, url: str, accept: Collection[str] | None) -> Response | None:
        """Conditional GET: None when the server says 304, or sends the very same bytes again
        (for servers without validators), else the response, remembering its validators."""
        validators: dict[str, dict[str, str]] = self.state.setdefault("validators", {})
        known = validators.get(url, {})
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        resp = await self.http.get(url, headers=headers, allow_private=self.config.allow_private, accept=accept)
        if resp.status == 304:
            self.http.metrics.inc("not_modified")
            return None
        digest = content_hash(resp.body)
        fresh = {"hash": digest}
        if resp.headers.get("etag"):
            fresh["etag"] = resp.headers["etag"]
        if resp.headers.get("last-modified"):
            fresh["last_modified"] = resp.headers["last-modified"]
        validators[url] = fresh
        if known.get("hash") == digest:
            self.http.metrics.inc("not_modified")
            return None
        return resp


class Source(Protocol):
    config: SourceConfig

    async def poll(self, ctx: PollContext) -> PollResult: ...


def item_fingerprint(*parts: str | None) -> str:
    return content_hash("\x1f".join(p or "" for p in parts))
