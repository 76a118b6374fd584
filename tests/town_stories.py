"""Small stories of ten towns opening libraries, on different days: stories of one town share
most of their words, so the deduper's regrouping splits and joins their events over and over.
Shared by the kill tests and the deduper's unit tests (this folder is on sys.path, see conftest)."""

from __future__ import annotations

from newsdesk.records import RawArticle

TOWNS = ["Aberdeen", "Bergen", "Cork", "Dundee", "Esbjerg", "Faro", "Gdansk", "Haarlem", "Izmir", "Kiel"]


def articles(n: int, start: int = 0) -> list[RawArticle]:
    """Small stories about different towns and days."""
    out = []
    for i in range(start, start + n):
        town = TOWNS[i % len(TOWNS)]
        out.append(RawArticle(
            id=f"story-{i}",
            url=f"https://example.org/story-{i}",
            source=f"outlet-{i % 3}",
            title=f"{town} opens library number {i}",
            published_at=f"2024-0{1 + i % 9}-1{i % 9}",
            body=f"{town} opens library number {i}\n\nThe town of {town} opened library number {i} "
            f"on Monday, {i * 7} days after the council vote led by Councillor Member{i}.\n",
        ))
    return out
