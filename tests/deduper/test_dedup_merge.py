"""One event per real-world event: joins, separations, and what the merged record says."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.deduper import DedupState, merge
from newsdesk.records import Event, ExtractedArticle

NOW = datetime(2031, 3, 12, 9, tzinfo=UTC)


def run(articles: list[ExtractedArticle], state: DedupState | None = None) -> tuple[DedupState, dict[str, Event]]:
    state = state or DedupState()
    latest: dict[str, Event] = {}
    for article in articles:
        for event in merge(state, article, NOW):
            latest[event.event_id] = event
    for event_id in state.retired:
        latest.pop(event_id, None)
    return state, latest


def event_of(events: dict[str, Event], article_id: str) -> Event:
    (found,) = [e for e in events.values() if article_id in {a.id for a in e.articles}]
    return found


def test_three_outlets_make_one_event_and_look_alikes_stay_apart(F) -> None:
    _, events = run([F.SUMMIT_1, F.UNRELATED, F.SAME_PEOPLE_NEXT_WEEK, F.SUMMIT_2, F.SAME_CITY_NEXT_DAY,
                     F.SUMMIT_3])
    summit = event_of(events, "wire-1")
    assert [a.id for a in summit.articles] == ["wire-1", "daily-2", "foreign-3"]
    for other in ("later-4", "city-5", "storm-6"):
        assert event_of(events, other).event_id != summit.event_id
    assert len(events) == 4


def test_merged_record_has_canonical_people_places_date_and_sources(F) -> None:
    _, events = run([F.SUMMIT_1, F.SUMMIT_2, F.SUMMIT_3])
    (summit,) = events.values()
    assert summit.version == 3
    assert summit.type == "meeting"
    assert summit.when == "2031-03-11"
    assert summit.when_support == ["wire-1", "daily-2"]  # foreign-3 had no date; the event gives it one
    names = [p.name for p in summit.who]
    # 'Okonkvo' (one article) and 'Okonkwo' (two) are one person, named by the more frequent spelling.
    assert names == ["Marta Varga", "Chidi Okonkwo"]
    okonkwo = summit.who[1]
    assert okonkwo.aliases == ["Chidi Okonkvo"]
    assert okonkwo.articles == ["daily-2", "foreign-3", "wire-1"]
    assert [p.name for p in summit.where] == ["Tallinn"]
    assert {(s.name, s.kind) for s in summit.sources} == {
        ("Wire One", "outlet"), ("Wire One", "agency"), ("The Daily", "outlet"), ("Foreign Press", "outlet")}
    assert summit.title and "Varga" in summit.title
    assert summit.summary
    assert summit.first_seen <= summit.updated_at


def test_quotes_carried_by_several_outlets_appear_once_with_their_articles_and_speaker(F) -> None:
    _, events = run([F.SUMMIT_1, F.SUMMIT_2, F.SUMMIT_3])
    (summit,) = events.values()
    corridor = [q for q in summit.quotes if "largest traders" in q.text]
    bakers = [q for q in summit.quotes if "bakers" in q.text]
    assert len(corridor) == 1 and len(bakers) == 1
    assert corridor[0].articles == ["wire-1", "daily-2"]
    assert corridor[0].speaker == "Marta Varga"  # 'Varga' alone resolves to the full name
    assert bakers[0].articles == ["wire-1", "foreign-3"]
    assert bakers[0].speaker == "Chidi Okonkwo"  # the trimmed 'Okonkvo' attribution is canonical too


def test_outlets_that_disagree_on_a_figure_keep_both_claims_with_sources(F) -> None:
    a = F.article("q-1", "Earthquake strikes near Arequipa", "A strong earthquake struck near Arequipa on "
                  "Monday. Officials said 12 people were injured and dozens of homes collapsed in the old town.",
                  outlet="A", when="2031-05-05", type="disaster", places=("Arequipa",))
    b = F.article("q-2", "Quake hits Arequipa, homes collapse", "An earthquake struck near Arequipa on Monday; "
                  "15 people were injured, officials said, as homes collapsed in the old town.",
                  outlet="B", when="2031-05-05", type="disaster", places=("Arequipa",))
    _, events = run([a, b])
    (quake,) = events.values()
    claims = {(f.topic, f.claim): f.articles for f in quake.facts}
    assert claims == {("injured", "12"): ["q-1"], ("injured", "15"): ["q-2"]}


def test_event_ids_are_derived_from_the_first_article_and_stable(F) -> None:
    _, first = run([F.SUMMIT_1, F.SUMMIT_2])
    _, again = run([F.SUMMIT_1, F.SUMMIT_2])
    assert list(first) == list(again)
    assert next(iter(first)).startswith("ev-")


def test_an_article_like_two_events_joins_one_and_does_not_chain_them(F) -> None:
    bridge = F.article(
        "bridge-7", "After Tallinn grain talks, storm relief for Chile on the agenda",
        "Marta Varga said on Tuesday that the Baltic grain corridor talks in Tallinn could help villages "
        "near Puerto Montt flooded by the storm surge, where 300 residents left their homes.",
        outlet="Mixed", published_at="2031-03-11")
    _, events = run([F.SUMMIT_1, F.SUMMIT_2, F.UNRELATED, bridge])
    assert event_of(events, "wire-1").event_id != event_of(events, "storm-6").event_id
    assert len(event_of(events, "storm-6").articles) + len(event_of(events, "wire-1").articles) <= 4
