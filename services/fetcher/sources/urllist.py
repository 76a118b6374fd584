"""A plain list of article URLs, one per line (# comments), local or fetched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsdesk.fetcher.config import SourceConfig
from newsdesk.fetcher.sources.base import Item, PollContext, PollResult
from newsdesk.fetcher.urls import canonical_url


def parse_url_list(text: str) -> list[str]:
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = canonical_url(line)
        if url is not None:
            urls.append(url)
    return list(dict.fromkeys(urls))


def looks_like_url_list(text: str) -> bool:
    """True when every non-blank, non-comment line is an http(s) URL (and there is one)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return bool(lines) and all(ln.lower().startswith(("http://", "https://")) and " " not in ln for ln in lines)


@dataclass
class UrlListSource:
    config: SourceConfig

    async def poll(self, ctx: PollContext) -> PollResult:
        if self.config.path:
            text = Path(self.config.path).read_text(encoding="utf-8")
        else:
            assert self.config.url
            resp = await ctx.get_if_changed(self.config.url, {"text/plain", "text/uri-list",
                                                              "application/octet-stream"})
            if resp is None:
                return PollResult(not_modified=True)
            text = resp.body.decode("utf-8", errors="replace")
        urls = parse_url_list(text)[: self.config.max_items]
        return PollResult(items=[Item(url=u) for u in urls])
