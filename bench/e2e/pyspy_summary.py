"""Where a process spends its CPU, from py-spy's collapsed stacks (`py-spy record -f raw`).

Each line is `frame;frame;...;leaf COUNT`, outermost first. A frame reads
`function (path/to/file.py:line)`, the path relative to its sys.path entry. The summary puts
each sample in the area of its innermost frame that belongs to a known one (a newsdesk stage
wins over the framework around it). py-spy counts a thread as active when the OS says it is
runnable, so on a loaded machine the shares are of the time a thread wanted the CPU.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")

# (area, start of the file path as py-spy prints it): checked from the innermost frame outwards,
# event-loop plumbing skipped, so a socket write counts for the Kafka client that asked for it.
AREAS = (
    ("cleaner", "newsdesk/cleaner/"),
    ("extractor", "newsdesk/extractor/"),
    ("deduper", "newsdesk/deduper/"),
    ("records (pydantic, orjson)", "newsdesk/serde.py"),
    ("records (pydantic, orjson)", "pydantic"),
    ("kafka client (aiokafka)", "aiokafka/"),
    ("faust/mode framework", "faust/"),
    ("faust/mode framework", "mode/"),
    ("stream agents (newsdesk.stream)", "newsdesk/stream/"),
    ("http client (httpx)", "httpx/"),
    ("http client (httpx)", "httpcore/"),
    ("http client (httpx)", "h11/"),
    ("feeds and pages (newsdesk.fetcher)", "newsdesk/fetcher/"),
    ("database (psycopg)", "psycopg"),
    ("sink (newsdesk.sink)", "newsdesk/sink/"),
)
PLUMBING = ("asyncio/", "selectors.py", "threading.py", "concurrent/")
WAITING = "event loop waiting for I/O (epoll)"


def parse(lines: Iterable[str]) -> list[tuple[list[tuple[str, str]], int]]:
    """[(frames as (function, file), outermost first), sample count] per stack."""
    stacks = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        body, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = []
        for raw in body.split(";"):
            match = _FRAME.match(raw.strip())
            frames.append((match["func"], match["file"]) if match else (raw.strip(), ""))
        stacks.append((frames, int(count)))
    return stacks


def _package_path(file: str) -> str:
    """A file as its package names it: an editable install runs newsdesk from the checkout's
    services/ folder, which py-spy prints as such."""
    path = file.lstrip("/")
    if path.startswith("services/"):
        return "newsdesk/" + path.removeprefix("services/")
    return "newsdesk/" + path.split("/services/", 1)[1] if "/services/" in path else path


def area_of(frames: list[tuple[str, str]]) -> str:
    if frames and frames[-1][0].endswith("select") and frames[-1][1].startswith("selectors.py"):
        return WAITING
    for _func, file in reversed(frames):
        path = _package_path(file)
        if path.startswith(PLUMBING):
            continue
        for area, marker in AREAS:
            if path.startswith(marker) or f"/{marker}" in file:
                return area
    return "other"


def summarize(lines: Iterable[str], top: int = 15) -> tuple[int, Counter[str], Counter[str], Counter[str]]:
    """(total samples, samples per area, inclusive samples per function, self samples per function)."""
    areas: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    for frames, count in parse(lines):
        total += count
        areas[area_of(frames)] += count
        names = {f"{func} ({_short(file)})" for func, file in frames}
        for name in names:
            inclusive[name] += count
        if frames:
            func, file = frames[-1]
            leaf[f"{func} ({_short(file)})"] += count
    return total, areas, inclusive, leaf


def _short(path: str) -> str:
    for marker in ("/services/", "/site-packages/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path
