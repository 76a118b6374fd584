"""The fetcher's parsers on hostile documents: feeds, sitemaps, URL lists, page bytes, URLs and
config files. Each either returns what it found, in canonical form, or raises its own error
type with a message; none raises anything else or hangs."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import orjson
from fuzzkit import bounded, dates, json_values, nasty_text, newsy_text
from hypothesis import example, given
from hypothesis import strategies as st

from newsdesk.fetcher.body import decode_text
from newsdesk.fetcher.config import ConfigError, load_config, parse_config
from newsdesk.fetcher.pages import page_article
from newsdesk.fetcher.sources.feeds import MAX_SUMMARY, FeedError, parse_feed
from newsdesk.fetcher.sources.sitemaps import parse_sitemap
from newsdesk.fetcher.sources.urllist import parse_url_list
from newsdesk.fetcher.urls import article_id, canonical_url
from newsdesk.records import RawArticle

BASE = "https://news.example.org/feed.xml"

urls = st.one_of(
    st.sampled_from(["https://e.org/a?utm_source=x&b=1#frag", "/relative/path", "HTTP://E.ORG:80/x", "//cdn.e.org/y",
                     "https://e.org/a b", "https://[::1]:8443/v6", "https://xn--bcher-kva.example/", "mailto:x@e.org",
                     "javascript:alert(1)", "https://e.org:99999/", "https://e.org/%zz", "https://bücher.de/ä?ö=ü",
                     "https://e.org/?q=%00", "https://", "http://user:pw@e.org/", "https://e.org/a\u3000b"]),
    nasty_text,
)


def xml_text(value: str, raw: bool) -> str:
    """Element text, escaped as a careful producer would, or pasted raw as many do."""
    return value if raw else escape(value)


_item_children = st.lists(st.tuples(
    st.sampled_from(["title", "link", "guid", "pubDate", "published", "updated", "dc:date", "description", "summary",
                     "author", "dc:creator", "content:encoded", "category"]),
    st.one_of(urls, newsy_text, dates.map(str)),
    st.booleans(),
), max_size=6)


def rss(items: list[list[tuple[str, str, bool]]], root: str) -> bytes:
    body = "".join("<item>" + "".join(f"<{t}>{xml_text(v, raw)}</{t}>" for t, v, raw in item) + "</item>"
                   for item in items)
    ns = ('xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
          'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"')
    if root == "feed":  # Atom: entries, links as attributes
        body = body.replace("<item>", "<entry>").replace("</item>", "</entry>")
        return f'<feed xmlns="http://www.w3.org/2005/Atom" {ns}>{body}</feed>'.encode()
    return f'<?xml version="1.0"?><rss version="2.0" {ns}><channel>{body}</channel></rss>'.encode()


xml_feeds = st.builds(rss, st.lists(_item_children, max_size=5), st.sampled_from(["rss", "feed"]))
json_feeds = st.builds(
    lambda items: orjson.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}),
    st.lists(st.one_of(json_values, st.fixed_dictionaries(
        {"url": st.one_of(urls, json_values)},
        optional={"title": json_values | newsy_text, "date_published": json_values | dates,
                  "summary": json_values | newsy_text, "authors": json_values,
                  "author": json_values, "external_url": urls})), max_size=5),
)
feed_documents = st.one_of(
    xml_feeds,
    json_feeds,
    st.binary(max_size=200),
    json_values.map(orjson.dumps),
    # Cut anywhere, as a dropped connection leaves it.
    st.tuples(xml_feeds, st.floats(min_value=0, max_value=1)).map(lambda t: t[0][: int(len(t[0]) * t[1])]),
)


def canonical(url: str) -> None:
    assert url.startswith(("http://", "https://")), url
    assert canonical_url(url) == url, f"not canonical: {url!r} -> {canonical_url(url)!r}"


@given(feed_documents)
@example(b"<rss><channel><item><title>&bogus;</title><link>https://e.org/x</link></item></channel></rss>")
@example(b"\xef\xbb\xbf<rss><channel><item><link>https://e.org/\x00</link></item></channel></rss>")
@example(b'{"items": [{"url": "https://e.org/a", "authors": true}]}')  # found here: crashed the poll
def test_feeds_give_canonical_entries_or_a_feed_error(data: bytes) -> None:
    try:
        with bounded(10, f"parse_feed on {len(data)} bytes"):
            entries, problem = parse_feed(data, BASE)
    except FeedError as exc:
        assert str(exc)
        return
    assert problem is None or problem.strip()
    for url, item, fingerprint in entries:
        canonical(url)
        assert fingerprint
        assert item.summary is None or len(item.summary) <= MAX_SUMMARY


sitemaps = st.one_of(
    st.builds(lambda kind, locs: (f'<?xml version="1.0"?><{kind} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                  + "".join(f"<url><loc>{xml_text(u, raw)}</loc><lastmod>{escape(d)}</lastmod></url>"
                                            for u, raw, d in locs) + f"</{kind}>").encode(),
              st.sampled_from(["urlset", "sitemapindex", "html"]),
              st.lists(st.tuples(urls, st.booleans(), dates.map(str)), max_size=5)),
    st.binary(max_size=200),
)


@given(sitemaps)
def test_sitemaps_give_entries_or_a_feed_error(data: bytes) -> None:
    try:
        with bounded(10, "parse_sitemap"):
            kind, entries = parse_sitemap(data)
    except FeedError as exc:
        assert str(exc)
        return
    assert kind in ("urlset", "sitemapindex")
    assert all(e.loc for e in entries)


@given(st.lists(st.one_of(urls, st.just("# a comment"), st.just("")), max_size=8).map("\n".join))
def test_url_lists_give_unique_canonical_urls(text: str) -> None:
    found = parse_url_list(text)
    assert len(found) == len(set(found))
    for url in found:
        canonical(url)


@given(urls, st.one_of(st.none(), urls))
@example("https://e.org/a b", None)
@example("https://e.org/?a=%20&b=+", None)
def test_canonical_urls_are_stable(url: str, base: str | None) -> None:
    """Canonical once is canonical for good: the seen-set key and the article id of a page must
    not change when its canonical URL is fed back in (rel=canonical, feeds linking it)."""
    first = canonical_url(url, base)
    if first is not None:
        canonical(first)


@given(st.binary(max_size=300), st.one_of(st.none(), st.sampled_from(
    ["text/html; charset=utf-8", "text/html; charset=bogus", "text/plain; charset=latin-1", "text/html;charset=",
     "application/xhtml+xml; charset=utf-16", "text/html; charset=\"shift_jis\""]), nasty_text))
def test_any_page_bytes_become_a_valid_raw_article(data: bytes, content_type: str | None) -> None:
    text, charset = decode_text(data, content_type)
    assert isinstance(text, str) and charset
    with bounded(10, "page_article"):
        article, fingerprint = page_article(data=data, declared_type=content_type, requested_url="https://e.org/a",
                                            final_url="https://e.org/a?utm_source=x", status=200, source="s",
                                            outlet=None, language=None, feed=None)
    RawArticle.model_validate(article.model_dump())
    assert article.url is not None
    canonical(article.url)
    assert article.id == article_id(article.url) and fingerprint


@given(json_values)
def test_config_data_is_accepted_or_refused_with_a_config_error(data: object) -> None:
    try:
        parse_config(data, "fuzz.toml")
    except ConfigError as exc:
        assert str(exc).startswith("fuzz.toml")


@given(st.one_of(st.binary(max_size=200), nasty_text.map(str.encode)), st.sampled_from([".toml", ".yaml"]))
def test_config_files_of_any_bytes_give_a_config_error_not_a_traceback(tmp_path_factory, data: bytes,
                                                                        suffix: str) -> None:
    path: Path = tmp_path_factory.mktemp("cfg") / f"sources{suffix}"
    path.write_bytes(data)
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(path) in str(exc)
