"""The corpus site over HTTP/1.1 on 127.0.0.1: keep-alive, GET and HEAD, ETag on feeds.

A small asyncio server rather than http.server: the fetcher keeps connections open and asks
for hundreds of pages a second, and a thread per connection would measure the server, not
the fetcher. With a rate, the release clock starts at the first feed request, so a fetcher
that takes a while to start misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from newsdesk.corpus.site import Reply, Site, released_count

LOOPBACK = "127.0.0.1"
REASONS = {200: "OK", 304: "Not Modified", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


class Clock:
    """Starts on the first feed request; tells the site how many versions are out."""

    def __init__(self, site: Site, now: Callable[[], float] = time.monotonic) -> None:
        self.site, self.now, self.started = site, now, None if site.rate is not None else 0.0

    def tick(self, path: str) -> None:
        if self.site.rate is None:
            return
        if self.started is None and path in self.site.feeds:
            self.started = self.now()
        elapsed = None if self.started is None else self.now() - self.started
        self.site.advance(released_count(len(self.site.corpus.articles), self.site.rate, elapsed))


def _response(reply: Reply, head_only: bool, not_modified: bool) -> bytes:
    status = 304 if not_modified else reply.status
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'OK')}", f"Content-Type: {reply.content_type}"]
    if reply.etag:
        lines.append(f"ETag: {reply.etag}")
    body = b"" if not_modified else reply.body
    lines.append(f"Content-Length: {len(body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + body


async def _handle(site: Site, clock: Clock, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            request, *header_lines = head.decode("latin-1").split("\r\n")
            parts = request.split(" ")
            headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines if h)}
            if len(parts) != 3:
                writer.write(_response(Reply(400, "text/plain", b"bad request\n"), False, False))
                await writer.drain()
                return
            method, path = parts[0], parts[1]
            if method not in ("GET", "HEAD"):
                reply = Reply(405, "text/plain", b"method not allowed\n")
            else:
                clock.tick(path)
                reply = site.get(path)
            fresh = reply.etag is not None and headers.get("if-none-match") == reply.etag
            writer.write(_response(reply, method == "HEAD", fresh))
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def start(site: Site, port: int = 0) -> tuple[asyncio.Server, str]:
    """Starts serving `site` on loopback; returns the server and its base URL."""
    clock = Clock(site)
    server = await asyncio.start_server(lambda r, w: _handle(site, clock, r, w), LOOPBACK, port, backlog=1024)
    # Feed links need the real port; nothing is served before this returns to the event loop.
    site.base_url = f"http://{LOOPBACK}:{server.sockets[0].getsockname()[1]}"
    return server, site.base_url
