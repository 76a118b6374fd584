"""The seeds' clean checks (../shared/seeds/expected.json), run in-process; skipped without ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.cleaner import clean
from newsdesk.records import RawArticle

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not (SEEDS / "expected.json").exists(), reason="../shared/seeds is absent")]


def ws(text: str | None) -> str:
    return " ".join((text or "").split())


def cases() -> list[tuple[str, dict]]:
    if not (SEEDS / "expected.json").exists():
        return []
    return sorted(json.loads((SEEDS / "expected.json").read_text())["clean"].items())


@pytest.mark.parametrize(("article_id", "expected"), cases())
def test_seed_article(article_id: str, expected: dict) -> None:
    body = (SEEDS / f"{article_id}.txt").read_text()
    article = clean(RawArticle(id=article_id, body=body, content_type="text/plain"))
    lines = [ws(line) for line in article.text.splitlines()]
    text = ws(article.text)
    for junk in expected["removed"]:
        assert ws(junk) not in lines and (len(junk) < 30 or ws(junk) not in text), junk
    for keep in expected["kept"]:
        assert ws(keep) in text, keep
    if "title" in expected:
        assert ws(article.title) == ws(expected["title"])
    if "published_at" in expected:
        assert (article.published_at or "").startswith(expected["published_at"])
