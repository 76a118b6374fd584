"""Sink write throughput: batched event upserts per second into SQLite and PostgreSQL.

Synthetic events (several versions each, with people, places, quotes and articles) are written
in batches the way the sink writes a Kafka poll: one transaction per batch.

    .venv/bin/python bench/sink/upserts.py [--events 20000] [--batch 500]
    # PostgreSQL too: NEWSDESK_BENCH_DATABASE_URL (or NEWSDESK_TEST_DATABASE_URL), a role that may create databases
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from newsdesk.records import Event, EventArticle, EventPerson, EventPlace, EventQuote, EventSource
from newsdesk.sink.stores import open_store

PLACES = ["Tallinn", "Porto", "Valletta", "Lagos", "Quito", "Hanoi", "Perth", "Bergen"]
PEOPLE = ["Ana Rocha", "Piet Smit", "Lena Ivers", "Omar Haddad", "Mei Lin", "Juan Soto", "Ada Obi"]


def synthetic(n_events: int, versions: int, seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    out = []
    for i in range(n_events):
        for v in range(1, versions + 1):
            arts = [EventArticle(id=f"a{i}-{k}", url=f"https://bench.example/{i}/{k}", title=f"Story {i} part {k}",
                                 published_at="2024-01-02T03:04:05Z") for k in range(v + 1)]
            out.append(Event(
                event_id=f"ev{i}", version=v, title=f"Event {i} in {rng.choice(PLACES)}", type="meeting",
                when=f"2024-01-{1 + i % 28:02d}",
                who=[EventPerson(name=p) for p in rng.sample(PEOPLE, 2)],
                where=[EventPlace(name=rng.choice(PLACES))],
                quotes=[EventQuote(text=f"Quote {i}.{v}", speaker=PEOPLE[0])],
                sources=[EventSource(name="Bench Wire", articles=[a.id for a in arts])],
                articles=arts, first_seen="2024-01-02T03:04:05+00:00", updated_at=f"2024-01-02T03:{v:02d}:05+00:00",
            ))
    rng.shuffle(out)  # versions arrive out of order, as after a rebalance
    return out


def measure(url: str, events: list[Event], batch: int) -> float:
    store = open_store(url)
    store.migrate()
    start = time.perf_counter()
    for i in range(0, len(events), batch):
        store.write(events[i:i + batch])
    elapsed = time.perf_counter() - start
    store.close()
    return len(events) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000, help="event upserts in total")
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    events = synthetic(max(1, args.events // 3), 3)
    print(f"{len(events)} upserts ({len(events) // 3} events x 3 versions, shuffled), batches of {args.batch}")
    with tempfile.TemporaryDirectory() as tmp:
        rate = measure(f"sqlite:///{Path(tmp) / 'bench.db'}", events, args.batch)
        print(f"sqlite:     {rate:8.0f} upserts/s")
    admin = os.environ.get("NEWSDESK_BENCH_DATABASE_URL") or os.environ.get("NEWSDESK_TEST_DATABASE_URL")
    if admin:
        import psycopg

        name = f"newsdesk_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        try:
            rate = measure(urlunsplit(urlsplit(admin)._replace(path=f"/{name}")), events, args.batch)
            print(f"postgresql: {rate:8.0f} upserts/s")
        finally:
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        print("postgresql: skipped (set NEWSDESK_BENCH_DATABASE_URL)")
    print("reproduce: NEWSDESK_BENCH_DATABASE_URL=postgresql://USER:PASS@127.0.0.1:5432/DB "
          f".venv/bin/python bench/sink/upserts.py --events {args.events} --batch {args.batch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
