"""The demo corpus agrees with its manifest, and serve() serves it on loopback."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsdesk.demo import Manifest, corpus_dir, load_manifest, serve

# Where each invented outlet's template keeps the article paragraphs.
BODY_PARAGRAPHS = ".article-body > p, .story-body > p, .cr-body > p"


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    return load_manifest()


def _html(file: str) -> str:
    return (corpus_dir() / file).read_text(encoding="utf-8")


def _body_text(file: str) -> str:
    return "\n".join(p.text() for p in HTMLParser(_html(file)).css(BODY_PARAGRAPHS))


def test_every_html_file_is_listed_once(manifest: Manifest) -> None:
    on_disk = sorted(p.name for p in corpus_dir().glob("*.html"))
    listed = [p.file for p in manifest.pages]
    assert sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)
    paths = [p.url_path for p in manifest.pages]
    assert len(set(paths)) == len(paths)
    assert all(p.startswith("/") and p.endswith(".html") for p in paths)
    assert 10 <= len(on_disk) <= 12


def test_every_event_has_an_original_article_and_every_page_a_known_event(manifest: Manifest) -> None:
    assert {p.event for p in manifest.pages} == set(manifest.events)
    for label in manifest.events:
        originals = [p for p in manifest.pages_for(label) if p.duplicate_of is None]
        assert originals, label


def test_dates_parse_and_are_timezone_aware(manifest: Manifest) -> None:
    for page in manifest.pages:
        assert page.published.tzinfo is not None, page.file
        # A page is published on the event day or within two days after it.
        event_day = manifest.events[page.event].date
        assert dt.timedelta(0) <= page.published.date() - event_day <= dt.timedelta(days=2), page.file
    for facts in manifest.events.values():
        assert isinstance(facts.date, dt.date)


def test_pages_look_like_real_news_pages(manifest: Manifest) -> None:
    for page in manifest.pages:
        raw = (corpus_dir() / page.file).read_bytes()
        assert 3_000 <= len(raw) <= 15_000, page.file
        html = raw.decode("utf-8")
        tree = HTMLParser(html)
        assert tree.css_first("head > title") is not None, page.file
        assert tree.css_first('meta[property="og:title"]') is not None, page.file
        # The published date is in the metadata (meta tag or JSON-LD).
        assert page.published_at in html, page.file
        for junk in ("Skip to main content", "Advertisement", "300x250 Ad", "(Photo: ", "©"):
            assert junk in tree.body.text(), (page.file, junk)
        assert "Recommended Videos" in html or "Read more: " in html, page.file
        assert 5 <= len(tree.css(BODY_PARAGRAPHS)) <= 12, page.file


def test_expected_quotes_occur_in_enough_articles(manifest: Manifest) -> None:
    for label, facts in manifest.events.items():
        originals = [p for p in manifest.pages_for(label) if p.duplicate_of is None]
        for quote in facts.quotes:
            hits = [p.file for p in originals if quote.contains in _body_text(p.file)]
            assert len(hits) >= quote.min_articles >= 1, (label, quote.contains)


def test_who_and_where_are_named_in_every_article(manifest: Manifest) -> None:
    for label, facts in manifest.events.items():
        for page in manifest.pages_for(label):
            text = _body_text(page.file)
            for name in (*facts.who, *facts.where):
                spellings = (name, *facts.aliases.get(name, ()))
                surname = name.split()[-1]
                assert any(s in text for s in spellings) or surname in text, (page.file, name)


def test_corpus_holds_a_spelling_variant_a_syndicated_copy_and_a_near_miss(manifest: Manifest) -> None:
    vienna = manifest.events["meeting-vienna"]
    variant = vienna.aliases["Yerlan Sadykov"][0]
    texts = {p.file: _body_text(p.file) for p in manifest.pages_for("meeting-vienna")}
    assert any(variant in t for t in texts.values())
    assert any("Yerlan Sadykov" in t for t in texts.values())

    copies = [p for p in manifest.pages if p.duplicate_of]
    assert copies
    for copy in copies:
        source = next(p for p in manifest.pages if p.file == copy.duplicate_of)
        assert source.event == copy.event and source.outlet != copy.outlet

    # Same people, different place and day: must not merge with the Vienna meeting.
    astana = manifest.events["meeting-astana"]
    assert set(astana.who) == set(vienna.who)
    assert astana.where != vienna.where and astana.when != vienna.when


def test_serve_serves_pages_url_list_and_feed(manifest: Manifest) -> None:
    page = manifest.pages[0]
    with serve() as base, httpx.Client(timeout=5) as client:
        assert base.startswith("http://127.0.0.1:")
        got = client.get(base + page.url_path)
        assert got.status_code == 200
        assert got.headers["content-type"] == "text/html; charset=utf-8"
        assert got.content == (corpus_dir() / page.file).read_bytes()

        urls = client.get(base + "/urls.txt").text.splitlines()
        assert urls == [base + p.url_path for p in manifest.pages]

        feed = ET.fromstring(client.get(base + "/feed.xml").content)
        links = [item.findtext("link") for item in feed.iter("item")]
        assert sorted(links) == sorted(urls)
        assert all(item.findtext("pubDate") for item in feed.iter("item"))

        assert client.get(base + "/no-such-page.html").status_code == 404
        assert client.head(base + page.url_path).status_code == 200
    with pytest.raises(httpx.TransportError):
        httpx.get(base + "/urls.txt", timeout=2)


def test_serve_refuses_non_loopback_hosts() -> None:
    with pytest.raises(ValueError), serve(host="0.0.0.0"):
        pass
