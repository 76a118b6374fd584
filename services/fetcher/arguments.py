"""The fetcher's command-line arguments, kept apart from what runs them.

Building the `newsdesk` parser must stay cheap: every command, `newsdesk clean` included,
builds it, and importing the HTTP client stack here would add ~0.1 s to each start.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(subparsers: Any) -> None:
    p = subparsers.add_parser("ingest", help="publish local files, .jsonl records, URL lists or URLs once")
    p.add_argument("inputs", nargs="+", metavar="PATH|URL",
                   help=".txt/.html files, directories, .jsonl raw articles, URL-list files, http(s) URLs")
    p.add_argument("--source", help="source name to put on the articles")
    p.add_argument("--dry-run", action="store_true", help="print raw articles as JSON Lines instead of publishing")
    p.add_argument("--config", help="fetcher config file whose [http] settings to use for URLs")
    p.add_argument("--allow-private", action="store_true",
                   help="allow URLs on private/loopback addresses (off: SSRF guard)")

    p = subparsers.add_parser("fetcher", help="poll the configured sources and publish raw articles")
    p.add_argument("--config", required=True, help="sources file (TOML, or YAML)")
    p.add_argument("--once", action="store_true", help="poll every source once, then exit")
    p.add_argument("--dry-run", action="store_true",
                   help="print raw articles as JSON Lines; seen-set in memory; no broker")
    p.add_argument("--shard", type=_shard, metavar="I/N",
                   help="poll only this replica's share of the sources (0-based I of N replicas)")
    p.add_argument("--concurrency", type=int, default=32, help="pages fetched at once (default 32)")

    p = subparsers.add_parser("sources", help="work with a sources file")
    sub = p.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    c = sub.add_parser("check", help="validate a sources file and dry-run one poll of each source")
    c.add_argument("file")
    c.add_argument("--jsonl", action="store_true", help="print the raw articles as JSON Lines too")


def _shard(value: str) -> tuple[int, int]:
    try:
        index, count = (int(x) for x in value.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected I/N, e.g. 0/3, not {value!r}") from None
    if not 0 <= index < count:
        raise argparse.ArgumentTypeError(f"need 0 <= I < N in {value!r}")
    return index, count


