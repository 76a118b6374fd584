"""The cleaner's pure core: clean(raw, templates) -> CleanArticle.

HTML goes through main-content extraction (html_blocks, html_content) and page metadata
(html_metadata); plain text is split into lines. Both then go through the same line pass
(sift), so a junk line is judged by the same rules whichever form it came in. Nothing here
raises on odd input: it returns a valid, possibly empty, article with warnings saying why.
"""

from __future__ import annotations

import re

from newsdesk.cleaner.dates import parse_date
from newsdesk.cleaner.language import guess_language, normalise_language
from newsdesk.cleaner.sanitize import (
    MAX_HTML_CHARS,
    MAX_TEXT_CHARS,
    clean_field,
    flatten_deep_markup,
    is_mostly_text,
    looks_like_html,
    scrub,
)
from newsdesk.cleaner.sift import Sifted, sift
from newsdesk.cleaner.templates import OutletTemplates, boilerplate_lines
from newsdesk.records import CleanArticle, Image, RawArticle, Removal

_TAG = re.compile(r"<[^<>]{0,3000}>")

#: An article body shorter than this is reported: probably a paywall, a video page or an index.
SHORT_BODY = 200


def clean(raw: RawArticle, templates: OutletTemplates | None = None) -> CleanArticle:
    """The article's own text, one paragraph per line, with metadata and an audit of what went.

    templates: per-outlet boilerplate learnt from the stream (see templates.learn); lines an
    outlet repeats across many of its articles are removed with reason 'template'.
    """
    raw = _clean_metadata(raw)
    template_lines = boilerplate_lines(templates, raw.outlet) if templates else frozenset()
    body = raw.body or ""
    if looks_like_html(body, raw.content_type):
        text, warnings = scrub(body, MAX_HTML_CHARS)
        try:
            article = _clean_html(raw, text, template_lines)
        except Exception as exc:  # a parser surprise must cost this page its markup, not the stream a record
            article = _clean_text(raw, _strip_tags(text), template_lines)
            article.warnings.append(f"HTML cleaning failed ({type(exc).__name__}: {exc}); cleaned as text")
    else:
        text, warnings = scrub(body, MAX_TEXT_CHARS)
        if text.strip() and not is_mostly_text(text):
            warnings.append("input is mostly non-letter characters")
        article = _clean_text(raw, text, template_lines)
    article.warnings = warnings + article.warnings
    if not article.text:
        article.warnings.append("no article text found" if body.strip() else "input body is empty")
    elif len(article.text) < SHORT_BODY:
        article.warnings.append(f"article text is only {len(article.text)} characters")
    return article


def _clean_metadata(raw: RawArticle) -> RawArticle:
    """The raw record with its metadata strings scrubbed like the body (see sanitize.clean_field)."""
    fields = {name: clean_field(getattr(raw, name)) for name in ("title", "url", "source", "outlet", "final_url")}
    if raw.feed is not None:
        fields["feed"] = raw.feed.model_copy(update={"title": clean_field(raw.feed.title),
                                                     "author": clean_field(raw.feed.author)})
    changed = {name: value for name, value in fields.items() if value != getattr(raw, name)}
    return raw.model_copy(update=changed) if changed else raw


def _strip_tags(html: str) -> str:
    return _TAG.sub("\n", html)


def _clean_text(raw: RawArticle, text: str, template_lines: frozenset[str]) -> CleanArticle:
    lines = [line for line in text.splitlines() if line.strip()]
    feed_authors = [raw.feed.author] if raw.feed is not None and raw.feed.author else []
    sifted = sift(lines, title=raw.title, find_title=raw.title is None, template_lines=template_lines,
                  authors=feed_authors)
    language = normalise_language(raw.language) or guess_language("\n".join(sifted.paragraphs))
    return _assemble(raw, sifted, language=language, canonical_url=raw.url, warnings=[])


def _clean_html(raw: RawArticle, text: str, template_lines: frozenset[str]) -> CleanArticle:
    # Imported here so `newsdesk clean` on plain text does not pay for the HTML parser's import.
    from selectolax.lexbor import LexborHTMLParser

    from newsdesk.cleaner.html_blocks import walk
    from newsdesk.cleaner.html_content import choose
    from newsdesk.cleaner.html_metadata import read_meta

    warnings: list[str] = []
    text, flattened = flatten_deep_markup(text)
    if flattened:
        warnings.append(flattened)
    tree = LexborHTMLParser(text)
    meta = read_meta(tree, raw.final_url or raw.url)
    walked = walk(tree)
    if walked.truncated:
        warnings.append(f"page has more than {walked.nodes - 1:,} nodes; only the first part was read")
    content = choose(walked, meta.article_body)
    title = raw.title or meta.title
    sifted = sift(content.paragraphs, title=title, template_lines=template_lines, removed_hint=content.hints,
                  authors=meta.authors)
    sifted.removed.extend(Removal(text=t, reason="boilerplate") for t in content.outside)
    sifted.published_at = meta.published_at or sifted.published_at
    sifted.modified_at = meta.modified_at or sifted.modified_at
    for author in meta.authors:
        if author not in sifted.authors:
            sifted.authors.append(author)
    # Figures often sit beside the body (between headline and text), so look a little wider.
    scope = content.container
    for _ in range(2):
        if scope > 0:
            scope = walked.parents[scope]
    end = walked.ends[scope] if scope >= 0 else -1
    figures = [f for f in walked.figures if scope <= f.owner <= end and (f.caption or f.credit)]
    sifted.images = [Image(src=f.src, caption=f.caption, credit=f.credit) for f in figures] + sifted.images
    if meta.lead_image and not any(i.src == meta.lead_image for i in sifted.images):
        sifted.images.insert(0, Image(src=meta.lead_image))
    # The text's own evidence beats a page's lang attribute, which is often a site-wide default.
    language = guess_language("\n".join(sifted.paragraphs)) or meta.language or normalise_language(raw.language)
    return _assemble(raw, sifted, language=language,
                     canonical_url=meta.canonical_url or raw.url, warnings=warnings)


def _assemble(raw: RawArticle, sifted: Sifted, *, language: str | None, canonical_url: str | None,
              warnings: list[str]) -> CleanArticle:
    published = sifted.published_at or parse_date(raw.published_at)
    if published is None and raw.feed is not None:
        published = parse_date(raw.feed.published_at)
    if published is None and raw.published_at:
        warnings = [*warnings, f"published_at {raw.published_at[:60]!r} of the raw record is not a readable date"]
    authors = sifted.authors or ([raw.feed.author] if raw.feed is not None and raw.feed.author else [])
    return CleanArticle(
        id=raw.id, url=raw.url, source=raw.source, outlet=raw.outlet,
        title=sifted.title or raw.title or (raw.feed.title if raw.feed is not None else None),
        published_at=published, modified_at=sifted.modified_at, language=language,
        canonical_url=canonical_url, text="\n".join(sifted.paragraphs), authors=authors,
        dateline=sifted.dateline, agencies=sifted.agencies, contributors=sifted.contributors,
        images=sifted.images, removed=sifted.removed, fetched_at=raw.fetched_at, is_update=raw.is_update,
        warnings=warnings,
    )
