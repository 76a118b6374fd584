"""The read API: list, search and fetch events; an SSE stream of updates; the live page.

Every handler reads through an EventReader opened read-only. Store calls run in worker
threads so a slow query never stalls the event loop that serves the SSE streams.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

import orjson
from anyio import to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from newsdesk.api.asyncapi import asyncapi_document
from newsdesk.api.filters import EVENT_TYPES, MAX_NAME_CHARS, BadParameter, plain_text, short_text
from newsdesk.api.filters import parse_filter as parse_event_filter
from newsdesk.api.matching import Interest
from newsdesk.api.openapi import openapi_document
from newsdesk.records import Event
from newsdesk.sink.stores import StoreError
from newsdesk.sink.stores.reading import EventReader

log = logging.getLogger(__name__)
MAX_EVENT_ID_CHARS = 512


@dataclass(frozen=True)
class ApiConfig:
    max_sse_clients: int = 50
    poll_interval_s: float = 1.0
    heartbeat_s: float = 15.0
    cors_origins: Sequence[str] = ()  # empty: no CORS headers at all


class JsonResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def problem(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status_code=status)


def event_json(event: Event) -> dict[str, Any]:
    return event.model_dump(mode="json")


def resume_cursor(last_event_id: str) -> tuple[str, str] | None:
    """The change-feed cursor in an SSE id ("<stored_at> <event_id>"), or None if it is not one."""
    if not last_event_id or len(last_event_id) > 600:
        return None
    stamp, _, event_id = last_event_id.partition(" ")
    try:
        # Only the form this API writes (isoformat() of an aware time): PostgreSQL compares it as
        # a timestamp, and one it cannot read would fail every poll of that stream.
        written = datetime.fromisoformat(stamp)
        plain_text("Last-Event-ID", event_id)
    except (ValueError, BadParameter):
        return None
    if written.tzinfo is None or written.isoformat() != stamp or not event_id:
        return None
    return stamp, event_id


def create_app(reader: EventReader, config: ApiConfig | None = None) -> Starlette:
    config = config or ApiConfig()
    sse_clients = {"open": 0}
    page = (resources.files("newsdesk.api") / "page.html").read_text()

    async def call(fn: Any, *args: Any) -> Any:
        return await to_thread.run_sync(fn, *args)

    async def list_events(request: Request) -> Response:
        try:
            f = parse_event_filter(request.query_params)
        except BadParameter as exc:
            return problem(400, str(exc))
        events = await call(reader.find_events, f)
        body: dict[str, Any] = {"events": [event_json(e) for e in events], "limit": f.limit, "offset": f.offset}
        if len(events) == f.limit:
            body["next_offset"] = f.offset + f.limit
        return JsonResponse(body)

    def event_id_of(request: Request) -> str:
        event_id = request.path_params["event_id"]
        if not event_id or len(event_id) > MAX_EVENT_ID_CHARS:
            raise BadParameter(f"event id must be 1 to {MAX_EVENT_ID_CHARS} characters")
        return plain_text("event id", event_id)

    async def get_event(request: Request) -> Response:
        try:
            event_id = event_id_of(request)
        except BadParameter as exc:
            return problem(400, str(exc))
        def details() -> tuple[Event | None, list[Any], list[Any], list[Event]]:
            # One trip to the worker thread for all four reads.
            event = reader.get_event(event_id)
            if event is None:
                return None, [], [], []
            return event, reader.event_articles(event_id), reader.event_quotes(event_id), \
                reader.event_history(event_id)

        event, articles, quotes, history = await call(details)
        if event is None:
            return problem(404, f"no event {event_id[:80]!r}")
        return JsonResponse({
            "event": event_json(event),
            "articles": articles,
            "quotes": quotes,
            "versions": [{"version": v.version, "updated_at": v.updated_at, "title": v.title,
                          "articles": len(v.articles)} for v in history],
        })

    async def get_versions(request: Request) -> Response:
        try:
            event_id = event_id_of(request)
        except BadParameter as exc:
            return problem(400, str(exc))
        history = await call(reader.event_history, event_id)
        if not history:
            return problem(404, f"no event {event_id[:80]!r}")
        return JsonResponse({"versions": [event_json(v) for v in history]})

    def interest_of(request: Request) -> Interest:
        params = request.query_params
        unknown = set(params) - {"entity", "type", "place"}
        if unknown:
            raise BadParameter("the stream takes only entity, type and place")
        kind = params.get("type")
        if kind is not None and kind not in EVENT_TYPES:
            raise BadParameter(f"type must be one of {', '.join(sorted(EVENT_TYPES))}")
        return Interest(entity=short_text("entity", params.get("entity", ""), MAX_NAME_CHARS), type=kind,
                        place=short_text("place", params.get("place", ""), MAX_NAME_CHARS))

    async def stream(request: Request) -> Response:
        try:
            interest = interest_of(request)
        except BadParameter as exc:
            return problem(400, str(exc))
        if sse_clients["open"] >= config.max_sse_clients:
            return problem(503, "too many stream clients; try again later")
        # A reconnecting EventSource sends the id of the last event it got: resume right after it.
        cursor = resume_cursor(request.headers.get("last-event-id", "")) or await call(reader.latest_cursor)
        body = sse_events(request, interest, cursor)
        sse_clients["open"] += 1
        # Released when the generator goes away, even if the client left before it ever ran
        # (a `finally` inside it would then never execute).
        weakref.finalize(body, release_sse_client)
        return StreamingResponse(body, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    def release_sse_client() -> None:
        sse_clients["open"] -= 1

    async def sse_events(request: Request, interest: Interest, cursor: Any) -> AsyncIterator[bytes]:
        # The store is the source: whatever the sink commits shows up here within a poll interval.
        yield b"retry: 2000\n\n"
        quiet = 0.0
        while not await request.is_disconnected():
            try:
                changes = await call(reader.changes_since, cursor)
            except StoreError as exc:
                log.warning("stream poll failed", extra={"error": str(exc)[:200]})
                changes = []
            for position, event in changes:
                cursor = position
                if interest.matches(event):
                    data = orjson.dumps(event_json(event))
                    position_id = f"{position[0]} {position[1]}".encode()
                    yield b"id: " + position_id + b"\nevent: event\ndata: " + data + b"\n\n"
                    quiet = 0.0
            if not changes:
                await asyncio.sleep(config.poll_interval_s)
                quiet += config.poll_interval_s
                if quiet >= config.heartbeat_s:
                    yield b": keep-alive\n\n"
                    quiet = 0.0

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers={"Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'; "
                                                                      "script-src 'unsafe-inline'"})

    async def health(request: Request) -> Response:
        try:
            await call(reader.latest_cursor)
        except StoreError:
            return problem(503, "database unavailable")
        return JsonResponse({"status": "ok"})

    async def openapi(request: Request) -> Response:
        return JsonResponse(openapi_document())

    async def asyncapi(request: Request) -> Response:
        return JsonResponse(asyncapi_document())

    async def http_error(request: Request, exc: Exception) -> Response:
        # Unknown paths and methods answer in the API's own JSON shape, like every other error.
        assert isinstance(exc, HTTPException)
        return problem(exc.status_code, exc.detail)

    async def store_failed(request: Request, exc: Exception) -> Response:
        # The message may name the database; it goes to the log, never to the client.
        log.error("store error", extra={"error": str(exc)[:300], "path": request.url.path})
        return problem(503, "database unavailable")

    middleware = []
    if config.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                                     allow_methods=["GET"], allow_headers=[]))
    return Starlette(
        routes=[
            Route("/", index),
            Route("/healthz", health),
            Route("/events", list_events),
            Route("/events/stream", stream),
            Route("/events/{event_id:path}/versions", get_versions),
            Route("/events/{event_id:path}", get_event),
            Route("/openapi.json", openapi),
            Route("/asyncapi.json", asyncapi),
        ],
        middleware=middleware,
        exception_handlers={StoreError: store_failed, HTTPException: http_error},
    )
