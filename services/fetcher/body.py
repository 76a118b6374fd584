"""Turning response bytes into text safely: size cap, decompression-bomb guard, charset.

Content-Encoding is undone here rather than by httpx so that inflation is bounded by
`max_bytes` at every step (zlib's max_length), not after a 1000:1 chunk is already in memory.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import AsyncIterator

from newsdesk.fetcher.errors import FetchError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json", "application/json", "text/plain", "application/x-rss+xml",
    "text/rss+xml", "application/octet-stream",  # some servers say nothing useful for feeds
})
PAGE_TYPES = HTML_TYPES | {"text/plain"}


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def header_charset(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]{1,40})", content_type or "", re.I)
    return match.group(1).lower() if match else None


class Inflater:
    """Bounded decoder for gzip/deflate/identity; raises once output passes the cap."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self.obj: zlib._Decompress | None = None
        elif encoding in ("gzip", "x-gzip"):
            self.obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.obj = zlib.decompressobj()  # zlib-wrapped; raw deflate is retried below
        else:
            raise FetchError("content_encoding", f"unsupported Content-Encoding {encoding!r}")
        self.encoding = encoding
        self.max_bytes = max_bytes
        self.size = 0
        self.parts: list[bytes] = []
        self.first = True

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            kind = "decompression_bomb" if self.obj is not None else "too_large"
            raise FetchError(kind, f"body larger than {self.max_bytes:,} bytes"
                             + (" after decompression" if self.obj is not None else ""))
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self.obj is None:
            self._add(chunk)
            return
        if self.first and self.encoding == "deflate" and chunk[:1] != b"\x78":
            self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
        self.first = False
        data = chunk
        while data:
            room = self.max_bytes - self.size + 1  # one byte over the cap is enough to know
            try:
                out = self.obj.decompress(data, room)
            except zlib.error as exc:
                raise FetchError("decode", f"corrupt {self.encoding} body: {exc}") from None
            self._add(out)
            data = self.obj.unconsumed_tail
            if self.obj.eof:
                break

    def finish(self) -> bytes:
        if self.obj is not None:
            try:
                self._add(self.obj.flush())
            except zlib.error as exc:
                raise FetchError("decode", f"corrupt {self.encoding} body: {exc}") from None
        return b"".join(self.parts)


async def read_capped(chunks: AsyncIterator[bytes], encoding: str, max_bytes: int,
                      declared_length: int | None) -> tuple[bytes, int]:
    """(decoded body, bytes on the wire); refuses early when Content-Length is already too big."""
    if declared_length is not None and declared_length > max_bytes:
        raise FetchError("too_large", f"Content-Length {declared_length:,} is over the {max_bytes:,} byte cap")
    inflater = Inflater(encoding, max_bytes)
    wire = 0
    async for chunk in chunks:
        wire += len(chunk)
        if wire > max_bytes:
            raise FetchError("too_large", f"body larger than {max_bytes:,} bytes")
        inflater.feed(chunk)
    return inflater.finish(), wire


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([\w.:-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]{1,40})""", re.I)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _codec(header_charset(content_type)) or _codec(match.group(1).decode("ascii") if match else None)


def decode_text(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, charset used). Pages often lie about their charset, so evidence wins over claims:
    a BOM, then valid UTF-8 (multi-byte UTF-8 is very unlikely to be valid by accident), then
    the declared charset if the bytes decode under it, then a statistical guess."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data, content_type)
    # latin-1 accepts any bytes, so a declaration of it proves nothing; windows-1252 is what
    # browsers use for it anyway.
    if declared in ("latin-1", "iso8859-1", "ascii"):
        declared = "cp1252"
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace"), best.encoding
    except ImportError:  # optional: without it, windows-1252 is the usual legacy charset
        pass
    return data.decode("cp1252", errors="replace"), "cp1252"
