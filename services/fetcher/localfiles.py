"""Reading article files from disk, refusing what is not an article with a clear reason."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

ContentType = Literal["text/plain", "text/html"]
TYPES: dict[str, ContentType] = {".txt": "text/plain", ".text": "text/plain", ".html": "text/html",
                                 ".htm": "text/html", ".xhtml": "text/html"}
#: Larger files are refused before reading: no article is this long.
MAX_FILE_BYTES = 10 * 1024 * 1024


class FileProblem(ValueError):
    """A file that cannot be an article; the message names the file and why."""


def content_type_of(path: Path) -> ContentType | None:
    return TYPES.get(path.suffix.lower())


def read_text_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size == 0:
        raise FileProblem(f"{path}: empty file")
    if size > max_bytes:
        raise FileProblem(f"{path}: {size:,} bytes is over the {max_bytes:,} byte limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise FileProblem(f"{path}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not text.strip():
        raise FileProblem(f"{path}: only whitespace")
    return text


def read_article_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, ContentType]:
    ctype = content_type_of(path)
    if ctype is None:
        raise FileProblem(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                          "use .txt, .html or .htm (or .jsonl of raw articles)")
    return read_text_file(path, max_bytes), ctype


def is_candidate(path: Path) -> bool:
    """Skips hidden files and the partial files editors and downloaders leave behind."""
    name = path.name
    return not (name.startswith((".", "~")) or name.endswith(("~", ".part", ".tmp", ".crdownload", ".swp")))
