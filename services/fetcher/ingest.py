"""One-shot ingest of local files, directories, JSON Lines of raw articles, URL lists and URLs.

Every input is tried; a bad one is reported on stderr naming it, the rest go on, and the run
ends non-zero when anything failed. Ids: a file's stem (what a user expects to see again),
a URL's canonical-URL hash, a .jsonl line's own id.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from newsdesk.fetcher.body import PAGE_TYPES
from newsdesk.fetcher.client import HttpClient
from newsdesk.fetcher.errors import FetchError
from newsdesk.fetcher.localfiles import FileProblem, is_candidate, read_article_file, read_text_file
from newsdesk.fetcher.pages import now_iso, page_article
from newsdesk.fetcher.publish import Publish
from newsdesk.fetcher.sources.urllist import looks_like_url_list, parse_url_list
from newsdesk.records import RawArticle
from newsdesk.serde import BadRecord, loads


@dataclass
class Task:
    """One thing to publish: a file, a URL, or a line of a .jsonl file."""

    label: str
    path: Path | None = None
    url: str | None = None
    record: RawArticle | None = None


@dataclass
class IngestResult:
    published: int = 0
    failed: list[str] = field(default_factory=list)


class Progress:
    """A one-line counter on stderr, redrawn at most 10 times a second; only on a terminal."""

    def __init__(self, stream: IO[str], total: int) -> None:
        self.stream = stream
        self.total = total
        self.enabled = stream.isatty() and total > 1
        self.done = self.errors = 0
        self.started = self.last = time.monotonic()

    def step(self, ok: bool) -> None:
        self.done += 1
        self.errors += not ok
        now = time.monotonic()
        if self.enabled and (now - self.last > 0.1 or self.done == self.total):
            self.last = now
            rate = self.done / max(now - self.started, 1e-6)
            self.stream.write(f"\r{self.done}/{self.total} done, {self.errors} failed, {rate:.0f}/s ")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def expand(inputs: list[str], errors: list[str]) -> Iterator[Task]:
    for raw in inputs:
        if raw.lower().startswith(("http://", "https://")):
            yield Task(raw, url=raw)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and is_candidate(p))
            if not files:
                errors.append(f"{path}: directory has no files")
            for p in files:
                yield from _file_tasks(p, errors)
        elif path.exists():
            yield from _file_tasks(path, errors)
        else:
            errors.append(f"{path}: no such file or directory")


def _file_tasks(path: Path, errors: list[str]) -> Iterator[Task]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        try:
            text = read_text_file(path, 512 * 1024 * 1024)
        except FileProblem as exc:
            errors.append(str(exc))
            return
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield Task(f"{path}:{number}", record=loads(line, RawArticle))
            except BadRecord as exc:
                errors.append(f"{path}:{number}: {exc}")
        return
    if suffix in (".txt", ".list", ".urls"):
        try:
            text = read_text_file(path)
        except FileProblem as exc:
            errors.append(str(exc))
            return
        if looks_like_url_list(text):
            for url in parse_url_list(text):
                yield Task(url, url=url)
            return
        if suffix != ".txt":
            errors.append(f"{path}: a {suffix} file must hold one URL per line")
            return
    yield Task(str(path), path=path)


async def ingest(inputs: list[str], publish: Publish, http: HttpClient | None, *, source: str | None = None,
                 allow_private: bool = False, stderr: IO[str] | None = None, concurrency: int = 16) -> IngestResult:
    err = stderr or sys.stderr
    result = IngestResult()
    tasks = list(expand(inputs, result.failed))
    for message in result.failed:
        print(f"error: {message}", file=err, flush=True)
    progress = Progress(err, len(tasks))
    gate = asyncio.Semaphore(concurrency)
    seen_ids: set[str] = set()
    lock = asyncio.Lock()  # keeps the output order stable for files and records

    async def one(task: Task) -> None:
        try:
            async with gate:
                article = await _article(task, http, source, allow_private)
            if article.id in seen_ids:
                raise FileProblem(f"{task.label}: same id {article.id!r} as an earlier input; skipped")
            seen_ids.add(article.id)
            async with lock:
                await publish(article)
            result.published += 1
            progress.step(True)
        except (FileProblem, FetchError) as exc:
            message = str(exc) if isinstance(exc, FileProblem) else f"{task.label}: {exc.kind}: {exc}"
            result.failed.append(message)
            progress.step(False)
            print(("\n" if progress.enabled else "") + f"error: {message}", file=err, flush=True)

    # files and records in order (cheap, deterministic output); URLs concurrently
    for task in tasks:
        if task.url is None:
            await one(task)
    await asyncio.gather(*(one(t) for t in tasks if t.url is not None))
    progress.close()
    return result


async def _article(task: Task, http: HttpClient | None, source: str | None, allow_private: bool) -> RawArticle:
    if task.record is not None:
        if source and not task.record.source:
            task.record.source = source
        return task.record
    if task.path is not None:
        body, ctype = read_article_file(task.path)
        return RawArticle(id=task.path.stem, source=source, content_type=ctype, body=body, fetched_at=now_iso())
    assert task.url is not None
    if http is None:
        raise FileProblem(f"{task.url}: no HTTP client")
    resp = await http.get(task.url, allow_private=allow_private, accept=PAGE_TYPES)
    http.metrics.inc("fetched")
    article, _ = page_article(data=resp.body, declared_type=resp.content_type, requested_url=task.url,
                              final_url=resp.url, status=resp.status, source=source, outlet=None,
                              language=None, feed=None)
    return article
