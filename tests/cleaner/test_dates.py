"""Dates in the shapes pages write them, as ISO; placeholders and nonsense are not dates."""

from __future__ import annotations

import pytest

from newsdesk.cleaner.dates import date_from_url, find_date, parse_date


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2021-05-19", "2021-05-19"),
        ("2021-05-19T14:02:00Z", "2021-05-19T14:02:00+00:00"),
        ("2021-05-19T14:02:00.123+02:00", "2021-05-19T14:02:00.123000+02:00"),
        ("Wed, 19 May 2021 14:02:00 GMT", "2021-05-19T14:02:00+00:00"),
        ("May 19, 2021", "2021-05-19"),
        ("19 May 2021", "2021-05-19"),
        ("Sept. 3, 2020", "2020-09-03"),
        ("19.05.2021", "2021-05-19"),
        ("2021/05/19 10:00", "2021-05-19"),
    ],
)
def test_shapes(value: str, iso: str) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+00:00", "2021-02-30", "yesterday", "", None, "9" * 50])
def test_not_dates(value: str | None) -> None:
    assert parse_date(value) is None


def test_date_in_text_and_url() -> None:
    assert find_date("Posted on Tuesday, March 3rd, 2020 at noon") == "2020-03-03"
    assert date_from_url("https://x.example/news/2020/03/03/story.html") == "2020-03-03"
    assert date_from_url("https://x.example/a/20200303/story") == "2020-03-03"
    assert date_from_url("https://x.example/story-12345") is None
