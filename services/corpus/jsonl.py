"""The corpus as JSON Lines of raw articles, for `newsdesk clean|extract|dedup`.

One line per article version, in order of appearance, with the fields the fetcher would have
published for it (id from the canonical URL, source = the outlet's feed name, the page as
body), plus the ground truth: ``event`` (the event id, the field the shared cluster scorer
reads) and ``truth`` (kind, version, the wire story a copy reproduces, the event a
distractor echoes). With ``text=True`` each line also holds ``text``: the story's own
paragraphs, what a perfect cleaner returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import orjson

from newsdesk.corpus.build import Corpus, CorpusArticle
from newsdesk.corpus.events import EventSpec
from newsdesk.corpus.pages import render_page


def raw_record(article: CorpusArticle, event: EventSpec, *, text: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "source": article.outlet.slug,
        "outlet": article.outlet.name,
        "title": article.story.headline,
        "published_at": article.published.isoformat(),
        "language": "en",
        "content_type": "text/html",
        "body": render_page(article, event),
        "is_update": article.version > 1,
        "event": article.event,
        "truth": {"kind": article.kind, "version": article.version, "copy_of": article.copy_of,
                  "echoes": event.echoes, "echo_kind": event.echo_kind, "type": event.type},
    }
    if text:
        record["text"] = article.story.text
    return record


def raw_records(corpus: Corpus, *, text: bool = False) -> Iterator[dict[str, Any]]:
    events = {e.id: e for e in corpus.events}
    for article in corpus.articles:
        yield raw_record(article, events[article.event], text=text)


def write_jsonl(corpus: Corpus, out: IO[bytes], *, text: bool = False) -> int:
    count = 0
    for record in raw_records(corpus, text=text):
        out.write(orjson.dumps(record) + b"\n")
        count += 1
    out.flush()
    return count
