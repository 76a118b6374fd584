"""Fetch throughput: 100 RSS feeds x 100 pages on a local server, one poll of every feed.

Runs the real fetcher (HTTP client, feed parser, page handling, seen-set, publish) against a
keep-alive HTTP server in a child process; politeness is off for loopback (no robots.txt,
no per-host delay), as a deployment would configure its own test host. The publisher only
counts, so the figures are the fetcher's own. Prints pages/s, peak RSS and RSS samples over
the run (flat = no growth per page), and the command that reproduces them.

With --processes N the feeds are split between N fetcher processes the way replicas split
sources (`newsdesk fetcher --shard I/N`); pages/s is then the total over the common wall time.

usage: python bench/fetcher/bench_fetch.py [--feeds 100] [--per-feed 100] [--concurrency 8] [--processes 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time

PAGE_TEXT = ("The regional council met on Tuesday to debate the harbour budget. " * 40).strip()


def page_html(n: int) -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Story {n}</title>"
            f"<link rel='canonical' href='/page/{n}'><meta property='og:title' content='Story {n}'>"
            f"<script>var x={n};</script></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>Story {n}</h1><p>{PAGE_TEXT} ({n})</p><p>{PAGE_TEXT}</p></article>"
            f"<footer>© Example</footer></body></html>").encode()


def feed_xml(port: int, feed: int, per_feed: int) -> bytes:
    items = "".join(
        f"<item><title>Story {feed * per_feed + i}</title><link>http://127.0.0.1:{port}/page/{feed * per_feed + i}"
        f"?utm_source=rss</link><pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate></item>" for i in range(per_feed))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>F{feed}</title>{items}</channel></rss>".encode()


async def serve(port: int, per_feed: int) -> None:
    """A minimal HTTP/1.1 keep-alive server: /feed/N.xml and /page/N."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                if path.startswith("/feed/"):
                    body, ctype = feed_xml(port, int(path[6:].split(".")[0]), per_feed), "application/rss+xml"
                elif path.startswith("/page/"):
                    body, ctype = page_html(int(path[6:].split("?")[0])), "text/html; charset=utf-8"
                else:
                    body, ctype = b"not found", "text/plain"
                status = "200 OK" if not body.startswith(b"not found") else "404 Not Found"
                writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                             f"\r\n".encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


async def bench(port: int, feeds: int, concurrency: int, shard: tuple[int, int] | None = None) -> dict[str, object]:
    from newsdesk.fetcher.client import HttpClient
    from newsdesk.fetcher.config import FetcherConfig, HttpSettings, SourceConfig
    from newsdesk.fetcher.metrics import JsonLog
    from newsdesk.fetcher.seen import MemorySeenSet
    from newsdesk.fetcher.service import Fetcher
    from newsdesk.records import RawArticle

    config = FetcherConfig(
        http=HttpSettings(allow_networks=["127.0.0.1/32"], respect_robots=False, per_host_delay=0,
                          per_host_concurrency=concurrency, max_connections=concurrency),
        seen="memory",
        sources=[SourceConfig(name=f"feed{i}", kind="rss", url=f"http://127.0.0.1:{port}/feed/{i}.xml",
                              max_items=10_000, allowed_hosts=["127.0.0.1"]) for i in range(feeds)])
    published = 0

    async def count(article: RawArticle) -> None:
        nonlocal published
        published += 1

    samples: list[tuple[int, float]] = []

    async def sample() -> None:
        while True:
            samples.append((published, rss_mb()))
            await asyncio.sleep(1.0)

    async with HttpClient(config.http) as http:
        fetcher = Fetcher(config, count, MemorySeenSet(), http, JsonLog(quiet=True), page_concurrency=concurrency,
                          shard=shard)
        sampler = asyncio.create_task(sample())
        began = time.time()
        cpu0 = time.process_time()
        started = time.perf_counter()
        # 10 feeds at a time: a steady stream of pages rather than one burst of 10,000 tasks
        sem = asyncio.Semaphore(10)

        async def one(src: object) -> object:
            async with sem:
                return await fetcher.poll_once(src)  # type: ignore[arg-type]

        reports = await asyncio.gather(*(one(s) for s in fetcher.sources()))
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu0
        sampler.cancel()
        samples.append((published, rss_mb()))
        errors = sum(sum(r.errors.values()) + (r.failed is not None) for r in reports)
    return {"published": published, "seconds": elapsed, "errors": errors, "samples": samples, "began": began,
            "ended": began + elapsed, "cpu": cpu, "fetched": fetcher.metrics.counts["fetched"],
            "bytes": fetcher.metrics.counts["bytes"],
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


async def bare_httpx(port: int, pages: int, concurrency: int) -> tuple[float, float]:
    """Baseline in the same conditions: plain httpx GETs of the same pages, nothing else done.
    Returns (requests/s, requests per CPU-second)."""
    import httpx

    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one(i: int) -> int:
            async with sem:
                return len((await client.get(f"http://127.0.0.1:{port}/page/{i}")).content)

        started, cpu0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(i) for i in range(pages)))
        return pages / (time.perf_counter() - started), pages / (time.process_time() - cpu0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--per-feed", type=int, default=100)
    ap.add_argument("--concurrency", type=int, default=8, help="connections (and pages in flight) per process")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--baseline", type=int, default=2000, metavar="N",
                    help="also time N plain httpx GETs of the same pages (0: skip)")
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve, args.per_feed))
        return 0
    if args.worker:
        index, count = (int(x) for x in args.worker.split("/"))
        print(json.dumps(asyncio.run(bench(args.port, args.feeds, args.concurrency, (index, count)))))
        return 0
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--per-feed", str(args.per_feed)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout and server.stdout.readline().strip() == "ready"
        workers = [subprocess.Popen([sys.executable, __file__, "--worker", f"{i}/{args.processes}", "--port", str(port),
                                     "--feeds", str(args.feeds), "--concurrency", str(args.concurrency)],
                                    stdout=subprocess.PIPE, text=True) for i in range(args.processes)]
        results = [json.loads(w.communicate()[0].strip().splitlines()[-1]) for w in workers]
        baseline = asyncio.run(bare_httpx(port, args.baseline, args.concurrency)) if args.baseline else None
    finally:
        server.terminate()
        server.wait()
    pages = sum(r["published"] for r in results)
    wall = max(r["ended"] for r in results) - min(r["began"] for r in results)
    print(f"feeds={args.feeds} pages/feed={args.per_feed} concurrency={args.concurrency} processes={args.processes}")
    print(f"published {pages:,} pages in {wall:.2f} s: {pages / wall:.0f} pages/s "
          f"(fetched {sum(r['fetched'] for r in results):,}, {sum(r['bytes'] for r in results) / 1e6:.1f} MB, "
          f"errors {sum(r['errors'] for r in results)})")
    cpu = sum(r["cpu"] for r in results)
    print(f"fetcher CPU {cpu:.2f} s: {pages / cpu:.0f} pages per CPU-second (what one free core would do; "
          f"the machine's load average when the run ended: {os.getloadavg()[0]:.2f})")
    if baseline:
        print(f"baseline, plain httpx GETs of the same pages (no parsing, no publishing), concurrency "
              f"{args.concurrency}: {baseline[0]:.0f} req/s, {baseline[1]:.0f} requests per CPU-second")
    for i, r in enumerate(results):
        print(f"process {i}: {r['published']:,} pages, peak RSS {r['peak_rss_mb']:.0f} MB; RSS over the run "
              "(pages -> MB): " + ", ".join(f"{n}->{mb:.0f}" for n, mb in r["samples"]))
    print(f"reproduce: cd {os.getcwd()} && {sys.executable} bench/fetcher/bench_fetch.py --feeds {args.feeds} "
          f"--per-feed {args.per_feed} --concurrency {args.concurrency} --processes {args.processes} "
          f"--baseline {args.baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
