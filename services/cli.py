"""newsdesk: many outlets in, one merged record per real-world event out.

Offline (no broker): clean, extract, dedup read JSON Lines on stdin and write JSON Lines.
Live: broker, worker, sink, fetcher/ingest, events; `up` runs the whole pipeline on a demo corpus.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from newsdesk import settings as settings_mod


def bootstrap_servers() -> str:
    """KAFKA_BOOTSTRAP_SERVERS when set, else the local broker `newsdesk broker start` runs."""
    settings = settings_mod.load()
    if settings.bootstrap_servers:
        return settings.bootstrap_servers
    from newsdesk.broker.local import default_broker

    return default_broker(settings.home).bootstrap


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb, help_ in (
        ("clean", "raw articles (JSON Lines on stdin) -> clean articles on stdout"),
        ("extract", "raw or clean articles -> extracted articles (entities, quotes, events)"),
        ("dedup", "raw, clean or extracted articles -> merged events"),
    ):
        sub.add_parser(verb, help=help_)

    broker = sub.add_parser("broker", help="run a local Apache Kafka broker (KRaft) on 127.0.0.1")
    broker.add_argument("action", choices=("start", "stop", "status"))

    sub.add_parser("topics", help="create newsdesk's topics on the broker (idempotent)")

    worker = sub.add_parser("worker", help="the stream processors (Faust): cleaner, extractor, deduper, router")
    worker.add_argument("--stage", action="append", choices=("cleaner", "extractor", "deduper", "router"),
                        help="run only this stage (repeatable); default: all of them")
    worker.add_argument("--store", default=None,
                        help="Faust table store: memory:// (default) or rocksdb:// (needs rocksdict)")
    worker.add_argument("--datadir", type=Path, default=None, help="worker state directory")
    worker.add_argument("--loglevel", default="INFO")
    worker.add_argument("--framework-loglevel", default="WARNING",
                        help="level for Faust's and the Kafka client's own logs (INFO shows every rebalance)")

    sink = sub.add_parser("sink", help="store merged events (SQLite by default, PostgreSQL via NEWSDESK_DATABASE_URL)")
    sink.add_argument("--from-beginning", action="store_true", help="rebuild storage from the compacted topic")
    sink.add_argument("--group", default="newsdesk-sink",
                      help="consumer group; sinks writing to different databases need different groups")

    sub.add_parser("events", help="print the stored events as JSON Lines")

    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=("migrate",))

    schemas = sub.add_parser("schemas", help="JSON Schemas of the topic records")
    schemas.add_argument("action", choices=("export",))
    schemas.add_argument("--out", type=Path, default=Path("schemas"))

    up = sub.add_parser("up", help="start broker, worker and sink, ingest the demo corpus, show the merged events")
    up.add_argument("--keep-running", action="store_true", help="leave the pipeline running afterwards")
    up.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for the events")

    from newsdesk.api.cli import add_commands as add_api_commands
    from newsdesk.corpus.cli import add_commands as add_corpus_commands
    from newsdesk.fetcher.arguments import add_commands as add_fetcher_commands

    add_fetcher_commands(sub)
    add_api_commands(sub)
    add_corpus_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command
    try:
        if command in ("clean", "extract", "dedup"):
            from newsdesk import offline

            return offline.main(command)
        if command == "broker":
            return broker_command(args.action)
        if command == "topics":
            from newsdesk.broker.admin import ensure_topics

            created = asyncio.run(ensure_topics(bootstrap_servers()))
            print(f"created: {', '.join(created) or 'none (all exist)'}")
            return 0
        if command == "worker":
            return worker_command(args)
        if command == "sink":
            return sink_command(args.from_beginning, args.group)
        if command == "events":
            return events_command()
        if command == "db":
            from newsdesk.sink.stores import open_store

            store = open_store(settings_mod.load().database_url)
            applied = store.migrate()
            store.close()
            print(f"applied: {', '.join(applied) or 'none (up to date)'}")
            return 0
        if command == "schemas":
            from newsdesk.schemas import export

            for path in export(args.out):
                print(path)
            return 0
        if command == "up":
            from newsdesk.up import run_up

            return run_up(keep_running=args.keep_running, timeout=args.timeout)
        if command in ("api", "tail"):
            from newsdesk.api.cli import run as run_api

            return run_api(args)
        if command == "corpus":
            from newsdesk.corpus.cli import run as run_corpus

            return run_corpus(args)
        from newsdesk.broker.client import article_publisher
        from newsdesk.fetcher.cli import run

        return run(args, make_publisher=article_publisher(bootstrap_servers()))
    except KeyboardInterrupt:
        return 130
    except UserFacingError as exc:
        print(f"newsdesk {command}: {exc}", file=sys.stderr)
        return 1


class UserFacingError(Exception):
    pass


def broker_command(action: str) -> int:
    from newsdesk.broker.local import BrokerError, default_broker

    settings = settings_mod.load()
    if settings.bootstrap_servers:
        print(f"KAFKA_BOOTSTRAP_SERVERS is set ({settings.bootstrap_servers}): that broker is used; "
              "unset it to manage a local one", file=sys.stderr)
        return 1 if action != "status" else 0
    broker = default_broker(settings.home)
    try:
        if action == "start":
            print(f"starting Kafka in {broker.home} (first run downloads its jars with Maven)...", file=sys.stderr)
            broker.start()
            from newsdesk.broker.admin import ensure_topics

            asyncio.run(ensure_topics(broker.bootstrap))
            print(f"broker running on {broker.bootstrap}")
        elif action == "stop":
            print("broker stopped" if broker.stop() else "no broker was running")
        else:
            print(f"broker {broker.status()}")
    except BrokerError as exc:
        raise UserFacingError(str(exc)) from exc
    return 0


def worker_command(args: argparse.Namespace) -> int:
    import os

    from newsdesk.broker.admin import ensure_topics
    from newsdesk.stream.app import STAGES, run_worker

    settings = settings_mod.load()
    bootstrap = bootstrap_servers()
    asyncio.run(ensure_topics(bootstrap))
    datadir = args.datadir or settings.home / "worker" / str(os.getpid())
    store = args.store or os.environ.get("NEWSDESK_STORE", "memory://")
    run_worker(bootstrap, args.stage or STAGES, datadir, store=store, loglevel=args.loglevel,
               framework_loglevel=args.framework_loglevel)
    return 0


def sink_command(from_beginning: bool, group: str) -> int:
    from newsdesk import logs
    from newsdesk.broker.admin import ensure_topics
    from newsdesk.sink.service import run_sink
    from newsdesk.sink.stores import StoreError, open_store

    logs.setup("sink")
    bootstrap = bootstrap_servers()
    try:
        store = open_store(settings_mod.load().database_url)
    except StoreError as exc:
        raise UserFacingError(str(exc)) from exc

    async def go() -> None:
        await ensure_topics(bootstrap)
        await run_sink(bootstrap, store, from_beginning=from_beginning, group_id=group)

    asyncio.run(go())
    return 0


def events_command() -> int:
    from newsdesk.serde import dumps
    from newsdesk.sink.stores import StoreError, open_store

    try:
        store = open_store(settings_mod.load().database_url)
        store.migrate()
    except StoreError as exc:
        raise UserFacingError(str(exc)) from exc
    out = sys.stdout.buffer
    for event in store.events():
        out.write(dumps(event) + b"\n")
    out.flush()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
