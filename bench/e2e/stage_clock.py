"""Run a newsdesk service with its own logic timed: how much of the process's CPU the stages take.

    python bench/e2e/stage_clock.py CLOCK_FILE {worker|fetcher} <their newsdesk cli arguments...>

The stage functions (the pure cores, as the service calls them) and the record codec are wrapped
with a per-thread CPU clock; a background thread writes the running totals, in seconds, to
CLOCK_FILE as JSON every quarter second. Whatever the process spends outside them (the Kafka
client, Faust, the HTTP client, the event loop) is its CPU time minus these totals: that is the
cost of the plumbing, which no faster stage code can remove. `run.py --clock` reads the file at
every sample, so both figures cover the same window.

A wrapped call costs about 1.5 us (two reads of the thread's CPU clock, which is a system call),
and an article makes a handful of them: well under 0.01 ms of the several ms it costs.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

# service -> part -> (module that calls the function, name it calls it by). Patching the
# caller's global catches every call, however the callee was imported; only the service's own
# modules are imported, so the clock adds nothing else to the process.
TIMED: dict[str, dict[str, tuple[str, str]]] = {
    "worker": {
        "clean": ("newsdesk.stream.app", "clean"),
        "extract": ("newsdesk.stream.app", "extract"),
        "merge": ("newsdesk.stream.deduper", "merge"),
        "record decoding": ("newsdesk.stream.handling", "loads"),
        "record encoding": ("newsdesk.stream.app", "dumps"),
        "event encoding": ("newsdesk.stream.deduper", "dumps"),
    },
    "fetcher": {
        "page parsing": ("newsdesk.fetcher.service", "page_article"),
        "feed parsing": ("newsdesk.fetcher.sources.feeds", "parse_feed"),
    },
}
#: Which parts are stage logic (the rest of the timed parts are the record codec).
STAGE_PARTS = ("clean", "extract", "merge", "page parsing", "feed parsing")


def timed(fn: Callable[..., Any], totals: dict[str, float], part: str) -> Callable[..., Any]:
    clock = time.thread_time

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[part] += clock() - start

    return wrapper


def install(service: str, totals: dict[str, float]) -> None:
    for part, (module_name, name) in TIMED[service].items():
        module = importlib.import_module(module_name)
        totals[part] = 0.0
        setattr(module, name, timed(getattr(module, name), totals, part))


def keep_writing(path: Path, totals: dict[str, float], every: float = 0.25) -> None:
    def loop() -> None:
        scratch = path.with_suffix(".tmp")
        while True:
            scratch.write_bytes(orjson.dumps({"t": time.time(), **totals}))
            os.replace(scratch, path)
            time.sleep(every)

    threading.Thread(target=loop, name="stage-clock", daemon=True).start()


def read(path: Path) -> dict[str, float] | None:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


def main() -> int:
    path, argv = Path(sys.argv[1]), sys.argv[2:]
    if not argv or argv[0] not in TIMED:
        raise SystemExit(f"stage_clock times {' and '.join(TIMED)} only, not {argv[:1]}")
    totals: dict[str, float] = {}
    install(argv[0], totals)
    keep_writing(path, totals)
    from newsdesk.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
