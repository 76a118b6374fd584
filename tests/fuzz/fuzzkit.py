"""What the fuzz tests share: one hypothesis profile, a hang guard, and input strategies.

The strategies aim at the inputs a news pipeline really meets when things go wrong: arbitrary
bytes, JSON of any shape, records whose fields are the right type but hold hostile text
(control characters, NUL, huge or empty strings, mixed scripts), and markup that is nested,
unclosed or full of script. Examples stay small so the whole suite runs in about a minute.
"""

from __future__ import annotations

import contextlib
import os
import signal
import string
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches in ./.hypothesis; they belong beside the other caches, not in the checkout.
set_hypothesis_home_dir(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsdesk" / "hypothesis")

IN_CI = os.environ.get("CI", "").lower() == "true"

# No example database (it would write .hypothesis/ into the checkout) and, in CI, the same
# examples on every run so a red build can be reproduced; locally every run explores anew.
# No deadline: on a shared 2-core machine timing is noise; `bounded` catches real hangs.
# NEWSDESK_FUZZ_EXAMPLES=2000 explores deeper by hand; the suite's default keeps it to a minute.
EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "60"))
settings.register_profile(
    "newsdesk-fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=IN_CI,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)
settings.load_profile("newsdesk-fuzz")


class Hang(AssertionError):
    """A call on fuzzed input ran past its time bound."""


@contextlib.contextmanager
def bounded(seconds: float, what: str) -> Iterator[None]:
    """Fails the example if the block runs longer than `seconds` (main thread only: SIGALRM)."""

    def expired(signum: int, frame: Any) -> None:
        raise Hang(f"{what} still running after {seconds:.0f}s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- text ---------------------------------------------------------------------------------

#: Characters that break naive code: NUL and other controls, separators, bidi marks, BOM,
#: replacement and non-characters, combining marks, astral symbols, quotes of every script.
NASTY_CHARS = (
    "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\xa0\u00ad\u200b\u200d\u200e\u202e\u2028\u2029\u2060"
    "\ufeff\ufffd\ufffe\uffff\u0301\U0001f4f0\U0001d400\u201c\u201d\u00ab\u00bb\u300c\u300d"
    "\"'<>&;:/\\%#?=@\t\r"
)

nasty_text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(NASTY_CHARS), max_size=60)

_WORDS = ["said", "the", "Minister", "Council", "Monday", "in", "Paris", "of", "and", "on", "President",
          "Reuters", "AP", "police", "talks", "2024", "March", "\u201cWe", "will", "act\u201d", "Ms", "Dr.",
          "O'Neill", "al-Assad", "Zürich", "Łódź", "Москва", "北京", "مصر", "—", "...", "(AP)", "—", "U.S."]

#: Text that looks enough like news to drive the extractor and deduper past their early exits.
newsy_text = st.lists(st.sampled_from(_WORDS) | nasty_text, min_size=0, max_size=40).map(" ".join)

#: Paragraph-ish bodies: several lines of newsy text, with the odd quote.
news_body = st.lists(
    st.one_of(newsy_text, newsy_text.map(lambda s: f"\u201c{s},\u201d said Ana Lopes."),
              newsy_text.map(lambda s: f'"{s}" he said.')),
    max_size=8,
).map("\n".join)

dates = st.one_of(
    st.none(), nasty_text,
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-02-30", "0000-00-00", "9999-12-31T23:59:59+14:00", "Tue, 03 Mar 2026 07:15:00 +0100",
                     "yesterday", "2024-13-01", "-2024-01-01", "2024-01-01T25:00:00Z", "１２３４-01-01"]),
)

ids = st.text(min_size=1, max_size=80)

#: Past PostgreSQL's limit for one btree index entry (about 2,700 bytes): an indexed column
#: (ids, URLs, place names) holding one is refused by the database whatever else is right.
long_text = st.integers(min_value=2800, max_value=4000).map(lambda n: ("Long name " * (n // 10 + 1))[:n])


def long_or(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(strategy, strategy, strategy, long_text)

# --- JSON ---------------------------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**64 - 1),
                         st.floats(allow_nan=False, allow_infinity=False), nasty_text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=12,
)


def anything_for(field_strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A field's plausible value most of the time, any JSON value sometimes."""
    return st.one_of(field_strategy, field_strategy, field_strategy, json_values)


# --- HTML ---------------------------------------------------------------------------------

_TAGS = ["p", "div", "span", "article", "main", "section", "h1", "h2", "a", "b", "i", "em", "br", "li", "ul",
         "table", "tr", "td", "figure", "figcaption", "header", "footer", "nav", "aside", "blockquote", "pre",
         "time", "img", "iframe", "svg", "noscript", "form", "button", "template", "font", "center", "x-y"]
_ATTRS = ["class", "id", "itemprop", "property", "content", "name", "href", "src", "datetime", "rel", "role",
          "style", "hidden", "aria-hidden", "data-x", "onload"]
_attr_values = st.one_of(st.sampled_from(["article-body", "byline", "ad", "share", "caption", "og:title",
                                          "article:published_time", "canonical", "author", "2024-03-05",
                                          "javascript:alert(1)", "https://e.org/a?b=1&c=2"]), nasty_text)

#: Marks text that sits inside <script>/<style>: it must never reach a clean article.
SCRIPT_MARK = "zqxjscriptmarkzqxj"


def _element(children: list[str], tag: str, attrs: list[tuple[str, str]], close: bool) -> str:
    attr_text = "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs)
    return f"<{tag}{attr_text}>" + "".join(children) + (f"</{tag}>" if close else "")


_html_leaf = st.one_of(
    newsy_text,
    nasty_text,
    st.sampled_from(["&amp;", "&nbsp;", "&#0;", "&#x110000;", "&bogus;", "&#65", "<!-- c -->", "<!--", "<![CDATA[x]]>",
                     "</p>", "<", ">", "<br/>", "<p", "<?php ?>", "<!DOCTYPE html>", "</html>", "<body>"]),
    st.just(f"<script>var {SCRIPT_MARK} = '</p>';</script>"),
    st.just(f"<style>.{SCRIPT_MARK} {{ color: red }}</style>"),
)

html_fragments = st.recursive(
    _html_leaf,
    lambda inner: st.builds(_element, st.lists(inner, max_size=5), st.sampled_from(_TAGS),
                            st.lists(st.tuples(st.sampled_from(_ATTRS), _attr_values), max_size=3), st.booleans()),
    max_leaves=25,
)


def _page(head: list[str], body: str) -> str:
    return f"<!DOCTYPE html><html><head>{''.join(head)}</head><body>{body}</body></html>"


_head_items = st.one_of(
    st.builds(lambda t: f"<title>{t}</title>", newsy_text),
    st.builds(lambda k, v: f'<meta property="{k}" content="{v}">',
              st.sampled_from(["og:title", "og:url", "article:published_time", "author", "og:site_name"]),
              st.one_of(newsy_text, dates.map(str))),
    st.builds(lambda u: f'<link rel="canonical" href="{u}">', nasty_text),
    st.builds(lambda s: f'<script type="application/ld+json">{s}</script>', json_values.map(repr)),
)

html_pages = st.one_of(
    html_fragments,
    st.builds(_page, st.lists(_head_items, max_size=4), html_fragments),
    # Deep nesting: the parsers and the block walk must not recurse once per level.
    st.integers(min_value=100, max_value=3000).map(lambda n: "<div>" * n + "deep text" + "</div>" * (n // 2)),
)

# --- records ------------------------------------------------------------------------------

raw_article_fields = st.fixed_dictionaries(
    {"id": ids, "body": st.one_of(news_body, html_pages, nasty_text)},
    optional={
        "url": st.one_of(st.none(), nasty_text, st.just("https://example.org/news/1")),
        "source": st.one_of(st.none(), nasty_text),
        "outlet": st.one_of(st.none(), nasty_text),
        "title": st.one_of(st.none(), newsy_text),
        "published_at": dates,
        "language": st.one_of(st.none(), st.sampled_from(["en", "de", "fr", "xx", "", "EN-us"]), nasty_text),
        "content_type": st.sampled_from(["text/plain", "text/html"]),
        "is_update": st.booleans(),
        "feed": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"title": newsy_text, "summary": newsy_text,
                                                                         "published_at": dates})),
    },
)

clean_article_fields = st.fixed_dictionaries(
    {"id": ids, "text": news_body},
    optional={
        "title": st.one_of(st.none(), newsy_text),
        "published_at": dates,
        "dateline": st.one_of(st.none(), newsy_text),
        "url": st.one_of(st.none(), nasty_text),
        "source": st.one_of(st.none(), nasty_text),
        "language": st.one_of(st.none(), st.sampled_from(["en", "de"])),
        "authors": st.lists(newsy_text, max_size=3),
        "agencies": st.lists(st.sampled_from(["AP", "Reuters", "AFP", ""]) | nasty_text, max_size=3),
    },
)

_entity = st.fixed_dictionaries({"name": newsy_text, "type": st.sampled_from(["person", "organization", "place"])},
                                optional={"role": st.one_of(st.none(), newsy_text),
                                          "country": st.one_of(st.none(), newsy_text),
                                          "aliases": st.lists(newsy_text, max_size=3),
                                          "mentions": st.integers(min_value=-5, max_value=10**6)})
_quote = st.fixed_dictionaries({"text": newsy_text}, optional={"speaker": st.one_of(st.none(), newsy_text)})
_article_event = st.fixed_dictionaries(
    {},
    optional={"type": st.sampled_from(["meeting", "statement", "protest", "other", "disaster"]),
              "what": newsy_text,
              "who": st.lists(st.fixed_dictionaries({"name": newsy_text}), max_size=3),
              "where": st.lists(st.fixed_dictionaries({"name": newsy_text}), max_size=2),
              "when": dates,
              "quotes": st.lists(_quote, max_size=2)},
)

extracted_article_fields = st.builds(
    lambda base, entities, quotes, events: {**base, "entities": entities, "quotes": quotes, "events": events},
    clean_article_fields, st.lists(_entity, max_size=5), st.lists(_quote, max_size=3),
    st.lists(_article_event, max_size=2),
)

_stamps = st.one_of(st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()), dates.filter(bool))

event_fields = st.fixed_dictionaries(
    {"event_id": long_or(ids), "version": st.integers(min_value=1, max_value=2**31 - 1),
     "first_seen": _stamps, "updated_at": _stamps},
    optional={
        "title": st.one_of(st.none(), newsy_text),
        "summary": st.one_of(st.none(), newsy_text),
        "type": st.sampled_from(["meeting", "statement", "protest", "other"]),
        # The deduper writes ISO dates here, but the schema only says "string": a producer can put anything.
        "when": dates,
        "who": st.lists(st.fixed_dictionaries({"name": newsy_text},
                                              optional={"role": st.one_of(st.none(), newsy_text)}), max_size=3),
        "where": st.lists(st.fixed_dictionaries({"name": long_or(newsy_text)}), max_size=2),
        "quotes": st.lists(_quote, max_size=3),
        "sources": st.lists(st.fixed_dictionaries({"name": newsy_text, "articles": st.lists(ids, max_size=2)}),
                            max_size=2),
        "articles": st.lists(st.fixed_dictionaries(
            {"id": long_or(ids)},
            optional={"url": st.one_of(st.none(), long_or(nasty_text)), "title": st.one_of(st.none(), newsy_text),
                                   "source": st.one_of(st.none(), nasty_text), "published_at": dates}),
            max_size=4),
    },
)

printable_ascii = st.text(alphabet=string.printable, max_size=40)
