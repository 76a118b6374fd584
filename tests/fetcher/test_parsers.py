import gzip
import zlib

import pytest

from newsdesk.fetcher.body import Inflater, decode_text
from newsdesk.fetcher.errors import FetchError
from newsdesk.fetcher.sources.feeds import FeedError, parse_feed
from newsdesk.fetcher.sources.sitemaps import parse_sitemap

BASE = "https://news.example.org/feed"


def test_rss2_items_carry_title_date_and_author():
    data = b"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <channel><item><title>Harbour reopens</title><link>/local/harbour?utm_source=rss</link>
    <pubDate>Tue, 03 Mar 2026 07:15:00 +0100</pubDate><dc:creator>A. Writer</dc:creator>
    <description>Ships return.</description></item></channel></rss>"""
    entries, problem = parse_feed(data, BASE)
    url, item, _ = entries[0]
    assert problem is None
    assert url == "https://news.example.org/local/harbour"
    assert item.title == "Harbour reopens" and item.author == "A. Writer"
    assert item.published_at == "2026-03-03T07:15:00+01:00"


def test_rss1_rdf_and_atom_and_json_feed():
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"><item rdf:about="https://e.org/1"><title>One</title>
    <link>https://e.org/1</link><dc:date>2026-01-02T03:04:05Z</dc:date></item></rdf:RDF>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Two</title>
    <link rel="self" href="https://e.org/self"/><link href="https://e.org/2"/>
    <published>2026-01-02</published><author><name>B</name></author></entry></feed>"""
    jf = (b'{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"3","url":"https://e.org/3",'
          b'"title":"Three","date_published":"2026-01-03T00:00:00Z","authors":[{"name":"C"}]}]}')
    assert [(u, i.title) for u, i, _ in parse_feed(rdf, BASE)[0]] == [("https://e.org/1", "One")]
    [(url, item, _)] = parse_feed(atom, BASE)[0]
    assert (url, item.author, item.published_at) == ("https://e.org/2", "B", "2026-01-02")
    [(url, item, _)] = parse_feed(jf, BASE)[0]
    assert (url, item.title, item.author) == ("https://e.org/3", "Three", "C")


def test_truncated_feed_keeps_the_items_before_the_break_and_says_so():
    data = (b"<rss version='2.0'><channel><item><title>A</title><link>https://e.org/a</link></item>"
            b"<item><title>B</title><link>https://e.org/b</link></item><item><title>C</ti")
    entries, problem = parse_feed(data, BASE)
    assert [u for u, _, _ in entries][:2] == ["https://e.org/a", "https://e.org/b"]
    assert problem and "malformed" in problem


def test_garbage_and_entity_bombs_raise_feed_error_without_expanding():
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>Service unavailable</body></html>", BASE)
    with pytest.raises(FeedError):
        parse_feed(b'{"not": "a feed"}', BASE)
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><item><title>&c;</title>'
            b"<link>https://e.org/x</link></item></channel></rss>")
    entries, _ = parse_feed(bomb, BASE)
    assert len(entries[0][1].title or "") < 100  # entities left unexpanded


def test_news_sitemap_and_index():
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://e.org/a</loc>
    <news:news><news:publication_date>2026-02-01T10:00:00Z</news:publication_date>
    <news:title>Budget passes</news:title></news:news></url><url><loc>https://e.org/b</loc>
    <lastmod>2026-01-01</lastmod></url></urlset>"""
    kind, entries = parse_sitemap(urlset)
    assert kind == "urlset"
    assert (entries[0].loc, entries[0].title, entries[0].published_at) == (
        "https://e.org/a", "Budget passes", "2026-02-01T10:00:00Z")
    assert entries[1].lastmod == "2026-01-01"
    kind, children = parse_sitemap(b"<sitemapindex><sitemap><loc>https://e.org/s1.xml</loc></sitemap></sitemapindex>")
    assert kind == "sitemapindex" and children[0].loc == "https://e.org/s1.xml"
    with pytest.raises(FeedError):
        parse_sitemap(b"<urlset><url><loc>https://e.org/a</loc></url")


def test_declared_utf8_that_is_really_cp1251_is_guessed():
    pytest.importorskip("charset_normalizer")
    text = "Привет, мир — новости"
    # declared UTF-8, really windows-1251
    decoded, charset = decode_text(text.encode("cp1251"), "text/html; charset=utf-8")
    assert decoded == text and charset != "utf-8"


def test_charset_lies_are_caught():
    # declared ISO-8859-1, really UTF-8
    decoded, charset = decode_text("Café déjà vu".encode(), "text/html; charset=iso-8859-1")
    assert decoded == "Café déjà vu" and charset == "utf-8"
    # meta tag claim honoured when the bytes fit it
    page = "<meta charset='windows-1252'><p>naïve</p>".encode("cp1252")
    assert "naïve" in decode_text(page, "text/html")[0]


def test_inflater_stops_a_gzip_bomb_at_the_cap():
    bomb = gzip.compress(b"\0" * 20_000_000)
    inflater = Inflater("gzip", max_bytes=1_000_000)
    with pytest.raises(FetchError) as info:
        for i in range(0, len(bomb), 4096):
            inflater.feed(bomb[i:i + 4096])
        inflater.finish()
    assert info.value.kind == "decompression_bomb"
    assert inflater.size <= 1_000_001
    ok = Inflater("deflate", 100)
    ok.feed(zlib.compress(b"hello"))
    assert ok.finish() == b"hello"
