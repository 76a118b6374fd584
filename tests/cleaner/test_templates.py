"""Per-outlet templates: a line an outlet repeats on many articles is learnt as boilerplate."""

from __future__ import annotations

import json

from newsdesk.cleaner import OutletTemplates, boilerplate_lines, clean, dump_templates, learn, load_templates
from newsdesk.records import RawArticle

PROMO = "Listen to the Harbour Hour podcast every Friday on our app"


def story(i: int, outlet: str = "Gazette") -> RawArticle:
    body = (f"Story number {i} about the port\n"
            f"The port authority published its figures for week {i} on Monday, showing a steady rise in traffic.\n"
            f"{PROMO}\n"
            f"Officials expect the trend to continue into the next quarter, said a spokesman for the authority.\n")
    return RawArticle(id=f"s{i}", outlet=outlet, body=body)


def test_learnt_line_is_removed_as_template() -> None:
    templates = OutletTemplates()
    for i in range(10):
        templates = learn(templates, clean(story(i), templates))
    article = clean(story(99), templates)
    assert PROMO not in article.text
    assert {"text": PROMO, "reason": "template"} in [r.model_dump() for r in article.removed]
    assert "The port authority published its figures for week 99" in article.text


def test_learning_is_pure_and_per_outlet() -> None:
    empty = OutletTemplates()
    after = learn(empty, clean(story(1)))
    assert empty.outlets == {}
    assert after.outlets["Gazette"].documents == 1
    templates = empty
    for i in range(10):
        templates = learn(templates, clean(story(i)))
    assert boilerplate_lines(templates, "Other Outlet") == frozenset()
    assert clean(story(5, outlet="Other Outlet"), templates).text.count(PROMO) == 1


def test_nothing_is_learnt_from_too_few_articles() -> None:
    templates = OutletTemplates()
    for i in range(3):
        templates = learn(templates, clean(story(i)))
    assert boilerplate_lines(templates, "Gazette") == frozenset()
    assert PROMO in clean(story(9), templates).text


def test_digits_do_not_split_a_template() -> None:
    templates = OutletTemplates()
    for year in range(2010, 2022):
        body = ("Ferry timetable changes\nThe ferry will run hourly from next month, the operator said.\n"
                f"© {year} Gazette Media Group Ltd\n")
        templates = learn(templates, clean(RawArticle(id=str(year), outlet="Gazette", body=body)))
    assert any(key.startswith("© 0000 gazette") for key in boilerplate_lines(templates, "Gazette"))


def test_state_round_trips_through_json() -> None:
    templates = OutletTemplates()
    for i in range(10):
        templates = learn(templates, clean(story(i)))
    again = load_templates(json.loads(json.dumps(dump_templates(templates))))
    assert again == templates
    assert boilerplate_lines(again, "Gazette") == boilerplate_lines(templates, "Gazette")
