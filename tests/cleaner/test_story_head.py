"""Furniture around the top of a story must not become its first line: a section kicker over the
headline, the author's name alone on a line, reading-time and ad labels, donation appeals.

The extractor reads the lead sentence from the first line of the text, so these are tested on
whole (small, invented) pages as well as line by line.
"""

from __future__ import annotations

import pytest

from newsdesk.cleaner import clean
from newsdesk.cleaner.line_rules import classify_line, is_section_label
from newsdesk.cleaner.sift import sift
from newsdesk.records import FeedItem

LEAD = ("LISBON — The city council on Thursday approved a plan to turn three disused tram depots into "
        "public housing, adding about 600 flats over the next five years, the mayor's office said.")
SECOND = ("Opposition councillors voted against the plan, saying the depots should be kept for a revived "
          "tram network, but the measure passed with a majority of four votes.")
THIRD = ('"We cannot leave buildings empty while families wait years for a home," deputy mayor Rui Matos '
         "told reporters after the vote, adding that building work would start in the spring.")


def page(head: str, tail: str = "", meta: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><title>Lisbon turns tram depots into homes - Tagus Times</title>
<meta property="og:title" content="Lisbon turns tram depots into homes">{meta}</head>
<body><header><a href="/">Tagus Times</a></header>
<div id="story">{head}
<div class="story-body"><p>{LEAD}</p><p>{SECOND}</p><p>{THIRD}</p></div>{tail}</div>
<footer><p>© 2025 Tagus Times</p></footer></body></html>"""


def removed(article, reason: str) -> list[str]:
    return [r.text for r in article.removed if r.reason == reason]


def test_section_kicker_over_the_headline_is_navigation(raw) -> None:
    html = page('<span class="kicker">City Life</span><h1>Lisbon turns tram depots into homes</h1>'
                '<div class="meta"><span>By Ines Duarte</span> <span>March 6, 2025</span>'
                ' <span>4 min read</span></div>')
    article = clean(raw(html, "text/html"))
    assert article.text.splitlines() == [LEAD, SECOND, THIRD]
    assert "City Life" in removed(article, "navigation")
    assert article.authors == ["Ines Duarte"]  # the date and reading time are not part of the name


def test_kicker_directly_over_the_first_paragraph() -> None:
    # no headline among the paragraphs: the label leads straight into the story
    sifted = sift(["Housing", LEAD, SECOND])
    assert sifted.paragraphs == [LEAD, SECOND]
    assert [(r.text, r.reason) for r in sifted.removed] == [("Housing", "navigation")]


def test_author_name_alone_is_a_byline_when_the_metadata_names_the_author(raw) -> None:
    meta = '<meta name="author" content="Ines Duarte">'
    html = page("<h1>Lisbon turns tram depots into homes</h1><address>Ines Duarte</address>"
                "<time>March 6, 2025</time>", meta=meta)
    article = clean(raw(html, "text/html"))
    assert article.text.splitlines()[0] == LEAD
    assert "Ines Duarte" in removed(article, "byline")
    assert article.authors == ["Ines Duarte"]


def test_two_known_authors_on_one_line(raw) -> None:
    meta = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"name": "Ines Duarte"}, '
            '{"name": "Paulo Reis"}]}</script>')
    html = page("<h1>Lisbon turns tram depots into homes</h1><p>Ines Duarte and Paulo Reis</p>", meta=meta)
    article = clean(raw(html, "text/html"))
    assert article.text.splitlines()[0] == LEAD
    assert removed(article, "byline") == ["Ines Duarte and Paulo Reis"]


def test_a_name_the_metadata_does_not_give_is_not_taken_for_a_byline() -> None:
    sifted = sift(["Rui Matos", LEAD, SECOND], authors=["Ines Duarte"])
    assert "Rui Matos" not in [r.text for r in sifted.removed if r.reason == "byline"]


def test_plain_text_author_line_from_the_feed(raw) -> None:
    body = "\n".join(["Lisbon turns tram depots into homes", "Ines Duarte", LEAD, SECOND])
    article = clean(raw(body, feed=FeedItem(author="Ines Duarte")))
    assert article.title == "Lisbon turns tram depots into homes"
    assert article.text.splitlines() == [LEAD, SECOND]
    assert "Ines Duarte" in removed(article, "byline")


def test_plain_text_kicker_is_not_the_title(raw) -> None:
    body = "\n".join(["City Life", "Lisbon turns tram depots into homes", LEAD, SECOND])
    article = clean(raw(body))
    assert article.title == "Lisbon turns tram depots into homes"
    assert article.text.splitlines() == [LEAD, SECOND]
    assert removed(article, "navigation") == ["City Life"]


def test_short_lines_inside_the_story_are_kept() -> None:
    # a subheading after the story has begun is the article's own text, not a kicker
    sifted = sift([LEAD, "Housing Crisis", SECOND], title="Lisbon turns tram depots into homes")
    assert sifted.paragraphs == [LEAD, "Housing Crisis", SECOND]


def test_a_short_label_not_followed_by_the_story_stays() -> None:
    # a title-case line followed by another short line is not known to be a kicker
    sifted = sift(["Tram Depots", "Council Vote", LEAD])
    assert sifted.paragraphs[0] == "Tram Depots"


def test_donation_appeal_at_the_foot_of_the_story(raw) -> None:
    tail = ('<section class="appeal"><h2>Tagus Times is reader-funded</h2><p>We have no owner to answer to and '
            "no paywall. If our reporting matters to you, please consider a donation today.</p></section>")
    article = clean(raw(page("<h1>Lisbon turns tram depots into homes</h1>", tail=tail), "text/html"))
    assert article.text.splitlines() == [LEAD, SECOND, THIRD]
    assert len(removed(article, "appeal")) == 2


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement · Scroll to continue with content", "ad"),
        ("Advertisement - 300x250 Ad", "ad"),
        ("Share | 4 min read", "share"),
        ("5 min read", "widget"),
        ("6-minute read", "widget"),
        ("Reading time: 3 minutes", "widget"),
        ("The Valley Post is reader-funded", "appeal"),
        ("Our reporting is paid for by readers like you. Please consider making a contribution.", "appeal"),
    ],
)
def test_furniture_labels(line: str, reason: str) -> None:
    assert classify_line(line).reason == reason


@pytest.mark.parametrize(
    "line",
    [
        # news about money and time, told in the third person, is text
        "The charity said it was funded by readers of the local paper and asked residents to consider donating.",
        "The hospital said the average wait was 45 min in March.",
        "Advertising revenue fell by a third | the company said on Monday",
    ],
)
def test_lines_that_only_resemble_furniture_are_kept(line: str) -> None:
    assert classify_line(line).reason is None


def test_section_label_shape() -> None:
    assert is_section_label("World News")
    assert is_section_label("Science & Tech")
    assert is_section_label("ANALYSIS")
    assert not is_section_label("The council voted.")
    assert not is_section_label("Lisbon approves a plan to turn three disused tram depots into public homes")
    assert not is_section_label("2025 in review")
