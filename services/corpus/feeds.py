"""RSS 2.0 and Atom feeds of an outlet's articles, newest first, as news sites publish them.

Items link to the page on the local server; the page itself names its canonical URL on the
outlet's host. A revised article keeps its link and guid, and says when it changed
(`atom:updated` / `<updated>`), so a reader can tell an update from a new story.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from newsdesk.corpus.build import CorpusArticle
from newsdesk.corpus.world import Outlet


def _summary(article: CorpusArticle) -> str:
    first = article.story.paragraphs[0]
    return first if len(first) <= 240 else first[:237].rsplit(" ", 1)[0] + "..."


def rss(outlet: Outlet, items: Sequence[CorpusArticle], base_url: str) -> str:
    """`items` newest first; each is the latest version of its article."""
    entries = []
    for article in items:
        link = escape(base_url + article.path)
        updated = (f"      <atom:updated>{article.modified.isoformat()}</atom:updated>\n"
                   if article.modified else "")
        entries.append(
            "    <item>\n"
            f"      <title>{escape(article.story.headline)}</title>\n"
            f"      <link>{link}</link>\n"
            f"      <guid isPermaLink=\"false\">{escape(article.url)}</guid>\n"
            f"      <pubDate>{format_datetime(article.published)}</pubDate>\n"
            f"{updated}"
            f"      <description>{escape(_summary(article))}</description>\n"
            + (f"      <dc:creator>{escape(article.story.byline)}</dc:creator>\n" if article.story.byline else "")
            + f"      <category>{escape(article.section.title())}</category>\n"
            "    </item>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            "  <channel>\n"
            f"    <title>{escape(outlet.name)}</title>\n"
            f"    <link>https://www.{outlet.host}/</link>\n"
            f"    <description>Latest stories from {escape(outlet.name)}</description>\n"
            "    <language>en</language>\n"
            f"{''.join(entries)}"
            "  </channel>\n"
            "</rss>\n")


def atom(outlet: Outlet, items: Sequence[CorpusArticle], base_url: str) -> str:
    entries = []
    for article in items:
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(article.story.headline)}</title>\n"
            f"    <link rel=\"alternate\" href={quoteattr(base_url + article.path)}/>\n"
            f"    <id>{escape(article.url)}</id>\n"
            f"    <published>{article.published.isoformat()}</published>\n"
            f"    <updated>{article.released.isoformat()}</updated>\n"
            f"    <summary>{escape(_summary(article))}</summary>\n"
            + (f"    <author><name>{escape(article.story.byline)}</name></author>\n" if article.story.byline else "")
            + "  </entry>\n")
    newest = items[0].released.isoformat() if items else "1970-01-01T00:00:00+00:00"
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"  <title>{escape(outlet.name)}</title>\n"
            f"  <link href=\"https://www.{outlet.host}/\"/>\n"
            f"  <id>https://www.{outlet.host}/</id>\n"
            f"  <updated>{newest}</updated>\n"
            f"{''.join(entries)}"
            "</feed>\n")


def feed_path(outlet: Outlet) -> str:
    return f"/{outlet.slug}/{'atom.xml' if outlet.feed == 'atom' else 'feed.xml'}"


def render_feed(outlet: Outlet, items: Sequence[CorpusArticle], base_url: str) -> str:
    return (atom if outlet.feed == "atom" else rss)(outlet, items, base_url)
