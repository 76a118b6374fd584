"""The cleaner on hostile markup and text: it returns a valid article in bounded time, and what
it returns is text a person can read and any database can store."""

from __future__ import annotations

import re

from fuzzkit import SCRIPT_MARK, bounded, dates, html_pages, nasty_text, news_body, newsy_text
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from newsdesk.cleaner import clean
from newsdesk.records import CleanArticle, FeedItem, RawArticle

# C0 controls other than newline and tab, DEL, and non-characters: PostgreSQL refuses NUL in
# text and JSON, and none of them is ever part of an article.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")

raw_metadata = st.fixed_dictionaries(
    {},
    optional={"title": st.one_of(st.none(), newsy_text), "published_at": dates,
              "url": st.one_of(st.none(), nasty_text), "outlet": st.one_of(st.none(), nasty_text),
              "source": st.one_of(st.none(), nasty_text), "language": st.one_of(st.none(), nasty_text),
              "feed": st.builds(FeedItem, title=st.one_of(st.none(), newsy_text),
                                author=st.one_of(st.none(), nasty_text), published_at=dates)},
)


def mark_only_in_code(page: str) -> bool:
    """True when the parser sees SCRIPT_MARK only inside script and style elements. Generated
    pages can turn a script tag into text by spec (`<?<script>` opens a bogus comment), and
    hypothesis also feeds the mark itself to text strategies: such pages say nothing here."""
    root = LexborHTMLParser(page).root
    if root is None:
        return True
    return all(node.parent is not None and node.parent.tag in ("script", "style")
               for node in root.traverse(include_text=True)
               if node.tag == "-text" and SCRIPT_MARK in (node.text_content or ""))


def cleaned(body: str, content_type: str, meta: dict) -> CleanArticle:
    raw = RawArticle(id="a1", body=body, content_type=content_type, **meta)
    with bounded(20, f"clean() on {len(body):,} characters of {content_type}"):
        article = clean(raw)
    CleanArticle.model_validate(article.model_dump())  # a valid record, whatever came in
    return article


def readable(article: CleanArticle) -> None:
    for line in article.text.split("\n") if article.text else []:
        assert line.strip() == line and line, f"blank or padded line {line!r}"
    fields = ("text", "title", "dateline", "url", "canonical_url", "source", "outlet", "language", "published_at")
    for name, value in [*((f, getattr(article, f)) for f in fields), *(("author", a) for a in article.authors)]:
        if value is not None:
            assert not _CONTROL.search(value), f"control character in {name}: {value!r}"


@given(html_pages, raw_metadata)
# Found by this test: a script inside the headline became part of the title, and a feed's
# control characters went through to the title (a NUL there stops a PostgreSQL sink).
@example(f"<h1>Harbour reopens<script>var {SCRIPT_MARK} = 1;</script></h1><p>Ships are back.</p>", {})
@example("<p>The harbour reopened.</p>", {"title": "Harbour\x00 reopens", "feed": FeedItem(author="\x08")})
def test_html_comes_out_as_readable_text_without_scripts(page: str, meta: dict) -> None:
    assume(mark_only_in_code(page))
    article = cleaned(page, "text/html", meta)
    readable(article)
    assert SCRIPT_MARK not in article.text  # script and style contents are never article text
    assert SCRIPT_MARK not in (article.title or "")


@given(st.one_of(news_body, nasty_text, html_pages), raw_metadata)
def test_plain_text_and_mislabelled_pages_come_out_readable(body: str, meta: dict) -> None:
    readable(cleaned(body, "text/plain", meta))


@settings(max_examples=4)  # each takes about a second
@given(st.integers(min_value=200_000, max_value=1_500_000), st.sampled_from(["text/html", "text/plain"]))
def test_big_inputs_stay_bounded(size: int, content_type: str) -> None:
    unit = "<p>The council met on Monday and agreed the budget.</p>\n"
    body = (unit * (size // len(unit) + 1))[:size]
    article = cleaned(body, content_type, {})
    assert article.text
