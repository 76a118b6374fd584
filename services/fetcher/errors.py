"""Why a fetch failed, as a short kind for metrics plus a message for people."""

from __future__ import annotations


class FetchError(Exception):
    """kinds: ssrf, robots, timeout, connect, http_status, too_large, decompression_bomb,
    content_type, redirect_loop, too_many_redirects, retry_after, bad_url, parse, io."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
