"""HTML pages: the article container is found, the page chrome is not, and metadata is read."""

from __future__ import annotations

import json

from newsdesk.cleaner import clean

PARAGRAPHS = [
    "Dock workers in Rotterdam ended a three-week strike on Tuesday after unions and employers agreed on a "
    "pay rise of 6 percent over two years, the port authority said in a statement.",
    '"This is a fair deal for everyone who keeps this port running," union spokeswoman Ana Lima said '
    "outside the main terminal, where hundreds of workers had gathered since dawn.",
    "Shipping volumes fell sharply during the stoppage, with dozens of container ships waiting at anchor "
    "in the North Sea and some lines diverting cargo to Antwerp and Hamburg.",
    "The agreement still has to be approved by union members in a vote next week, but leaders said they "
    "expected a large majority in favour of the deal.",
]
LD = {
    "@context": "https://schema.org", "@type": "NewsArticle", "headline": "Port workers end strike",
    "datePublished": "2024-03-05T09:30:00+01:00", "dateModified": "2024-03-05T11:00:00+01:00",
    "author": [{"@type": "Person", "name": "Maria Olsen"}], "inLanguage": "en-GB",
}


def page(paragraphs: list[str] = PARAGRAPHS, ld: dict | None = LD) -> str:
    teasers = "".join(
        f'<li class="teaser"><a href="/story/{i}">Another story number {i} about the harbour</a>'
        f"<p>A short summary of story {i} that continues for a while to look like prose.</p></li>"
        for i in range(6)
    )
    menu = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(12))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return f"""<!doctype html><html lang="en-GB"><head><title>Port workers end strike | Harbour Gazette</title>
<meta property="og:title" content="Port workers end strike">
<link rel="canonical" href="https://gazette.example/2024/03/05/port-strike">
<meta property="og:image" content="https://gazette.example/lead.jpg">{script}</head>
<body><header><nav><ul>{menu}</ul></nav></header>
<div class="page"><main><article class="story">
<h1>Port workers end strike</h1>
<div class="byline">By Maria Olsen</div>
<figure><img src="https://gazette.example/dock.jpg"><figcaption>Workers at the gates on Monday.
<span class="credit">Erik Sand/AFP</span></figcaption></figure>
<div class="story-body">{body}<div class="ad-slot">Advertisement</div>
<div class="share-bar"><a href="#">Facebook</a> <a href="#">Twitter</a></div></div>
</article></main>
<aside class="sidebar"><h2>Most read</h2><ul>{teasers}</ul></aside></div>
<div class="related-stories"><ul>{teasers}</ul></div>
<footer><p>© 2024 Harbour Gazette. All rights reserved. Some long footer text about the company and its
history that goes on for quite a while and should never be part of the article body.</p></footer>
<script>var x = "not text";</script></body></html>"""


def test_article_text_is_the_paragraphs_only(raw) -> None:
    article = clean(raw(page(), "text/html"))
    assert article.text.splitlines() == PARAGRAPHS
    assert article.warnings == []


def test_metadata_from_json_ld_and_head(raw) -> None:
    article = clean(raw(page(), "text/html", url="https://gazette.example/x"))
    assert article.title == "Port workers end strike"
    assert article.published_at == "2024-03-05T09:30:00+01:00"
    assert article.modified_at == "2024-03-05T11:00:00+01:00"
    assert article.language == "en"
    assert article.canonical_url == "https://gazette.example/2024/03/05/port-strike"
    assert article.authors == ["Maria Olsen"]


def test_images_are_metadata_not_body(raw) -> None:
    article = clean(raw(page(), "text/html"))
    assert "Workers at the gates" not in article.text
    dock = [i for i in article.images if i.src == "https://gazette.example/dock.jpg"]
    assert dock and dock[0].caption == "Workers at the gates on Monday."
    assert dock[0].credit == "Erik Sand/AFP"
    assert article.images[0].src == "https://gazette.example/lead.jpg"


def test_dates_from_meta_tags_and_url_when_no_json_ld(raw) -> None:
    html = page(ld=None).replace(
        "<head>", '<head><meta property="article:published_time" content="2024-03-04T18:00:00Z">')
    assert clean(raw(html, "text/html")).published_at == "2024-03-04T18:00:00+00:00"
    bare = page(ld=None)
    article = clean(raw(bare, "text/html", url="https://gazette.example/news/2024/03/02/strike.html"))
    assert article.published_at == "2024-03-02"


def test_time_element_date(raw) -> None:
    html = page(ld=None).replace("<h1>", '<time datetime="2024-02-28">28 Feb</time><h1>')
    assert clean(raw(html, "text/html")).published_at == "2024-02-28"


def test_html_labelled_as_text_is_still_parsed(raw) -> None:
    article = clean(raw(page(), "text/plain"))
    assert article.text.splitlines() == PARAGRAPHS


def test_article_split_over_sections_is_kept_whole(raw) -> None:
    split = f'</div><div class="ad-slot">Advertisement</div><div class="story-body"><p>{PARAGRAPHS[2]}</p>'
    html = page().replace(f"<p>{PARAGRAPHS[2]}</p>", split)
    assert clean(raw(html, "text/html")).text.splitlines() == PARAGRAPHS


def test_removals_inside_the_article_have_reasons(raw) -> None:
    article = clean(raw(page(), "text/html"))
    removed = {r.text: r.reason for r in article.removed}
    assert removed["Advertisement"] == "ad"
    assert removed["Facebook Twitter"] == "share"
