"""A watched directory: each file dropped in is ingested once (again only if it changes).

A file's seen-set key is `file:<name>`, so the same file name on two replicas (a shared
volume) is one article; its id is a hash of that key, the same on every machine. Files still
being written are left for the next poll (modified less than `SETTLE_SECONDS` ago).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from newsdesk.fetcher.config import SourceConfig
from newsdesk.fetcher.localfiles import FileProblem, content_type_of, is_candidate, read_article_file
from newsdesk.fetcher.sources.base import Item, PollContext, PollResult
from newsdesk.fetcher.urls import article_id, content_hash

SETTLE_SECONDS = 1.0


@dataclass
class DirectorySource:
    config: SourceConfig

    async def poll(self, ctx: PollContext) -> PollResult:
        assert self.config.path
        folder = Path(self.config.path)
        result = PollResult()
        if not folder.is_dir():
            result.problems.append(f"{folder}: not a directory")
            return result
        # (size, mtime) of files already handled in this process: unchanged ones are not re-read
        known: dict[str, tuple[int, float]] = ctx.state.setdefault("files", {})
        now = time.time()
        paths = sorted((p for p in folder.iterdir() if p.is_file() and is_candidate(p)),
                       key=lambda p: p.stat().st_mtime)
        for path in paths:
            if len(result.items) >= self.config.max_items:
                break
            st = path.stat()
            stamp = (st.st_size, st.st_mtime)
            if known.get(path.name) == stamp or now - st.st_mtime < SETTLE_SECONDS:
                continue
            if content_type_of(path) is None:
                known[path.name] = stamp
                result.problems.append(f"{path}: skipped, not .txt/.html")
                continue
            try:
                body, ctype = read_article_file(path, ctx.http.settings.max_bytes)
            except FileProblem as exc:
                known[path.name] = stamp
                result.problems.append(str(exc))
                continue
            known[path.name] = stamp
            key = f"file:{path.name}"
            result.items.append(Item(url=None, body=body, content_type=ctype, key=key, id=article_id(key),
                                     fingerprint=content_hash(body)))
        return result
