"""Hand-written articles for the deduper tests: one summit told by three outlets, and events that
share its people or its city but are not it. Fictional people and facts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from newsdesk.records import ArticleEvent, Entity, ExtractedArticle, Participant, Place, Quote


def article(id: str, title: str, text: str, *, outlet: str | None = None, published_at: str | None = None,
            people: tuple[str, ...] = (), places: tuple[str, ...] = (), when: str | None = None,
            type: str = "other", quotes: tuple[tuple[str, str | None], ...] = (), url: str | None = None,
            agencies: tuple[str, ...] = ()) -> ExtractedArticle:
    return ExtractedArticle(
        id=id, title=title, text=text, outlet=outlet, published_at=published_at, url=url,
        agencies=list(agencies),
        entities=[Entity(name=p, type="person") for p in people] + [Entity(name=p, type="place") for p in places],
        quotes=[Quote(text=q, speaker=s) for q, s in quotes],
        events=[ArticleEvent(type=type, what=title, when=when,
                             who=[Participant(name=p) for p in people], where=[Place(name=p) for p in places])],
    )


SUMMIT_1 = article(
    "wire-1", "Varga and Okonkwo hold first talks in Tallinn on Baltic grain corridor",
    "Hungarian Foreign Minister Marta Varga met Nigerian Foreign Minister Chidi Okonkwo in Tallinn on Tuesday "
    "for their first face-to-face talks on the Baltic grain corridor.\n"
    "The two ministers spent two hours at the Kadriorg Palace discussing shipping quotas, insurance for "
    "grain freighters and the stalled port agreement.\n"
    "\"We will not accept a corridor that serves only the largest traders,\" Varga told reporters after "
    "the meeting.\n"
    "Okonkwo said Nigeria wanted guarantees before the autumn harvest. \"Our bakers cannot wait for "
    "another season of promises,\" he said.",
    outlet="Wire One", published_at="2031-03-11", when="2031-03-11", type="meeting",
    people=("Marta Varga", "Chidi Okonkwo"), places=("Tallinn",), agencies=("Wire One",),
    quotes=(("We will not accept a corridor that serves only the largest traders,", "Marta Varga"),
            ("Our bakers cannot wait for another season of promises,", "Chidi Okonkwo")),
    url="https://wire.example/varga-okonkwo",
)
SUMMIT_2 = article(
    "daily-2", "Ministers Varga, Okonkwo spar over grain corridor at Tallinn meeting",
    "Marta Varga and Chidi Okonkwo clashed politely over the Baltic grain corridor during talks at "
    "Kadriorg Palace in Tallinn on Tuesday.\n"
    "Varga said Hungary \"will not accept a corridor that serves only the largest traders\" and pressed "
    "for shipping quotas for smaller exporters.\n"
    "The talks lasted two hours, longer than planned, according to officials. Insurance for grain "
    "freighters and the port agreement were also discussed.",
    outlet="The Daily", published_at="2031-03-11", when="2031-03-11", type="meeting",
    people=("Marta Varga", "Chidi Okonkwo"), places=("Tallinn",),
    quotes=(("will not accept a corridor that serves only the largest traders", "Varga"),),
)
SUMMIT_3 = article(
    "foreign-3", "Tallinn talks: Varga and Okonkvo discuss grain corridor",
    "In Tallinn, Hungarian minister Marta Varga and her Nigerian counterpart Chidi Okonkvo held talks on "
    "the Baltic grain corridor on Tuesday evening, the ministry reported.\n"
    "Okonkvo warned: \"Our bakers cannot wait for another season of promises.\"\n"
    "The meeting at Kadriorg Palace took two hours; shipping quotas and insurance for freighters were on "
    "the agenda.",
    outlet="Foreign Press", published_at="2031-03-12", type="meeting",
    people=("Marta Varga", "Chidi Okonkvo"), places=("Tallinn",),
    quotes=(("Our bakers cannot wait for another season of promises.", "Chidi Okonkvo"),),
)
# The same two people a week later, elsewhere, on something else.
SAME_PEOPLE_NEXT_WEEK = article(
    "later-4", "Varga and Okonkwo meet again in Lagos over fertiliser tariffs",
    "Marta Varga travelled to Lagos on Wednesday to meet Chidi Okonkwo for talks on fertiliser tariffs, "
    "a week after their first meeting.\n"
    "The ministers discussed import duties on fertiliser and a joint laboratory for soil testing.",
    outlet="Wire One", published_at="2031-03-18", when="2031-03-18", type="meeting",
    people=("Marta Varga", "Chidi Okonkwo"), places=("Lagos",),
)
# The same city the next day, another event.
SAME_CITY_NEXT_DAY = article(
    "city-5", "Tallinn hosts Baltic shipping conference at Kadriorg",
    "Port operators from eight countries gathered in Tallinn on Wednesday for the Baltic shipping "
    "conference at Kadriorg Palace.\n"
    "Estonian transport minister Peeter Saar opened the conference with a speech on icebreaker capacity "
    "and harbour fees.",
    outlet="The Daily", published_at="2031-03-12", when="2031-03-12", type="other",
    people=("Peeter Saar",), places=("Tallinn",),
)
UNRELATED = article(
    "storm-6", "Storm floods coastal villages in southern Chile",
    "Heavy rain and a storm surge flooded four coastal villages near Puerto Montt on Tuesday, forcing "
    "300 residents from their homes.\nEmergency services said 12 people were injured.",
    outlet="Wire One", published_at="2031-03-11", when="2031-03-11", type="disaster",
    places=("Puerto Montt",),
)


# Two fictional bridge collapses: the topic words are shared, the town, people and figures are not.
_TOPIC = ("The bridge collapsed into the river during the morning traffic, and rescue divers searched "
          "the water while inspectors examined the broken span.")
_MARLOW = [
    "In Marlow, engineer Ilse Brandt said the Kessel Viaduct had been flagged for repairs in 2029.",
    "Marlow officials said 14 people were injured when the Kessel Viaduct fell; Ilse Brandt led the survey.",
    "Residents of Marlow laid flowers by the Kessel Viaduct as Brandt spoke to reporters.",
    "Brandt told the Marlow council the Kessel Viaduct cables had corroded.",
    "Marlow mayor Anke Hollis thanked the divers who worked at the Kessel Viaduct.",
    "Hollis said Marlow would rebuild the Kessel Viaduct; Brandt will chair the review.",
]
_QUENBY = [
    "In Quenby, transport minister Tomas Reyes said the Orrin Footbridge had passed checks in 2030.",
    "Quenby police said 3 people were missing after the Orrin Footbridge fell; Reyes visited the site.",
    "Students in Quenby gathered near the Orrin Footbridge as Reyes promised an inquiry.",
    "Reyes told Quenby radio the Orrin Footbridge bolts were being tested.",
    "Quenby fire chief Dana Ollix praised the divers at the Orrin Footbridge.",
    "Ollix said Quenby would reopen the river once the Orrin Footbridge debris was cleared; Reyes agreed.",
]


# Interleaved, as a stream would bring them: m0, q0, m1, q1, ...
BRIDGE_COLLAPSES = [ExtractedArticle(id=f"{town[0].lower()}{n}", text=f"Bridge collapse\n{line} {_TOPIC}")
                    for n, pair in enumerate(zip(_MARLOW, _QUENBY, strict=True))
                    for town, line in zip(("Marlow", "Quenby"), pair, strict=True)]


@pytest.fixture
def F() -> SimpleNamespace:
    """The articles above and the `article` builder, for tests to use as F.SUMMIT_1 etc."""
    return SimpleNamespace(**{k: v for k, v in globals().items() if k.isupper() or k == "article"})
