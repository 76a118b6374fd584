"""Plain text with page junk around it: title on top, junk removed with reasons, metadata kept."""

from __future__ import annotations

from newsdesk.cleaner import clean

PAGE = "\n".join([
    'Skip to main content',
    'Partly cloudy icon',
    '12°',
    '',
    'Port workers end strike after pay deal in Rotterdam',
    '',
    '1 / 5',
    '',
    'Dock workers wave flags outside the port gates on Monday. (Erik Sand/AFP via Getty Images)',
    '',
    'ROTTERDAM – Dock workers in Rotterdam ended a three-week strike on Tuesday after unions '
    'and employers agreed on a pay rise, the port authority said.',
    '',
    'Related Videos',
    '',
    '"This is a fair deal for everyone who keeps this port running," union spokeswoman Ana Lima '
    'said outside the main terminal.',
    '',
    'Shipping volumes fell sharply during the stoppage, with dozens of container ships waiting '
    'at anchor in the North Sea.',
    '',
    'Advertisement',
    '',
    'The agreement still has to be approved by union members in a vote next week.',
    '',
    '___',
    '',
    'Associated Press writers Piet Claes and Tom Berg in Brussels contributed to this report.',
    '',
    'Copyright 2024 The Harbour Gazette. All rights reserved.',
    '',
])


def test_junk_goes_with_reasons_and_text_stays(raw) -> None:
    article = clean(raw(PAGE))
    lines = article.text.splitlines()
    assert lines[0].startswith("ROTTERDAM – Dock workers in Rotterdam ended")
    assert lines[-1] == "The agreement still has to be approved by union members in a vote next week."
    assert len(lines) == 4
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["Skip to main content"] == "navigation"
    assert reasons["Partly cloudy icon"] == "widget"
    assert reasons["12°"] == "widget"
    assert reasons["1 / 5"] == "gallery"
    assert reasons["Related Videos"] == "video"
    assert reasons["Advertisement"] == "ad"
    assert reasons["___"] == "separator"
    assert reasons["Copyright 2024 The Harbour Gazette. All rights reserved."] == "copyright"
    assert reasons["Port workers end strike after pay deal in Rotterdam"] == "title"


def test_metadata_is_taken_from_the_junk(raw) -> None:
    article = clean(raw(PAGE))
    assert article.title == "Port workers end strike after pay deal in Rotterdam"
    assert article.dateline == "ROTTERDAM"
    assert article.contributors == ["Piet Claes", "Tom Berg"]
    assert "AP" in article.agencies
    assert article.images[0].caption == "Dock workers wave flags outside the port gates on Monday."
    assert article.images[0].credit == "Erik Sand/AFP via Getty Images"


def test_date_glued_to_the_first_sentence(raw) -> None:
    body = ("Ministers agree on fishing quotas\n"
            "March 3, 2023EU fisheries ministers agreed on new quotas for the Baltic Sea after talks that ran late.\n"
            "The deal cuts cod catches by a fifth.\n"
            "ab/cd (dpa, AFP)\n")
    article = clean(raw(body))
    assert article.title == "Ministers agree on fishing quotas"
    assert article.published_at == "2023-03-03"
    assert article.text.splitlines()[0].startswith("EU fisheries ministers agreed")
    assert article.agencies == ["dpa", "AFP"]
    assert [r.reason for r in article.removed] == ["title", "dateline", "signoff"]


def test_agency_dateline_with_date(raw) -> None:
    body = ("Storm closes schools\n\nJan. 9 (UPI) -- Schools across the region stayed closed on Monday as a winter "
            "storm brought heavy snow and strong winds to the coast.\n")
    article = clean(raw(body))
    assert article.agencies == ["UPI"]
    assert article.text.startswith("Jan. 9 (UPI) -- Schools")


def test_a_sentence_on_top_is_not_taken_for_a_title(raw) -> None:
    body = ("The city council approved the new budget on Thursday.\n\n"
            "The vote was 31 to 14, with two members absent from the session.\n")
    article = clean(raw(body))
    assert article.title is None
    assert article.text.splitlines()[0] == "The city council approved the new budget on Thursday."


def test_known_title_is_used_and_removed(raw) -> None:
    body = "Council passes budget\nThe vote was 31 to 14, with two members absent from the session.\n"
    article = clean(raw(body, title="Council passes budget", id="x9", outlet="Gazette", is_update=True))
    assert article.title == "Council passes budget"
    assert article.text == "The vote was 31 to 14, with two members absent from the session."
    assert (article.id, article.outlet, article.is_update) == ("x9", "Gazette", True)


def test_date_and_byline_lines_anywhere(raw) -> None:
    body = ("Council passes budget\n"
            "Updated Nov 19, 9:41 AM; Posted Nov 18, 8:19 PM\n"
            "Karin Holm 2023-11-18 20:19\n"
            "The vote was 31 to 14, with two members absent from the session on Thursday evening.\n"
            "Have a tip? Karin Holm may be reached at kholm@gazette.example.\n")
    article = clean(raw(body))
    assert article.text == "The vote was 31 to 14, with two members absent from the session on Thursday evening."
    assert article.authors == ["Karin Holm"]
    assert article.published_at == "2023-11-18"
    reasons = [r.reason for r in article.removed]
    assert reasons == ["title", "dateline", "byline", "byline"]


def test_shouted_or_single_words_with_a_date_are_not_bylines(raw) -> None:
    body = ("FOR IMMEDIATE RELEASE July 13, 2009\n"
            "The company said its results would be published next week, earlier than planned.\n")
    article = clean(raw(body))
    assert article.authors == []


def test_raw_dates_are_normalised_or_reported(raw) -> None:
    body = "The vote was 31 to 14, with two members absent from the session on Thursday evening.\n"
    assert clean(raw(body, published_at="Thu, 18 Nov 2021 20:19:00 +0100")).published_at == "2021-11-18T20:19:00+01:00"
    article = clean(raw(body, published_at="last Thursday"))
    assert article.published_at is None
    assert any("not a readable date" in w for w in article.warnings)
