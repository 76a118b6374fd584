"""Each kind of page furniture is recognised with its reason, and ordinary sentences are left alone."""

from __future__ import annotations

import pytest

from newsdesk.cleaner.line_rules import classify_line


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "ad"),
        ("728x90 Ad", "ad"),
        ("Story continues below advertisement", "ad"),
        ("Skip to content", "navigation"),
        ("Back to top", "navigation"),
        ("Sunny icon", "widget"),
        ("-4°C", "widget"),
        ("Loading...", "widget"),
        ("Related Videos", "video"),
        ("Up next", "video"),
        ("3 / 12", "gallery"),
        ("Photo 2 of 9", "gallery"),
        ("2 of 6 | Firefighters on the roof of the depot. | License Photo", "gallery"),
        ("Share on Facebook", "share"),
        ("Facebook Twitter Email", "share"),
        ("Most Read", "related"),
        ("Read more: Harbour strike enters third week", "related"),
        ("Support independent journalism today by becoming a member.", "appeal"),
        ("Sign up for our daily newsletter", "appeal"),
        ("© 2024 Harbour Gazette. All rights reserved.", "copyright"),
        ("This material may not be published, broadcast, rewritten or redistributed.", "copyright"),
        ("* * *", "separator"),
        ("———", "separator"),
        ("ab/cd (Reuters, dpa)", "signoff"),
        ("(Reporting by Jane Roe; Editing by Tom Poe)", "signoff"),
        ("Staff writers Ana Lima and Piet Claes in Ghent contributed to this report.", "contributor"),
        ("By Maria Olsen and Tomas Berg", "byline"),
        ("Dock workers wave flags outside the port gates on Monday. (Erik Sand/AFP via Getty Images)", "caption"),
        ("Crowds gather near the cathedral. Photo by Lena Fox/Reuters", "caption"),
        ("We use cookies to improve your experience. By continuing you accept our privacy policy.",
         "boilerplate"),
    ],
)
def test_furniture_is_named(line: str, reason: str) -> None:
    assert classify_line(line).reason == reason


@pytest.mark.parametrize(
    "line",
    [
        "The port authority said on Monday that talks with the union would resume next week.",
        '"We will not accept these terms," the union leader told reporters outside the gates.',
        "Shipping volumes fell 4% in the third quarter, according to figures released by the ministry.",
        "Harbour strike enters third week",
        "What the ministers agreed",
        "More than 300 workers joined the protest.",
    ],
)
def test_article_lines_are_kept(line: str) -> None:
    assert classify_line(line).reason is None


def test_signoff_names_its_agencies() -> None:
    assert classify_line("kb/mm (AFP, Reuters)").agencies == ["AFP", "Reuters"]


def test_contributor_line_names_the_people() -> None:
    verdict = classify_line("Associated Press writers Ana Lima and Piet Claes in Ghent contributed to this report.")
    assert verdict.contributors == ["Ana Lima", "Piet Claes"]
    assert verdict.agencies == ["AP"]


def test_caption_is_split_from_its_credit() -> None:
    verdict = classify_line("The ferry leaves the harbour at dawn. (Erik Sand/Pool Photo via AP)")
    assert verdict.caption == "The ferry leaves the harbour at dawn."
    assert verdict.credit == "Erik Sand/Pool Photo via AP"


def test_byline_gives_authors_and_agency() -> None:
    verdict = classify_line("By Maria Olsen, Reuters")
    assert verdict.authors == ["Maria Olsen"]
    assert verdict.agencies == ["Reuters"]


def test_gallery_line_keeps_its_caption() -> None:
    verdict = classify_line("3 of 7 | Rescue teams search the rubble in Izmir. Photo by Lena Fox/UPI | License Photo")
    assert verdict.reason == "gallery"
    assert verdict.caption == "Rescue teams search the rubble in Izmir."
    assert verdict.credit == "Photo by Lena Fox/UPI"
