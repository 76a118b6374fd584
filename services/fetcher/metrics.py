"""Counters, per-host latency and structured logs (one JSON object per line)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import orjson


@dataclass
class Latency:
    count: int = 0
    total: float = 0.0
    worst: float = 0.0

    def add(self, seconds: float) -> None:
        self.count += 1
        self.total += seconds
        self.worst = max(self.worst, seconds)

    def as_dict(self) -> dict[str, float]:
        mean = self.total / self.count if self.count else 0.0
        return {"count": self.count, "mean_ms": round(mean * 1000, 1), "max_ms": round(self.worst * 1000, 1)}


@dataclass
class Metrics:
    """fetched, not_modified, skipped_robots, published, updates, duplicates, bytes, and
    errors by kind; latency per host."""

    counts: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latency: dict[str, Latency] = field(default_factory=dict)

    def inc(self, name: str, by: int = 1) -> None:
        self.counts[name] += by

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def observe(self, host: str, seconds: float) -> None:
        self.latency.setdefault(host, Latency()).add(seconds)

    def snapshot(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts),
            "errors": dict(self.errors),
            "latency": {h: lat.as_dict() for h, lat in sorted(self.latency.items())},
        }


class JsonLog:
    """Structured log: `log("event", key=value...)` writes one JSON object per line."""

    def __init__(self, stream: IO[str] | None = None, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet

    def __call__(self, event: str, level: str = "info", **fields: Any) -> None:
        if self.quiet and level == "info":
            return
        record = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "level": level,
                  "logger": "newsdesk.fetcher", "event": event, **fields}
        stream = self.stream or sys.stderr
        stream.write(orjson.dumps(record, default=str).decode() + "\n")
        stream.flush()


def monotonic() -> float:
    return time.monotonic()
