"""The fetcher service end to end against a local server, with in-memory publisher and seen-set."""

import os
import time
from pathlib import Path

from fetcher_testkit import LocalServer, Reply, feed_config, http_settings, rss

from newsdesk.fetcher.client import HttpClient
from newsdesk.fetcher.config import FetcherConfig, SourceConfig
from newsdesk.fetcher.metrics import JsonLog
from newsdesk.fetcher.publish import MemoryPublisher
from newsdesk.fetcher.seen import MemorySeenSet
from newsdesk.fetcher.service import Fetcher, next_interval
from newsdesk.fetcher.sources import make_source
from newsdesk.records import RawArticle


def source(server: LocalServer, name: str, path: str, **extra: object) -> dict[str, object]:
    return {"name": name, "kind": "rss", "url": server.url(path), "outlet": f"{name} outlet",
            "allow_private": True, "language": "en", **extra}


async def poll_all(config: FetcherConfig, publisher: MemoryPublisher, seen: MemorySeenSet) -> list:
    async with HttpClient(config.http) as http:
        fetcher = Fetcher(config, publisher, seen, http, JsonLog(quiet=True))
        return [await fetcher.poll_once(make_source(s)) for s in config.sources]


async def test_feed_items_are_fetched_as_pages_with_their_feed_fields(server: LocalServer):
    server.html("/a", "Page title A", "Body of A.", extra_head="<link rel='canonical' href='/articles/a'>")
    server.routes["/feed"] = Reply(200, rss(server, ("/a?utm_source=feed", "Feed title A")),
                                   {"Content-Type": "application/rss+xml"})
    config = feed_config(source(server, "world", "/feed"))
    out = MemoryPublisher()
    [report] = await poll_all(config, out, MemorySeenSet())
    [article] = out.published
    assert report.published == 1 and report.failed is None
    assert article.url == server.url("/articles/a")  # rel=canonical wins
    assert article.final_url == server.url("/a")
    assert article.title == "Feed title A" and article.feed and article.feed.author == "desk@example.org"
    assert article.source == "world" and article.outlet == "world outlet" and article.language == "en"
    assert article.status == 200 and article.content_type == "text/html" and "Body of A." in article.body
    assert article.published_at == "2026-11-23T08:00:00+00:00" and article.fetched_at


async def test_duplicate_items_across_feeds_are_published_once(server: LocalServer):
    server.html("/shared", "Shared", "Syndicated story.")
    server.html("/only1", "Only one", "Exclusive.")
    server.routes["/f1"] = Reply(200, rss(server, ("/shared", "S"), ("/only1", "O")))
    server.routes["/f2"] = Reply(200, rss(server, ("/shared?fbclid=zzz", "S again")))
    out = MemoryPublisher()
    await poll_all(feed_config(source(server, "one", "/f1"), source(server, "two", "/f2")), out, MemorySeenSet())
    urls = sorted(a.url for a in out.published)
    assert urls == [server.url("/only1"), server.url("/shared")]


async def test_a_backlog_is_fetched_oldest_first_across_sources(server: LocalServer):
    def feed(*items: tuple[str, str]) -> Reply:
        body = "".join(f"<item><title>{p}</title><link>{server.url(p)}</link>"
                       + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>" for p, d in items)
        return Reply(200, f"<rss version='2.0'><channel><title>T</title>{body}</channel></rss>".encode())

    for p in ("/a10", "/a08", "/b09", "/b11", "/c"):
        server.html(p, p, f"Story {p}.")
    # Each feed lists its newest item first, as feeds do; the last one gives no date at all.
    server.routes["/fa"] = feed(("/a10", "Mon, 23 Nov 2026 10:00:00 GMT"), ("/a08", "Mon, 23 Nov 2026 08:00:00 GMT"))
    server.routes["/fb"] = feed(("/b11", "Mon, 23 Nov 2026 12:00:00 +0100"), ("/b09", "Mon, 23 Nov 2026 09:00:00 GMT"))
    server.routes["/fc"] = feed(("/c", ""))
    config = feed_config(source(server, "a", "/fa"), source(server, "b", "/fb"), source(server, "c", "/fc"))
    out = MemoryPublisher()
    async with HttpClient(config.http) as http:
        # One page at a time: the order of the fetches is then the order of publication.
        fetcher = Fetcher(config, out, MemorySeenSet(), http, JsonLog(quiet=True), page_concurrency=1)
        reports = await fetcher.poll_together(fetcher.sources())
    assert [r.published for r in reports] == [2, 2, 1]
    assert [a.url for a in out.published] == [server.url(p) for p in ("/a08", "/b09", "/a10", "/b11", "/c")]


async def test_a_slow_source_does_not_hold_up_the_start_up_round(server: LocalServer):
    server.html("/quick", "Quick", "On time.")
    server.html("/slow", "Slow", "Late.")
    server.routes["/fast-feed"] = Reply(200, rss(server, ("/quick", "Quick")))

    def hanging_feed(headers: dict[str, str]) -> Reply:
        time.sleep(1.5)  # a feed that takes its time (the server is threaded)
        return Reply(200, rss(server, ("/slow", "Slow")))

    server.routes["/slow-feed"] = hanging_feed
    config = feed_config(source(server, "slow", "/slow-feed"), source(server, "fast", "/fast-feed"))
    published_at: dict[str, float] = {}

    async def publish(article: RawArticle) -> None:
        published_at[article.url or ""] = time.monotonic()

    async with HttpClient(config.http) as http:
        fetcher = Fetcher(config, publish, MemorySeenSet(), http, JsonLog(quiet=True))
        started = time.monotonic()
        slow, fast = await fetcher.poll_together(fetcher.sources(), wait=0.3)
    assert (slow.published, fast.published) == (1, 1)
    assert published_at[server.url("/quick")] - started < 1.0  # not after the slow feed's 1.5 s
    assert published_at[server.url("/slow")] - started >= 1.5


async def test_restart_does_not_republish(server: LocalServer):
    server.html("/a", "A", "Alpha.")
    server.html("/b", "B", "Beta.")
    server.routes["/feed"] = Reply(200, rss(server, ("/a", "A"), ("/b", "B")))
    config = feed_config(source(server, "s", "/feed"))
    seen = MemorySeenSet()  # stands in for the compacted topic that outlives the process
    first, second = MemoryPublisher(), MemoryPublisher()
    await poll_all(config, first, seen)
    page_hits = server.hits("/a")
    await poll_all(config, second, seen)  # a new Fetcher and client: nothing in process memory
    assert len(first.published) == 2 and second.published == []
    assert server.hits("/a") == page_hits  # unchanged feed items cost no page fetch either


async def test_changed_content_is_published_again_as_an_update(server: LocalServer):
    server.html("/a", "A", "First version.")
    server.routes["/feed"] = lambda h: Reply(200, rss(server, ("/a", "A")))
    config = feed_config(source(server, "s", "/feed"))
    seen, out = MemorySeenSet(), MemoryPublisher()
    await poll_all(config, out, seen)
    server.html("/a", "A", "Second version, corrected.")
    # the feed item changes too (new date), which is what makes the fetcher look again
    server.routes["/feed"] = Reply(200, rss(server, ("/a", "A (updated)")))
    await poll_all(config, out, seen)
    assert [a.is_update for a in out.published] == [False, True]
    assert "Second version" in out.published[1].body
    assert out.published[0].id == out.published[1].id


async def test_a_malformed_feed_is_reported_and_the_others_go_on(server: LocalServer):
    server.html("/good", "Good", "Fine.")
    server.routes["/bad"] = Reply(200, b"<html><body>Oops, an error page</body></html>",
                                  {"Content-Type": "text/html"})
    server.routes["/gone"] = Reply(404, b"")
    server.routes["/ok"] = Reply(200, rss(server, ("/good", "Good")))
    config = feed_config(source(server, "bad", "/bad"), source(server, "gone", "/gone"),
                         source(server, "ok", "/ok"))
    out = MemoryPublisher()
    bad, gone, ok = await poll_all(config, out, MemorySeenSet())
    assert bad.failed and "not a feed" in bad.failed
    assert gone.failed and "404" in gone.failed
    assert ok.failed is None and [a.url for a in out.published] == [server.url("/good")]


async def test_truncated_feed_publishes_what_it_has_and_reports_the_problem(server: LocalServer):
    server.html("/a", "A", "Alpha.")
    whole = rss(server, ("/a", "A"), ("/b", "B"))
    server.routes["/feed"] = Reply(200, whole[: whole.index(b"<item>", whole.index(b"</item>")) + 12])
    out = MemoryPublisher()
    [report] = await poll_all(feed_config(source(server, "s", "/feed")), out, MemorySeenSet())
    assert report.problems and "malformed" in report.problems[0]
    assert [a.url for a in out.published] == [server.url("/a")]


async def test_failed_pages_do_not_stop_the_poll(server: LocalServer):
    server.html("/a", "A", "Alpha.")
    server.routes["/broken"] = Reply(500, b"")
    server.routes["/feed"] = Reply(200, rss(server, ("/broken", "X"), ("/a", "A")))
    out = MemoryPublisher()
    [report] = await poll_all(feed_config(source(server, "s", "/feed"), retries=0), out, MemorySeenSet())
    assert report.errors == {"http_status": 1} and report.published == 1


async def test_allowed_hosts_and_max_items_limit_a_poll(server: LocalServer):
    for p in ("/1", "/2", "/3"):
        server.html(p, p, p)
    items = rss(server, ("/1", "1"), ("/2", "2"), ("/3", "3")).replace(
        b"</channel>", b"<item><title>x</title><link>https://elsewhere.example/x</link></item></channel>")
    server.routes["/feed"] = Reply(200, items)
    out = MemoryPublisher()
    [report] = await poll_all(feed_config(source(server, "s", "/feed", max_items=2, allowed_hosts=["127.0.0.1"])),
                              out, MemorySeenSet())
    assert report.items == 2 and len(out.published) == 2
    out2 = MemoryPublisher()
    [report] = await poll_all(feed_config(source(server, "s", "/feed", allowed_hosts=["127.0.0.1"])),
                              out2, MemorySeenSet())
    assert report.skipped == 1 and len(out2.published) == 3


async def test_sitemap_index_and_url_list_sources(server: LocalServer, tmp_path: Path):
    server.html("/n1", "N1", "News one.")
    server.html("/n2", "N2", "News two.")
    server.routes["/sitemap.xml"] = Reply(200, (
        f"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap><loc>{server.url('/s1.xml')}"
        f"</loc></sitemap><sitemap><loc>{server.url('/broken.xml')}</loc></sitemap></sitemapindex>").encode(),
        {"Content-Type": "application/xml"})
    server.routes["/s1.xml"] = Reply(200, (
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
        "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
        f"<url><loc>{server.url('/n1')}</loc><news:news><news:title>Sitemap N1</news:title>"
        "<news:publication_date>2026-11-23</news:publication_date></news:news></url></urlset>").encode(),
        {"Content-Type": "application/xml"})
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# morning list\n{server.url('/n2')}\n")
    config = feed_config({"name": "map", "kind": "sitemap", "url": server.url("/sitemap.xml"), "allow_private": True},
                         {"name": "list", "kind": "urls", "path": str(listing), "allow_private": True})
    out = MemoryPublisher()
    smap, lst = await poll_all(config, out, MemorySeenSet())
    assert lst.failed is None and lst.items == 1
    assert smap.problems and "broken.xml" in smap.problems[0]
    assert [(a.source, a.title) for a in out.published] == [("map", "Sitemap N1"), ("list", "N2")]


async def test_directory_source_ingests_each_dropped_file_once(tmp_path: Path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "story.txt").write_text("A river flooded the valley overnight.\n")
    (drop / "page.html").write_text("<html><body><p>Council votes.</p></body></html>")
    (drop / ".partial.txt").write_text("still being written")
    old = time.time() - 10
    for f in drop.iterdir():
        os.utime(f, (old, old))
    config = FetcherConfig(http=http_settings(), seen="memory",
                           sources=[SourceConfig(name="drop", kind="directory", path=str(drop))])
    seen, out = MemorySeenSet(), MemoryPublisher()
    await poll_all(config, out, seen)
    await poll_all(config, out, seen)
    assert sorted((a.content_type, a.body[:7]) for a in out.published) == [
        ("text/html", "<html><"), ("text/plain", "A river")]
    assert all(a.source == "drop" and a.url is None for a in out.published)


def test_interval_adapts_within_bounds():
    assert next_interval(300, True, 60, 3600) == 150
    assert next_interval(100, True, 60, 3600) == 60
    assert next_interval(300, False, 60, 3600) == 375
    assert next_interval(3500, False, 60, 3600) == 3600
