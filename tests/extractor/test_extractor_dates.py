from datetime import date

from newsdesk.extractor.dates import anchor_from_text, find_dates, parse_anchor

THURSDAY = date(2021, 5, 20)


def first(sentence: str, anchor: date | None):
    hits = find_dates(sentence, anchor)
    return hits[0] if hits else None


def test_weekday_is_the_latest_such_day_before_the_anchor():
    assert first("The ministers met on Wednesday.", THURSDAY).day == date(2021, 5, 19)
    assert first("They met Thursday.", THURSDAY).day == THURSDAY  # same day


def test_weekday_with_future_verb_or_next_looks_forward():
    assert first("They will meet on Monday.", THURSDAY).day == date(2021, 5, 24)
    assert first("Talks resume next Thursday.", THURSDAY).day == date(2021, 5, 27)


def test_month_day_takes_the_anchor_year_and_absolute_dates_need_no_anchor():
    assert first("The summit on April 22 ended early.", THURSDAY).day == date(2021, 4, 22)
    assert first("It began on May 19, 2021.", None).day == date(2021, 5, 19)
    assert first("He arrived on 3 March 2020.", None).day == date(2020, 3, 3)


def test_vague_times_become_ranges():
    hit = first("Prices rose last month.", THURSDAY)
    assert hit.day is None and hit.span == (date(2021, 4, 1), date(2021, 4, 30))
    assert first("It happened yesterday.", THURSDAY).day == date(2021, 5, 19)


def test_nothing_is_guessed_without_an_anchor():
    assert first("They met on Wednesday.", None).day is None
    assert first("Prices rose last month.", None).span is None


def test_anchor_parsing():
    assert parse_anchor("2021-05-19T10:00:00Z") == date(2021, 5, 19)
    assert parse_anchor("yesterday") is None
    assert anchor_from_text("May 19, 2021US Secretary of State met") == date(2021, 5, 19)
