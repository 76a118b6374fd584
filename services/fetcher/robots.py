"""robots.txt, fetched once per origin and cached, with Crawl-delay (RFC 9309 semantics:
a 4xx means no rules; a 5xx or an unreachable server means stay away for now)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsdesk.fetcher.errors import FetchError

#: Fetches robots.txt: (status, text) or raises FetchError. Injected so it goes through the
#: same guarded, size-capped client without a circular import.
RobotsGetter = Callable[[str], Awaitable[tuple[int, str]]]

ERROR_TTL = 600.0  # retry an unreachable robots.txt after 10 minutes, not after the full TTL


@dataclass
class Rules:
    parser: RobotFileParser | None  # None: everything allowed
    disallow_all: bool
    expires: float

    def allows(self, agent: str, url: str) -> bool:
        if self.disallow_all:
            return False
        return True if self.parser is None else self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


class RobotsCache:
    def __init__(self, getter: RobotsGetter, agent: str, ttl: float = 3600.0) -> None:
        self.getter = getter
        self.agent = agent
        # robotparser matches agents by the product token, so send only that part
        self.token = agent.split("/", 1)[0].split(" ", 1)[0] or "*"
        self.ttl = ttl
        self.rules: dict[str, Rules] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    @staticmethod
    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    async def get(self, url: str) -> Rules:
        origin = self.origin(url)
        rules = self.rules.get(origin)
        if rules is not None and rules.expires > time.monotonic():
            return rules
        # one fetch per origin even when a whole feed's pages ask at once
        async with self.locks.setdefault(origin, asyncio.Lock()):
            rules = self.rules.get(origin)
            if rules is not None and rules.expires > time.monotonic():
                return rules
            return await self._load(origin)

    async def _load(self, origin: str) -> Rules:
        now = time.monotonic()
        try:
            status, text = await self.getter(origin + "/robots.txt")
        except FetchError:
            rules = Rules(None, disallow_all=True, expires=now + ERROR_TTL)
        else:
            if status >= 500:
                rules = Rules(None, disallow_all=True, expires=now + ERROR_TTL)
            elif status >= 400:
                rules = Rules(None, disallow_all=False, expires=now + self.ttl)
            else:
                parser = RobotFileParser()
                parser.parse(text.splitlines())
                rules = Rules(parser, disallow_all=False, expires=now + self.ttl)
        self.rules[origin] = rules
        return rules

    async def allowed(self, url: str) -> tuple[bool, float | None]:
        """(may fetch, crawl delay in seconds or None)."""
        rules = await self.get(url)
        return rules.allows(self.token, url), rules.crawl_delay(self.token)
