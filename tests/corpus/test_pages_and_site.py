"""Pages and feeds parse as the fetcher and the cleaner read them; the site releases articles
on time; the server speaks HTTP on loopback; the real fetcher gets every article from it."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from newsdesk.cleaner import clean
from newsdesk.corpus.build import Corpus, generate
from newsdesk.corpus.feeds import feed_path, render_feed
from newsdesk.corpus.jsonl import raw_record
from newsdesk.corpus.pages import LAYOUTS, render_page
from newsdesk.corpus.server import start
from newsdesk.corpus.site import Site, released_count, sources_toml
from newsdesk.fetcher.pages import page_meta
from newsdesk.fetcher.sources.feeds import parse_feed
from newsdesk.records import RawArticle


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return generate(events=40, seed=11)


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def test_every_layout_is_used_and_pages_carry_their_metadata(corpus: Corpus) -> None:
    events = {e.id: e for e in corpus.events}
    assert {a.outlet.layout for a in corpus.articles} == set(range(len(LAYOUTS)))
    for article in corpus.articles:
        page = render_page(article, events[article.event])
        meta = page_meta(LexborHTMLParser(page), "http://127.0.0.1:1" + article.path)
        assert meta.canonical == article.url
        assert meta.title == article.story.headline
        assert meta.published_at == article.published.isoformat()


def test_the_cleaner_finds_each_story_in_its_page(corpus: Corpus) -> None:
    """The story is the page's main content: the cleaner keeps nearly all of its words, and
    the furniture around it (headlines of other stories, ads, nav) mostly goes."""
    events = {e.id: e for e in corpus.events}
    recalls, precisions = [], []
    for article in corpus.articles:
        cleaned = clean(RawArticle.model_validate(raw_record(article, events[article.event])))
        got, want = _words(cleaned.text), _words(article.story.text)
        recalls.append(sum((got & want).values()) / sum(want.values()))
        precisions.append(sum((got & want).values()) / max(1, sum(got.values())))
    assert sum(recalls) / len(recalls) >= 0.95
    assert sum(precisions) / len(precisions) >= 0.8


def test_feeds_list_every_article_of_their_outlet(corpus: Corpus) -> None:
    site = Site(corpus, base_url="http://127.0.0.1:8")
    for outlet in corpus.outlets:
        feed = render_feed(outlet, site.feed_items(outlet), site.base_url).encode()
        entries, problem = parse_feed(feed, site.base_url + feed_path(outlet))
        assert problem is None
        expected = {site.base_url + a.path for a in corpus.articles if a.outlet == outlet}
        assert {url for url, _item, _fp in entries} == expected
        assert all(item.title and item.published_at for _url, item, _fp in entries)


def test_release_clock() -> None:
    assert released_count(10, None, None) == 10
    assert released_count(10, 5.0, None) == 0
    assert released_count(10, 5.0, 0.0) == 1
    assert released_count(10, 5.0, 1.0) == 6
    assert released_count(10, 5.0, 100.0) == 10


def test_with_a_rate_a_revision_replaces_its_page_and_moves_up_its_feed(corpus: Corpus) -> None:
    site = Site(corpus, base_url="http://127.0.0.1:8", rate=10.0, feed_size=100)
    assert site.get(corpus.articles[0].path).status == 404  # nothing is out before the clock starts
    index = next(i for i, a in enumerate(corpus.articles) if a.version == 2)
    update = corpus.articles[index]
    original = next(a for a in corpus.articles if a.url == update.url and a.version == 1)
    site.advance(index)
    assert site.get(update.path).body == render_page(original, corpus.event(update.event)).encode()
    site.advance(index + 1)
    assert site.get(update.path).body == render_page(update, corpus.event(update.event)).encode()
    assert site.feed_items(update.outlet)[0] == update


async def test_the_server_serves_feeds_pages_and_not_modified(corpus: Corpus) -> None:
    site = Site(corpus)
    server, base = await start(site)
    try:
        assert base.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            outlet = corpus.outlets[0]
            feed = await client.get(feed_path(outlet))
            assert feed.status_code == 200 and "xml" in feed.headers["content-type"]
            again = await client.get(feed_path(outlet), headers={"If-None-Match": feed.headers["etag"]})
            assert again.status_code == 304 and again.content == b""
            article = corpus.articles[0]
            page = await client.get(article.path)
            assert page.status_code == 200 and article.url in page.text
            assert (await client.head(article.path)).content == b""
            assert (await client.get("/nothing/here")).status_code == 404
            assert (await client.get("/_status")).json()["released"] == len(corpus.articles)
    finally:
        server.close()
        await server.wait_closed()


async def test_the_real_fetcher_gets_every_article_from_the_site(tmp_path) -> None:
    from newsdesk.fetcher.client import HttpClient
    from newsdesk.fetcher.config import load_config
    from newsdesk.fetcher.metrics import JsonLog
    from newsdesk.fetcher.publish import MemoryPublisher
    from newsdesk.fetcher.seen import MemorySeenSet
    from newsdesk.fetcher.service import Fetcher

    small = generate(events=8, seed=2)
    site = Site(small)
    server, _base = await start(site)
    try:
        config_file = tmp_path / "sources.toml"
        config_file.write_text(sources_toml(site, seen="memory"))
        config = load_config(config_file)
        published = MemoryPublisher()
        async with HttpClient(config.http, log=JsonLog(quiet=True)) as http:
            fetcher = Fetcher(config, published, MemorySeenSet(), http, JsonLog(quiet=True))
            reports = await asyncio.wait_for(asyncio.gather(*(fetcher.poll_once(s) for s in fetcher.sources())), 60)
    finally:
        server.close()
        await server.wait_closed()
    assert all(r.failed is None and not r.errors for r in reports)
    # All at once, each URL shows its latest version: one article per URL, with the right id.
    latest = {a.url: a for a in small.articles}
    assert sorted(a.id for a in published.published) == sorted(a.id for a in latest.values())
    assert {a.url for a in published.published} == set(latest)
