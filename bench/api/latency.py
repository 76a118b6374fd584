"""API latency under steady load: p50/p99 of event lookups at a fixed request rate.

Fills a SQLite store (or, with --postgres, the database at NEWSDESK_DATABASE_URL: give it an empty
scratch database, the benchmark writes into it) with synthetic
events, starts `python -m newsdesk.api` as a separate process on loopback, then sends GET
/events/{id} at --rate requests/s for --seconds (open loop: requests go out on schedule whether
or not earlier ones have finished, so slow answers show up as latency, not as a lower rate).

    .venv/bin/python bench/api/latency.py [--rate 100] [--seconds 20] [--events 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sink"))
from upserts import synthetic

from newsdesk.sink.stores import open_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def load(base: str, ids: list[str], rate: float, seconds: float, path: str) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    rng = random.Random(3)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=5, limits=limits) as client:
        async def one(url: str) -> None:
            nonlocal errors
            start = time.perf_counter()
            try:
                response = await client.get(url)
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
                return
            latencies.append((time.perf_counter() - start) * 1000)

        tasks = []
        t0 = time.perf_counter()
        for n in range(int(rate * seconds)):
            delay = t0 + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            url = path.format(id=rng.choice(ids))
            tasks.append(asyncio.create_task(one(url)))
        await asyncio.gather(*tasks)
    return latencies, errors


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--postgres", action="store_true", help="use NEWSDESK_DATABASE_URL (PostgreSQL) as is")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ["NEWSDESK_DATABASE_URL"] if args.postgres else f"sqlite:///{Path(tmp) / 'api.db'}"
        store = open_store(url)
        store.migrate()
        events = synthetic(args.events, 2)
        for i in range(0, len(events), 1000):
            store.write(events[i:i + 1000])
        store.close()
        ids = sorted({e.event_id for e in events})
        port = free_port()
        env = {**os.environ, "NEWSDESK_DATABASE_URL": url, "NEWSDESK_HOME": tmp}
        server = subprocess.Popen([sys.executable, "-m", "newsdesk.api", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print(f"{len(ids)} events stored ({url.split(':', 1)[0]}); load: {args.rate:.0f} req/s "
                  f"for {args.seconds:.0f} s from this process, server in pid {server.pid}")
            for label, path in (("GET /events/{id}", "/events/{id}"),
                                ("GET /events?entity=...&limit=20", "/events?entity=Ana%20Rocha&limit=20")):
                latencies, errors = asyncio.run(load(base, ids, args.rate, args.seconds, path))
                print(f"{label:34} n={len(latencies)} errors={errors} p50={percentile(latencies, 50):.1f} ms "
                      f"p99={percentile(latencies, 99):.1f} ms max={max(latencies):.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=10)
    where = "NEWSDESK_DATABASE_URL=postgresql://... " if args.postgres else ""
    print(f"reproduce: {where}.venv/bin/python bench/api/latency.py --rate {args.rate:.0f} "
          f"--seconds {args.seconds:.0f} --events {args.events}{' --postgres' if args.postgres else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
