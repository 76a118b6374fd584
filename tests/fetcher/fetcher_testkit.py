"""A small HTTP server on 127.0.0.1 whose routes each test sets, and config helpers.

(A module of its own, not conftest.py: the root conftest already owns that module name.)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from newsdesk.fetcher.config import FetcherConfig, HttpSettings, SourceConfig


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Route = Reply | Callable[[dict[str, str]], Reply]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        server: LocalServer = self.server.owner  # type: ignore[attr-defined]
        headers = {k.lower(): v for k, v in self.headers.items()}
        server.requests.append((self.path, headers))
        route = server.routes.get(self.path)
        if route is None:
            reply = Reply(404, b"not found", {"Content-Type": "text/plain"})
        else:
            reply = route(headers) if callable(route) else route
        self.send_response(reply.status)
        for k, v in reply.headers.items():
            self.send_header(k, v)
        if "Content-Length" not in reply.headers:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(reply.body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up early (size caps, bombs) are expected here


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def html(self, path: str, title: str, text: str, extra_head: str = "") -> None:
        body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{extra_head}</head>"
                f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>").encode()
        self.routes[path] = Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})


def http_settings(**overrides: Any) -> HttpSettings:
    values: dict[str, Any] = {"allow_networks": ["127.0.0.1/32"], "per_host_delay": 0.0, "retries": 2,
                              "backoff_base": 0.01, "backoff_max": 0.05, "respect_robots": False,
                              "per_host_concurrency": 8, "total_timeout": 10.0}
    values.update(overrides)
    return HttpSettings(**values)


def feed_config(*sources: dict[str, Any], **http: Any) -> FetcherConfig:
    return FetcherConfig(http=http_settings(**http), seen="memory",
                         sources=[SourceConfig(**s) for s in sources])


def rss(server: LocalServer, *paths_titles: tuple[str, str]) -> bytes:
    items = "".join(f"<item><title>{t}</title><link>{server.url(p)}</link>"
                    f"<pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate><author>desk@example.org</author></item>"
                    for p, t in paths_titles)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{items}</channel></rss>".encode()
