"""`newsdesk corpus jsonl|serve|score`: the generated corpus as JSON Lines, as live sites, and scored.

    newsdesk corpus jsonl --events 200 --seed 7 > raw.jsonl
    newsdesk dedup < raw.jsonl > events.jsonl
    newsdesk corpus score raw.jsonl events.jsonl

    newsdesk corpus serve --events 200 --sources sources.toml &   # prints its base URL
    newsdesk fetcher --config sources.toml
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import date
from pathlib import Path
from typing import Any


def add_commands(subparsers: Any) -> None:
    """Registers `corpus`; imports nothing heavy (every newsdesk command builds the parser)."""
    corpus = subparsers.add_parser("corpus", help="a generated news corpus with ground truth: JSON Lines, "
                                   "local feeds and pages, scoring")
    actions = corpus.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--events", type=_non_negative, default=200, help="events to generate (default 200)")
        p.add_argument("--seed", type=int, default=7, help="same seed, same corpus (default 7)")
        p.add_argument("--start", type=date.fromisoformat, default=None,
                       help="date of the first events, YYYY-MM-DD (default 2025-03-03)")

    jsonl = actions.add_parser("jsonl", help="raw articles as JSON Lines on stdout, with their true event ids")
    common(jsonl)
    jsonl.add_argument("--text", action="store_true", help="add each story's own text (what a perfect cleaner keeps)")

    serve = actions.add_parser("serve", help="serve the pages behind RSS/Atom feeds on 127.0.0.1 until stopped")
    common(serve)
    serve.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    serve.add_argument("--rate", type=float, default=None,
                       help="release this many articles per second from the first feed request (default: all at once)")
    serve.add_argument("--feed-size", type=int, default=None,
                       help="items per feed (default: all without --rate, 100 with it)")
    serve.add_argument("--sources", type=Path, default=None, help="write a fetcher config for these feeds here")
    serve.add_argument("--seen", choices=("kafka", "memory"), default="kafka", help="seen-set in that config")
    serve.add_argument("--interval", type=float, default=1.0, help="poll interval in that config, seconds")

    scored = actions.add_parser("score", help="B-cubed of merged events against the corpus ground truth")
    scored.add_argument("truth", type=Path, help="the JSON Lines from `newsdesk corpus jsonl`")
    scored.add_argument("events", type=Path, nargs="?", default=None,
                        help="merged events as JSON Lines (default: stdin)")


def _non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return number


def run(args: argparse.Namespace) -> int:
    if args.corpus_command == "score":
        return _score(args.truth, args.events)
    from newsdesk.corpus.build import DEFAULT_START, generate

    corpus = generate(args.events, args.seed, args.start or DEFAULT_START)
    if args.corpus_command == "jsonl":
        from newsdesk.corpus.jsonl import write_jsonl

        count = write_jsonl(corpus, sys.stdout.buffer, text=args.text)
        print(f"newsdesk corpus: {count} articles, {len(corpus.events)} events, seed {args.seed}", file=sys.stderr)
        return 0
    return asyncio.run(_serve(corpus, args))


async def _serve(corpus: Any, args: argparse.Namespace) -> int:
    from newsdesk.corpus.server import start
    from newsdesk.corpus.site import Site, sources_toml

    feed_size = args.feed_size if args.feed_size is not None else (100 if args.rate else None)
    site = Site(corpus, rate=args.rate, feed_size=feed_size)
    server, base = await start(site, args.port)
    if args.sources:
        args.sources.write_text(sources_toml(site, seen=args.seen, interval=args.interval), encoding="utf-8")
    print(base, flush=True)  # first line on stdout: what scripts wait for
    pace = f"{args.rate:g} articles/s from the first feed request" if args.rate else "all at once"
    print(f"newsdesk corpus: serving {len(corpus.articles)} articles of {len(corpus.events)} events (seed "
          f"{corpus.seed}) behind {len(site.feeds)} feeds on {base}, {pace}; /_status tells how many are out",
          file=sys.stderr, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()
    return 0


def _score(truth_path: Path, events_path: Path | None) -> int:
    import orjson

    from newsdesk.corpus.scoring import assignments, score

    try:
        truth = [orjson.loads(line) for line in truth_path.read_bytes().splitlines() if line.strip()]
        source = events_path.read_bytes() if events_path else sys.stdin.buffer.read()
    except OSError as exc:
        print(f"newsdesk corpus score: {exc}", file=sys.stderr)
        return 1
    except orjson.JSONDecodeError as exc:
        print(f"newsdesk corpus score: {truth_path} is not JSON Lines: {exc}", file=sys.stderr)
        return 1
    events = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            events.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            print(f"newsdesk corpus score: events line {number}: {exc}", file=sys.stderr)
            return 1
    if any("event" not in record or "id" not in record for record in truth):
        print(f"newsdesk corpus score: {truth_path} lacks 'id'/'event' fields (make it with "
              "`newsdesk corpus jsonl`)", file=sys.stderr)
        return 1
    for line in score(truth, assignments(e for e in events if isinstance(e, dict))).lines():
        print(line)
    return 0
