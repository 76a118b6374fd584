"""The fetcher: polls each source on its own schedule, fetches the articles it names,
and publishes the new and changed ones once.

Schedule: the first round polls every source together and fetches what they offer oldest first
across all of them (`backlog`); then each source waits `interval` (±10% jitter) between polls,
its own articles again oldest first. The interval halves when a poll brought something new and
grows by a quarter when it did not (304, same items, or an error), always within
[min_interval, max_interval].
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.fetcher.backlog import oldest_first
from newsdesk.fetcher.body import PAGE_TYPES
from newsdesk.fetcher.client import HttpClient
from newsdesk.fetcher.config import FetcherConfig, SourceConfig
from newsdesk.fetcher.errors import FetchError
from newsdesk.fetcher.metrics import JsonLog, Metrics
from newsdesk.fetcher.pages import now_iso, page_article, text_fingerprint
from newsdesk.fetcher.publish import Publish
from newsdesk.fetcher.seen import SeenEntry, SeenSet
from newsdesk.fetcher.sources import Item, PollContext, Source, make_source
from newsdesk.fetcher.sources.feeds import FeedError
from newsdesk.fetcher.urls import content_hash, host_allowed
from newsdesk.records import RawArticle

GROW, SHRINK, JITTER = 1.25, 0.5, 0.1
#: Seconds the start-up round waits for every source's poll before fetching what has come in.
CATCH_UP_WAIT = 10.0


@dataclass
class PollReport:
    source: str
    items: int = 0
    published: int = 0
    updates: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    not_modified: bool = False
    failed: str | None = None  # the poll itself failed (feed unreachable, malformed...)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return self.published > 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def in_shard(name: str, shard: tuple[int, int] | None) -> bool:
    """Replicas split the sources by a stable hash of the name: `shard` is (index, count)."""
    if shard is None:
        return True
    index, count = shard
    return int(content_hash(name)[:8], 16) % count == index


def next_interval(current: float, changed: bool, low: float, high: float) -> float:
    return min(high, max(low, current * (SHRINK if changed else GROW)))


class Fetcher:
    def __init__(self, config: FetcherConfig, publish: Publish, seen: SeenSet, http: HttpClient,
                 log: JsonLog | None = None, page_concurrency: int = 32,
                 shard: tuple[int, int] | None = None) -> None:
        self.config = config
        self.publish = publish
        self.seen = seen
        self.http = http
        self.metrics: Metrics = http.metrics
        self.log = log or JsonLog()
        self.pages = asyncio.Semaphore(page_concurrency)
        self.inflight: set[str] = set()
        self.states: dict[str, dict[str, object]] = {}
        self.shard = shard

    def sources(self) -> list[Source]:
        """The enabled sources this replica polls."""
        return [make_source(s) for s in self.config.sources if s.enabled and in_shard(s.name, self.shard)]

    # --- one poll ---------------------------------------------------------------------

    async def poll_once(self, source: Source) -> PollReport:
        [report] = await self.poll_together([source], wait=None)
        return report

    async def poll_together(self, sources: Sequence[Source], wait: float | None = CATCH_UP_WAIT) -> list[PollReport]:
        """Polls the sources at once, then fetches what they offer oldest first across them (see
        `backlog`): at start-up the backlog goes out in publication order, not feed by feed.

        A source whose poll takes longer than `wait` seconds (a feed that hangs until its
        timeouts and retries run out) does not hold the others up: its articles are fetched on
        their own once its poll ends. `wait=None` waits for every poll."""
        started = time.monotonic()
        polls = [asyncio.ensure_future(self._poll(source)) for source in sources]
        if polls:
            await asyncio.wait(polls, timeout=wait)
        on_time = [(source, poll.result()) for source, poll in zip(sources, polls, strict=True) if poll.done()]
        late = [(source, poll) for source, poll in zip(sources, polls, strict=True) if not poll.done()]
        if late:
            self.log("slow_sources", level="warning", sources=[s.config.name for s, _ in late], waited_s=wait)

        async def fetch_late(source: Source, poll: asyncio.Future[tuple[PollReport, list[Item]]]) -> None:
            await self._fetch_oldest_first([(source, await poll)])

        await asyncio.gather(self._fetch_oldest_first(on_time), *(fetch_late(s, p) for s, p in late))
        reports = [poll.result()[0] for poll in polls]
        for report in reports:
            if report.failed is None:
                report.seconds = time.monotonic() - started
        return reports

    async def _fetch_oldest_first(self, polled: list[tuple[Source, tuple[PollReport, list[Item]]]]) -> None:
        work = [(source.config, item, report) for source, (report, items) in polled for item in items]
        work = oldest_first(work, lambda job: job[1].feed.published_at if job[1].feed else None)
        # Tasks start in list order and the page semaphore serves waiters first come, first
        # served, so pages are fetched (and published) in this order, `page_concurrency` at a time.
        await asyncio.gather(*(self._guarded(cfg, item, report) for cfg, item, report in work))

    async def _poll(self, source: Source) -> tuple[PollReport, list[Item]]:
        cfg = source.config
        report = PollReport(cfg.name)
        started = time.monotonic()
        ctx = PollContext(self.http, cfg, self.states.setdefault(cfg.name, {}))
        try:
            result = await source.poll(ctx)
        except (FetchError, FeedError, OSError, UnicodeDecodeError) as exc:
            kind = getattr(exc, "kind", "feed_malformed" if isinstance(exc, FeedError) else "io")
            self.metrics.error(kind)
            report.failed = f"{kind}: {exc}"
            report.seconds = time.monotonic() - started
            self.log("poll_failed", level="warning", source=cfg.name, kind=kind, error=str(exc))
            return report, []
        report.not_modified = result.not_modified
        report.problems = result.problems
        for problem in result.problems:
            self.metrics.error("source_problem")
            self.log("source_problem", level="warning", source=cfg.name, problem=problem)
        report.items = len(result.items)
        return report, result.items

    async def _guarded(self, cfg: SourceConfig, item: Item, report: PollReport) -> None:
        async with self.pages:
            try:
                outcome = await self.process_item(cfg, item)
            except FetchError as exc:
                report.error(exc.kind)
                self.metrics.error(exc.kind)
                self.log("fetch_failed", level="warning", source=cfg.name, url=item.url, kind=exc.kind,
                         error=str(exc))
                return
        if outcome == "published":
            report.published += 1
        elif outcome == "updated":
            report.published += 1
            report.updates += 1
        elif outcome == "unchanged":
            report.unchanged += 1
        else:
            report.skipped += 1

    async def process_item(self, cfg: SourceConfig, item: Item) -> str:
        """'published', 'updated', 'unchanged' (already published as is) or 'skipped_*'."""
        key = item.key or item.url
        if key is None:
            return "skipped_empty"
        if item.url is not None and not host_allowed(item.url, cfg.allowed_hosts):
            self.metrics.inc("skipped_host")
            return "skipped_host"
        if key in self.inflight:  # the same article from two feeds at once
            self.metrics.inc("duplicates")
            return "unchanged"
        self.inflight.add(key)
        try:
            return await self._process(cfg, item, key)
        finally:
            self.inflight.discard(key)

    async def _process(self, cfg: SourceConfig, item: Item, key: str) -> str:
        before = await self.seen.get(key)
        if before is not None and item.fingerprint and before.item_hash == item.fingerprint:
            self.metrics.inc("duplicates")
            return "unchanged"  # the source says nothing changed: no page fetch
        if item.body is not None:
            article = RawArticle(id=item.id or key, url=None, source=cfg.name, outlet=cfg.outlet,
                                 language=cfg.language, content_type=item.content_type,  # type: ignore[arg-type]
                                 body=item.body, fetched_at=now_iso(), feed=item.feed,
                                 title=item.feed.title if item.feed else None)
            digest = text_fingerprint(item.body, item.content_type)
            keys = [key]
        else:
            assert item.url is not None
            resp = await self.http.get(item.url, allow_private=cfg.allow_private, accept=PAGE_TYPES)
            self.metrics.inc("fetched")
            article, digest = page_article(
                data=resp.body, declared_type=resp.content_type, requested_url=item.url, final_url=resp.url,
                status=resp.status, source=cfg.name, outlet=cfg.outlet, language=cfg.language, feed=item.feed)
            keys = list(dict.fromkeys([article.url or key, key]))
            if article.url and article.url != key:
                # the page names another canonical URL, which may be known under that name
                before = await self.seen.get(article.url) or before
        entry = SeenEntry(digest, item.fingerprint)
        if before is not None and before.content_hash == digest:
            self.metrics.inc("duplicates")
            if before.item_hash != item.fingerprint:
                for k in keys:
                    await self.seen.put(k, entry)
            return "unchanged"
        article.is_update = before is not None
        await self.publish(article)
        for k in keys:  # after publishing: a crash in between re-publishes rather than loses
            await self.seen.put(k, entry)
        self.metrics.inc("updates" if article.is_update else "published")
        return "updated" if article.is_update else "published"

    # --- the schedule -----------------------------------------------------------------

    async def run_source(self, source: Source, stop: asyncio.Event, first: PollReport | None = None) -> None:
        """Polls `source` until `stop`; `first` is the report of a poll already made (start-up)."""
        cfg = source.config
        interval = cfg.interval
        low, high = cfg.min_interval or interval, cfg.max_interval or interval
        report = first
        while not stop.is_set():
            if report is None:
                report = await self.poll_once(source)
            interval = next_interval(interval, report.changed, low, high)
            self.log("poll", source=cfg.name, items=report.items, published=report.published,
                     updates=report.updates, unchanged=report.unchanged, skipped=report.skipped,
                     errors=report.errors, not_modified=report.not_modified, failed=report.failed,
                     seconds=round(report.seconds, 3), next_poll_in=round(interval, 1))
            report = None
            # The jitter spreads the sources' polls over time after the start-up round.
            if await _wait(stop, interval * random.uniform(1 - JITTER, 1 + JITTER)):
                return

    async def run(self, stop: asyncio.Event) -> None:
        sources = self.sources()
        self.log("fetcher_started", sources=[s.config.name for s in sources])
        reporter = asyncio.create_task(self._report_metrics(stop))
        try:
            # The first round polls every source together, so the backlog they hold goes out
            # oldest first across outlets (per-host politeness still applies to every request).
            firsts = await self.poll_together(sources)
            await asyncio.gather(*(self.run_source(s, stop, first)
                                   for s, first in zip(sources, firsts, strict=True)))
        finally:
            reporter.cancel()
            self.log("metrics", **self.metrics.snapshot())

    async def _report_metrics(self, stop: asyncio.Event) -> None:
        while not await _wait(stop, self.config.metrics_interval):
            self.log("metrics", **self.metrics.snapshot())


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleeps up to `seconds`; True when `stop` was set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, seconds))
        return True
    except TimeoutError:
        return False
