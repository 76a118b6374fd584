"""Small stories of ten towns opening libraries, on different days: stories of one town share
most of their words, so the deduper's regrouping splits and joins their events over and over.
And one council vote that several outlets report alike (`bridge_report`).
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


BRIDGE_STORY = (
    "{town} council approves new harbour bridge\n\n"
    "{town} city council on Tuesday approved the construction of a new harbour bridge, "
    "Mayor Helena Kowalczyk said. \"This bridge will connect the old town with the port,\" "
    "Kowalczyk told reporters in {town}. The vote passed 31 to 4 after a six-hour debate.\n"
)


def bridge_report(article_id: str, outlet: str, town: str, title_suffix: str = "") -> dict:
    """A raw article (as JSON) of one council vote: reports of one town are one event."""
    return {"id": article_id, "url": f"https://{outlet}.example/{article_id}", "source": outlet,
            "outlet": outlet, "published_at": "2031-03-11", "title": f"{town} approves harbour bridge{title_suffix}",
            "body": BRIDGE_STORY.format(town=town)}
