"""`newsdesk ingest`, `newsdesk fetcher` and `newsdesk sources check`.

The seam with the rest of newsdesk: `add_commands(subparsers)` registers the commands, and
`run(args, make_publisher, make_seen)` runs one. `make_publisher` opens a Kafka publisher
(called only when something is really published, never for --dry-run or `sources check`);
`make_seen` opens the seen-set (default: the compacted topic when the config says
`seen = "kafka"`, else process memory). Tests pass in-memory ones for both.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from newsdesk.fetcher.arguments import add_commands
from newsdesk.fetcher.client import HttpClient
from newsdesk.fetcher.config import ConfigError, FetcherConfig, HttpSettings, load_config
from newsdesk.fetcher.ingest import ingest
from newsdesk.fetcher.metrics import JsonLog
from newsdesk.fetcher.publish import MemoryPublisher, PublisherFactory, jsonl_publisher
from newsdesk.fetcher.seen import KafkaSeenSet, MemorySeenSet, SeenSet
from newsdesk.fetcher.service import Fetcher
from newsdesk.fetcher.sources import make_source

SeenFactory = Callable[[FetcherConfig], AbstractAsyncContextManager[SeenSet]]

__all__ = ["SeenFactory", "add_commands", "default_seen", "run"]


def run(args: argparse.Namespace, make_publisher: PublisherFactory | None = None,
        make_seen: SeenFactory | None = None) -> int:
    try:
        if args.command == "ingest":
            return asyncio.run(_ingest(args, make_publisher))
        if args.command == "fetcher":
            return asyncio.run(_fetcher(args, make_publisher, make_seen))
        if args.command == "sources":
            return asyncio.run(_check(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    print(f"error: unknown command {args.command!r}", file=sys.stderr)
    return 2


@asynccontextmanager
async def default_seen(config: FetcherConfig) -> AsyncIterator[SeenSet]:
    if config.seen == "memory":
        yield MemorySeenSet()
        return
    from newsdesk.cli import bootstrap_servers

    # The same broker every other command uses: KAFKA_BOOTSTRAP_SERVERS, else the local one.
    async with KafkaSeenSet(bootstrap_servers()) as seen:
        yield seen


def _publisher(dry_run: bool, make_publisher: PublisherFactory | None) -> PublisherFactory:
    if dry_run:
        return jsonl_publisher()
    if make_publisher is None:
        raise ConfigError("no broker publisher available here; use --dry-run to print the articles")
    return make_publisher


async def _ingest(args: argparse.Namespace, make_publisher: PublisherFactory | None) -> int:
    http_settings = load_config(args.config).http if args.config else HttpSettings()
    factory = _publisher(args.dry_run, make_publisher)
    async with HttpClient(http_settings, log=JsonLog()) as http, factory() as publish:
        result = await ingest(args.inputs, publish, http, source=args.source, allow_private=args.allow_private)
    print(f"ingest: {result.published} published, {len(result.failed)} failed", file=sys.stderr)
    return 1 if result.failed else 0


async def _fetcher(args: argparse.Namespace, make_publisher: PublisherFactory | None,
                   make_seen: SeenFactory | None) -> int:
    config = load_config(args.config)
    if args.dry_run:
        config = config.model_copy(update={"seen": "memory"})
    factory = _publisher(args.dry_run, make_publisher)
    log = JsonLog()
    async with HttpClient(config.http, log=log) as http, (make_seen or default_seen)(config) as seen, \
            factory() as publish:
        fetcher = Fetcher(config, publish, seen, http, log, page_concurrency=args.concurrency, shard=args.shard)
        if args.once:
            failed = 0
            for report in await fetcher.poll_together(fetcher.sources()):
                failed += report.failed is not None
                log("poll", source=report.source, items=report.items, published=report.published,
                    updates=report.updates, errors=report.errors, failed=report.failed)
            log("metrics", **fetcher.metrics.snapshot())
            return 1 if failed else 0
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        await fetcher.run(stop)
    return 0


async def _check(args: argparse.Namespace) -> int:
    config = load_config(args.file)
    print(f"{args.file}: valid, {len(config.sources)} source(s)")
    out = sys.stdout
    failed = 0
    async with HttpClient(config.http, log=JsonLog(quiet=True)) as http:
        for cfg in config.sources:
            collected = MemoryPublisher()
            fetcher = Fetcher(config, collected, MemorySeenSet(), http, JsonLog(quiet=True))
            report = await fetcher.poll_once(make_source(cfg))
            where = cfg.url or cfg.path
            if report.failed:
                failed += 1
                print(f"FAIL {cfg.name} ({cfg.kind} {where}): {report.failed}", file=out)
                continue
            errs = ", ".join(f"{k}={v}" for k, v in sorted(report.errors.items()))
            print(f"ok   {cfg.name} ({cfg.kind} {where}): {report.items} item(s), would publish "
                  f"{report.published}" + (f"; errors: {errs}" if errs else "") + f" [{report.seconds:.2f} s]",
                  file=out)
            for problem in report.problems:
                print(f"     problem: {problem}", file=out)
            for article in collected.published:
                print(f"     + {article.url or article.id}  {article.title or ''}".rstrip(), file=out)
                if args.jsonl:
                    print(article.model_dump_json(), file=out)
    out.flush()
    return 1 if failed else 0
