"""The project's own demo corpus: invented news pages from invented outlets, and a local server.

The corpus (``corpus/*.html`` plus ``corpus/manifest.json``) was written for newsdesk; no page
is taken from a real outlet. It holds three events reported by several outlets in different
words, one syndicated copy of a wire story, and one near-miss (the same two ministers meeting
again in another city weeks later), so that `newsdesk up` has something to merge and the
end-to-end test has known answers to assert.

`serve()` puts the pages on a loopback HTTP server at their ``url_path`` so the real fetcher
(httpx) can fetch them, together with ``/urls.txt`` and an RSS 2.0 ``/feed.xml`` listing them.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

__all__ = [
    "EventFacts",
    "ExpectedQuote",
    "Manifest",
    "Page",
    "corpus_dir",
    "load_manifest",
    "serve",
]

# The server only ever listens on loopback: it exists for local demos and tests.
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})


@dataclass(frozen=True, slots=True)
class Page:
    """One article page of the corpus and where it is served."""

    file: str
    outlet: str
    url_path: str
    event: str
    published_at: str
    title: str
    duplicate_of: str | None = None  # file name of the page this one is a syndicated copy of

    @property
    def published(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.published_at.replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True)
class ExpectedQuote:
    """A quote the merged event should carry: ``contains`` is a substring of its text."""

    contains: str
    speaker: str
    min_articles: int


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What a correct pipeline should find for one event label."""

    label: str
    type: str
    when: str
    where: tuple[str, ...]
    who: tuple[str, ...]
    quotes: tuple[ExpectedQuote, ...]
    # Canonical name -> other spellings used by some outlets (e.g. a transliteration variant).
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.when)


@dataclass(frozen=True, slots=True)
class Manifest:
    pages: tuple[Page, ...]
    events: dict[str, EventFacts]

    def pages_for(self, label: str) -> tuple[Page, ...]:
        return tuple(p for p in self.pages if p.event == label)

    def page_for_path(self, url_path: str) -> Page | None:
        return next((p for p in self.pages if p.url_path == url_path), None)


def corpus_dir() -> Path:
    """Folder holding the HTML pages and manifest.json."""
    return Path(__file__).resolve().parent / "corpus"


def load_manifest(path: Path | None = None) -> Manifest:
    """Read ``manifest.json`` (by default the packaged one) into typed records."""
    raw = json.loads((path or corpus_dir() / "manifest.json").read_text(encoding="utf-8"))
    pages = tuple(
        Page(
            file=p["file"],
            outlet=p["outlet"],
            url_path=p["url_path"],
            event=p["event"],
            published_at=p["published_at"],
            title=p["title"],
            duplicate_of=p.get("duplicate_of"),
        )
        for p in raw["pages"]
    )
    events = {
        label: EventFacts(
            label=label,
            type=ev.get("type", "other"),
            when=ev["when"],
            where=tuple(ev["where"]),
            who=tuple(ev["who"]),
            quotes=tuple(
                ExpectedQuote(contains=q["contains"], speaker=q["speaker"], min_articles=q["min_articles"])
                for q in ev.get("quotes", [])
            ),
            aliases={name: tuple(alts) for name, alts in ev.get("aliases", {}).items()},
        )
        for label, ev in raw["events"].items()
    }
    return Manifest(pages=pages, events=events)


def _rss(base_url: str, manifest: Manifest) -> str:
    items = []
    # Newest first, as real feeds list them.
    for page in sorted(manifest.pages, key=lambda p: p.published, reverse=True):
        link = xml_escape(base_url + page.url_path)
        items.append(
            "    <item>\n"
            f"      <title>{xml_escape(page.title)}</title>\n"
            f"      <link>{link}</link>\n"
            f'      <guid isPermaLink="true">{link}</guid>\n'
            f"      <pubDate>{format_datetime(page.published)}</pubDate>\n"
            f'      <source url="{xml_escape(base_url + "/feed.xml")}">{xml_escape(page.outlet)}</source>\n'
            "    </item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0">\n'
        "  <channel>\n"
        "    <title>newsdesk demo corpus</title>\n"
        f"    <link>{xml_escape(base_url)}/</link>\n"
        "    <description>Invented news pages written for the newsdesk demo and tests.</description>\n"
        f"{''.join(items)}"
        "  </channel>\n"
        "</rss>\n"
    )


class _CorpusHandler(BaseHTTPRequestHandler):
    # Filled per server through functools.partial: path -> (content type, body).
    routes: dict[str, tuple[str, bytes]]

    def __init__(self, *args: object, routes: dict[str, tuple[str, bytes]], **kwargs: object) -> None:
        self.routes = routes
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _respond(self, send_body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        hit = self.routes.get(path)
        if hit is None:
            content_type, body, status = "text/plain; charset=utf-8", b"not found\n", 404
        else:
            (content_type, body), status = hit, 200
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        # Quiet: the demo and the tests print their own progress.
        return


def _page_routes(manifest: Manifest, folder: Path) -> dict[str, tuple[str, bytes]]:
    return {page.url_path: ("text/html; charset=utf-8", (folder / page.file).read_bytes()) for page in manifest.pages}


def _index_routes(base_url: str, manifest: Manifest) -> dict[str, tuple[str, bytes]]:
    urls = "".join(f"{base_url}{page.url_path}\n" for page in manifest.pages)
    return {
        "/urls.txt": ("text/plain; charset=utf-8", urls.encode("utf-8")),
        "/feed.xml": ("application/rss+xml; charset=utf-8", _rss(base_url, manifest).encode("utf-8")),
    }


@contextmanager
def serve(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the corpus on loopback in a background thread; yields the base URL (no trailing slash).

    ``port=0`` picks a free port. The server is shut down and its socket closed on exit.
    """
    if host not in _LOOPBACK_HOSTS:
        raise ValueError(f"the demo server only binds to loopback, not {host!r}")
    manifest = load_manifest()
    # Read every page before binding, so a broken corpus fails without leaking a socket.
    routes = _page_routes(manifest, corpus_dir())
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_CorpusHandler, routes=routes))
    server.daemon_threads = True
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    # The URL list and the feed need the real port, known only once the socket is bound.
    routes.update(_index_routes(base_url, manifest))
    thread = threading.Thread(target=server.serve_forever, name="newsdesk-demo-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
