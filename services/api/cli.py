"""`newsdesk api` and `newsdesk tail`, hooked into the main CLI by add_commands/run."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any, get_args

from newsdesk.records import EventType

DEFAULT_PORT = 8080


def add_commands(sub: Any) -> None:
    api = sub.add_parser("api", help="serve the read API and the live page over HTTP (read-only database access)")
    api.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    api.add_argument("--port", type=int, default=int(os.environ.get("NEWSDESK_API_PORT", DEFAULT_PORT)))
    api.add_argument("--cors-origin", action="append", default=[],
                     help="allow browser calls from this origin (repeatable); CORS is off by default")
    api.add_argument("--max-stream-clients", type=int, default=50)

    tail = sub.add_parser("tail", help="print events live as they are created or updated")
    tail.add_argument("--entity", help="only events naming this person, organisation or place")
    tail.add_argument("--type", choices=get_args(EventType), help="only this event type")
    tail.add_argument("--place", help="only events at this place")
    tail.add_argument("--since", help="also replay events updated since this ISO date or time")
    tail.add_argument("--json", action="store_true", help="one JSON object per line instead of a summary")
    tail.add_argument("--group", default=None,
                      help="consumer group: instances of one group share the events (default: none, see all)")


def run(args: argparse.Namespace) -> int:
    if args.command == "api":
        return api_command(args)
    if args.command == "tail":
        return tail_command(args)
    raise ValueError(f"not an api command: {args.command}")


def reader_url() -> tuple[str, bool]:
    """The API's database URL and whether it is the sink's own (then migrations run first).

    NEWSDESK_API_DATABASE_URL names a read-only role (PostgreSQL); without it the API uses
    NEWSDESK_DATABASE_URL, still read-only: SQLite mode=ro, PostgreSQL read-only transactions.
    """
    from newsdesk import settings

    own = os.environ.get("NEWSDESK_API_DATABASE_URL")
    return (own, False) if own else (settings.load().database_url, True)


def api_command(args: argparse.Namespace) -> int:
    import uvicorn

    from newsdesk import logs
    from newsdesk.api.app import ApiConfig, create_app
    from newsdesk.sink.stores import StoreError, open_reader, open_store

    logs.setup("api")
    url, shared = reader_url()
    try:
        if shared:
            store = open_store(url)
            store.migrate()
            store.close()
        reader = open_reader(url)
    except StoreError as exc:
        print(f"newsdesk api: {exc}", file=sys.stderr)
        return 1
    app = create_app(reader, ApiConfig(max_sse_clients=args.max_stream_clients, cors_origins=args.cors_origin))
    print(f"newsdesk api on http://{args.host}:{args.port}/ (OpenAPI: /openapi.json)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    reader.close()
    return 0


def summary_line(event: Any) -> str:
    where = ", ".join(p.name for p in event.where[:2]) or "?"
    who = ", ".join(p.name for p in event.who[:3])
    parts = [event.updated_at[:19].replace("T", " "), f"{event.type:<12}", event.when or "----------",
             f"{event.title or '(untitled)'}", f"@ {where}"]
    if who:
        parts.append(f"· {who}")
    parts.append(f"[v{event.version}, {len(event.articles)} articles]")
    return " ".join(parts)


def tail_command(args: argparse.Namespace) -> int:
    from newsdesk.api.matching import Interest
    from newsdesk.api.subscribe import subscribe
    from newsdesk.cli import bootstrap_servers
    from newsdesk.serde import dumps

    interest = Interest(entity=args.entity, type=args.type, place=args.place, since=args.since)

    async def go() -> None:
        async for event in subscribe(bootstrap_servers(), interest, group=args.group):
            if args.json:
                sys.stdout.buffer.write(dumps(event) + b"\n")
                sys.stdout.buffer.flush()
            else:
                print(summary_line(event), flush=True)

    try:
        asyncio.run(go())
    except KeyboardInterrupt:
        return 130
    return 0
