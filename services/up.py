"""`newsdesk up`: the whole pipeline on the embedded defaults, fed the demo corpus.

Starts a local broker (unless KAFKA_BOOTSTRAP_SERVERS names one), a worker and a sink
writing SQLite (or NEWSDESK_DATABASE_URL), serves the demo pages on 127.0.0.1, fetches
them through the fetcher, waits until every article is stored, then shows the events.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from newsdesk import settings as settings_mod
from newsdesk.records import Event
from newsdesk.sink.stores import stored_events


def say(message: str) -> None:
    print(f"newsdesk up: {message}", file=sys.stderr, flush=True)


def spawn(name: str, args: list[str], logs: Path) -> subprocess.Popen:
    logs.mkdir(parents=True, exist_ok=True)
    out = open(logs / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child process
    return subprocess.Popen([sys.executable, "-m", "newsdesk.cli", *args], stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)


async def ingest_demo(bootstrap: str) -> int:
    from newsdesk.broker.client import article_publisher
    from newsdesk.demo import load_manifest, serve
    from newsdesk.fetcher.client import HttpClient
    from newsdesk.fetcher.config import HttpSettings
    from newsdesk.fetcher.ingest import ingest
    from newsdesk.fetcher.metrics import JsonLog

    manifest = load_manifest()
    with serve() as base:
        urls = [base + page.url_path for page in manifest.pages]
        async with HttpClient(HttpSettings(), log=JsonLog(quiet=True)) as http, \
                article_publisher(bootstrap)() as publish:
            result = await ingest(urls, publish, http, source="demo", allow_private=True)
    if result.failed:
        raise RuntimeError(f"could not ingest the demo pages: {result.failed[:3]}")
    return result.published


def render(events: list[Event]) -> str:
    lines = [f"{len(events)} merged events\n"]
    for event in events:
        lines.append(f"* {event.title or '(untitled)'}")
        lines.append(f"    type {event.type}; when {event.when or '?'}; "
                     f"where {', '.join(p.name for p in event.where) or '?'}")
        if event.who:
            lines.append(f"    who  {', '.join(p.name for p in event.who[:6])}")
        outlets = sorted({s.name for s in event.sources if s.kind == 'outlet'} or
                         {a.source or '?' for a in event.articles})
        lines.append(f"    {_count(len(event.articles), 'article')} from {', '.join(outlets)}")
        for quote in event.quotes[:2]:
            lines.append(f"    \u201c{quote.text[:90]}\u201d \u2014 {quote.speaker or '?'} "
                         f"({_count(len(quote.articles), 'article')})")
        lines.append("")
    return "\n".join(lines)


def run_up(keep_running: bool = False, timeout: float = 240.0) -> int:
    from newsdesk.broker.admin import ensure_topics
    from newsdesk.broker.local import BrokerError, default_broker
    from newsdesk.demo import load_manifest

    settings = settings_mod.load()
    logs = settings.home / "logs"
    with ExitStack() as cleanup:
        bootstrap = settings.bootstrap_servers
        if bootstrap is None:
            broker = default_broker(settings.home)
            was_running = broker.pid() is not None
            say(f"starting a local Kafka broker in {broker.home} (the first run fetches its jars with Maven)")
            try:
                broker.start()
            except BrokerError as exc:
                say(str(exc))
                return 1
            if not was_running and not keep_running:
                cleanup.callback(broker.stop)
            bootstrap = broker.bootstrap
        asyncio.run(ensure_topics(bootstrap))
        env_note = f"storage {settings.database_url.split('@')[-1]}"
        say(f"broker {bootstrap}; starting worker and sink ({env_note}); logs in {logs}")
        os.environ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap
        services = [spawn("worker", ["worker"], logs), spawn("sink", ["sink"], logs)]
        if not keep_running:
            for proc in services:
                cleanup.callback(stop_process, proc)
        say("fetching the demo corpus from a local web server")
        published = asyncio.run(ingest_demo(bootstrap))
        wanted = {page.url_path.rsplit("/", 1)[-1] for page in load_manifest().pages}
        say(f"{published} articles published; waiting for the merged events")
        deadline = time.monotonic() + timeout
        events: list[Event] = []
        while time.monotonic() < deadline:
            for proc in services:
                if proc.poll() is not None:
                    say(f"a service exited with code {proc.returncode}; see {logs}")
                    return 1
            events = stored_events(settings.database_url)
            urls = {(a.url or "").rsplit("/", 1)[-1] for e in events for a in e.articles}
            if wanted <= urls:
                break
            time.sleep(1.0)
        else:
            say(f"timed out after {timeout:.0f}s; see {logs}")
            return 1
        time.sleep(2.0)  # let late versions of the same events land
        print(render(stored_events(settings.database_url)))
        say("as JSON Lines: newsdesk events" + ("" if not keep_running else "; still running (Ctrl-C stops nothing)"))
    return 0


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
