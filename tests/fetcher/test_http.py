"""The HTTP client against a local server: one behaviour per test."""

import gzip
import time

import pytest
from fetcher_testkit import LocalServer, Reply, http_settings

from newsdesk.fetcher.body import PAGE_TYPES
from newsdesk.fetcher.client import HttpClient
from newsdesk.fetcher.config import SourceConfig
from newsdesk.fetcher.errors import FetchError
from newsdesk.fetcher.sources.base import PollContext

HTML = {"Content-Type": "text/html; charset=utf-8"}


async def test_conditional_get_turns_an_unchanged_feed_into_a_304(server: LocalServer):
    def feed(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return Reply(200, b"<rss/>", {"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 08:00:00 GMT",
                                      "Content-Type": "application/rss+xml"})

    server.routes["/feed"] = feed
    cfg = SourceConfig(name="s", kind="rss", url=server.url("/feed"), allow_private=True)
    async with HttpClient(http_settings()) as http:
        ctx = PollContext(http, cfg)
        assert (await ctx.get_if_changed(server.url("/feed"), None)) is not None
        assert (await ctx.get_if_changed(server.url("/feed"), None)) is None
        assert http.metrics.counts["not_modified"] == 1
    second = server.requests[1][1]
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == "Mon, 23 Nov 2026 08:00:00 GMT"


async def test_429_with_retry_after_is_waited_out(server: LocalServer):
    calls = []

    def limited(headers: dict[str, str]) -> Reply:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Reply(429, b"slow down", {"Retry-After": "1"})
        return Reply(200, b"<p>ok</p>", HTML)

    server.routes["/p"] = limited
    async with HttpClient(http_settings()) as http:
        resp = await http.get(server.url("/p"), accept=PAGE_TYPES)
    assert resp.status == 200
    assert calls[1] - calls[0] >= 0.95  # the server's 1 s, not our 10 ms backoff


async def test_retry_after_beyond_the_limit_gives_up_at_once(server: LocalServer):
    server.routes["/p"] = Reply(503, b"", {"Retry-After": "3600"})
    async with HttpClient(http_settings(max_retry_after=5)) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/p"))
    assert info.value.kind == "retry_after" and server.hits("/p") == 1


async def test_5xx_is_retried_with_backoff_then_reported(server: LocalServer):
    server.routes["/p"] = Reply(502, b"bad gateway")
    async with HttpClient(http_settings(retries=2)) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/p"))
    assert info.value.status == 502 and server.hits("/p") == 3


async def test_robots_disallow_is_honoured_and_cached(server: LocalServer):
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n",
                                         {"Content-Type": "text/plain"})
    server.html("/private/a", "A", "secret")
    server.html("/public/b", "B", "open")
    async with HttpClient(http_settings(respect_robots=True)) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/private/a"))
        assert info.value.kind == "robots"
        assert (await http.get(server.url("/public/b"))).status == 200
        started = time.monotonic()
        await http.get(server.url("/public/b"))
        assert time.monotonic() - started >= 0.9  # crawl-delay spaces requests
        assert http.metrics.counts["skipped_robots"] == 1
    assert server.hits("/private/a") == 0 and server.hits("/robots.txt") == 1


async def test_redirect_loop_is_detected(server: LocalServer):
    server.routes["/a"] = Reply(302, b"", {"Location": "/b"})
    server.routes["/b"] = Reply(301, b"", {"Location": server.url("/a")})
    async with HttpClient(http_settings()) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/a"))
    assert info.value.kind == "redirect_loop"


async def test_redirect_chain_longer_than_the_limit_is_refused(server: LocalServer):
    for i in range(5):
        server.routes[f"/r{i}"] = Reply(307, b"", {"Location": f"/r{i + 1}"})
    server.html("/r5", "end", "end")
    async with HttpClient(http_settings(max_redirects=3)) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/r0"))
        assert info.value.kind == "too_many_redirects"
    async with HttpClient(http_settings(max_redirects=5)) as http:
        resp = await http.get(server.url("/r0"))
    assert resp.url == server.url("/r5")


async def test_huge_body_is_cut_off(server: LocalServer):
    server.routes["/big"] = Reply(200, b"x" * 3_000_000, HTML)
    server.routes["/big-chunked"] = lambda h: Reply(200, b"y" * 3_000_000, {**HTML, "Content-Length": "3000000"})
    async with HttpClient(http_settings(max_bytes=1_000_000)) as http:
        for path in ("/big", "/big-chunked"):
            with pytest.raises(FetchError) as info:
                await http.get(server.url(path))
            assert info.value.kind == "too_large"


async def test_gzip_bomb_is_stopped(server: LocalServer):
    bomb = gzip.compress(b"<p>" + b"a" * 50_000_000)
    server.routes["/bomb"] = Reply(200, bomb, {**HTML, "Content-Encoding": "gzip"})
    async with HttpClient(http_settings(max_bytes=2_000_000)) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/bomb"))
    assert info.value.kind == "decompression_bomb"
    assert len(bomb) < 2_000_000  # small on the wire: only the inflated size trips the guard


async def test_gzip_body_is_inflated(server: LocalServer):
    server.routes["/z"] = Reply(200, gzip.compress(b"<p>hello</p>"), {**HTML, "Content-Encoding": "gzip"})
    async with HttpClient(http_settings()) as http:
        assert (await http.get(server.url("/z"))).body == b"<p>hello</p>"


async def test_loopback_is_refused_unless_allowed(server: LocalServer):
    server.html("/a", "A", "a")
    async with HttpClient(http_settings(allow_networks=[])) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/a"))
        assert info.value.kind == "ssrf"
        with pytest.raises(FetchError):
            await http.get("http://169.254.169.254/latest/meta-data/")
        assert (await http.get(server.url("/a"), allow_private=True)).status == 200
    assert server.hits("/a") == 1


async def test_redirect_to_a_private_address_is_refused(server: LocalServer):
    server.routes["/go"] = Reply(302, b"", {"Location": "http://10.0.0.1/admin"})
    async with HttpClient(http_settings()) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/go"))
    assert info.value.kind == "ssrf"


async def test_content_type_outside_the_allow_list_is_refused(server: LocalServer):
    server.routes["/img"] = Reply(200, b"\x89PNG....", {"Content-Type": "image/png"})
    async with HttpClient(http_settings()) as http:
        with pytest.raises(FetchError) as info:
            await http.get(server.url("/img"), accept=PAGE_TYPES)
    assert info.value.kind == "content_type"


async def test_user_agent_from_config_is_sent(server: LocalServer):
    server.html("/a", "A", "a")
    async with HttpClient(http_settings(user_agent="TestBot/2.0 (+mailto:ops@example.org)")) as http:
        await http.get(server.url("/a"))
    assert server.requests[0][1]["user-agent"] == "TestBot/2.0 (+mailto:ops@example.org)"


async def test_cookies_are_not_carried_between_requests(server: LocalServer):
    server.routes["/a"] = Reply(200, b"<p>a</p>", {**HTML, "Set-Cookie": "session=abc; Path=/"})
    server.html("/b", "B", "b")
    async with HttpClient(http_settings()) as http:
        await http.get(server.url("/a"))
        await http.get(server.url("/b"))
    assert "cookie" not in server.requests[1][1]
