"""The real-world events of a corpus: what happened, where, when, to whom, with what figures.

`plan_events` draws them from a seeded generator. Some events are deliberate distractors for
the deduper: the same people again a week or more later in another city (a second meeting of
the same two ministers), or the same city a day or two later for another kind of event. Each
distractor names the event it echoes in `echoes`, so a test can check they stay apart.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from newsdesk.corpus.facts import CONTEXT, FACTS, SAYINGS
from newsdesk.corpus.world import (
    ACCIDENT_CAUSES,
    ANALYST_HOMES,
    COUNTRIES,
    COURTS,
    DISTRICTS,
    FORMER_JOBS,
    INSTITUTIONS,
    MEETING_VENUES,
    NAME_POOLS,
    ORDINALS,
    PARTY_NAMES,
    SLOGANS,
    UNION_NAMES,
    City,
    Country,
    Person,
    invent_company,
    invent_person,
)

EVENT_TYPES = ("meeting", "sanction", "protest", "disaster", "court_ruling", "election", "accident", "arrest",
               "business", "appointment")
# How often each type comes up, roughly as in a general news stream.
TYPE_WEIGHTS = (16, 8, 11, 11, 9, 7, 9, 9, 11, 9)
EVENTS_PER_DAY = 12
SAME_PEOPLE_SHARE = 0.08  # distractor: the same people another week, elsewhere
SAME_CITY_SHARE = 0.08  # distractor: the same city a day or two later, another event
# Types whose people plausibly make news together again (ministers, chief executives, unions...).
SAME_PEOPLE_TYPES = ("meeting", "business", "protest", "sanction", "accident", "arrest")


@dataclass(frozen=True, slots=True)
class QuoteSpec:
    speaker: int  # index into EventSpec.people
    text: str


@dataclass(frozen=True, slots=True)
class EventSpec:
    id: str
    type: str
    date: date
    hour: int  # local hour it happened; stories come after it
    city: City
    people: tuple[Person, ...]
    subject: str  # the topic, charge, post, cause... the type's main detail
    variant: str = ""  # sub-kind: 'earthquake', 'train', 'presidential'...
    orgs: tuple[str, ...] = ()  # companies, parties, union or court the story names
    numbers: dict[str, int] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)  # its particulars: district, street, hospital...
    facts: tuple[str, ...] = ()  # keys of facts.FACTS[type] this event has to report
    quotes: tuple[QuoteSpec, ...] = ()
    echoes: str | None = None  # id of the event this distractor resembles
    echo_kind: str | None = None  # 'same-people' or 'same-city'

    @property
    def country(self) -> Country:
        return self.city.country


MEETING_TOPICS = ("critical minerals", "a rail freight corridor", "energy security", "grain exports",
                  "migration routes", "fishing rights", "a new gas interconnector", "cyber security",
                  "visa-free travel", "hydrogen production", "wind power in the north sea", "port investment",
                  "satellite launches", "water sharing", "a joint customs post", "defence procurement")
MEETING_ROLES = ("Foreign Minister", "Trade Minister", "Energy Minister", "Defence Minister", "Economy Minister")
SANCTION_REASONS = ("helping to evade an arms embargo", "laundering money for a banned militia",
                    "supplying drone parts to a blockaded regime", "shipping oil in breach of a price cap",
                    "running a network of shell companies", "smuggling dual-use electronics")
PROTEST_CAUSES = ("a rise in the pension age", "pay for public sector workers", "a new airport runway",
                  "fuel prices", "cuts to rural bus services", "a planned lithium mine", "rents",
                  "the closure of a maternity ward", "a new tax on small farms", "a motorway through {district}",
                  "the sale of the {district} hospital", "a ban on street trading", "teachers' pay")
DISASTERS = ("earthquake", "flood", "wildfire", "storm", "landslide")
VEHICLES = ("train", "bus", "ferry")
COURT_CASES = ("the permit for a data centre in {district}", "a ban on night flights",
               "the merger of two regional banks", "a disputed tax on foreign landlords",
               "the dismissal of a public broadcaster's board", "a law limiting street protests",
               "the sale of a state-owned port", "a border fence", "the demolition of the {district} market",
               "a cap on rents in {city}", "a new mining code", "the extradition of a former banker",
               "the closure of a coal plant in {district}")
CHARGES = ("bribery", "fraud", "money laundering", "abuse of office", "tax evasion", "embezzlement")
POSTS = ("central bank governor", "finance minister", "army chief", "health minister", "chief prosecutor",
         "ambassador to the United Nations", "head of the tax authority")


def weekday_name(day: date) -> str:
    return day.strftime("%A")


def _country(rng: random.Random, not_in: tuple[Country, ...] = ()) -> Country:
    return rng.choice([c for c in COUNTRIES if c not in not_in])


def _city(rng: random.Random, country: Country) -> City:
    return City(rng.choice((country.capital, country.capital, *country.cities)), country)


def _people(rng: random.Random, taken: set[str], *specs: tuple[Country, str, str | None]) -> tuple[Person, ...]:
    people: list[Person] = []
    for country, role, affiliation in specs:
        for _ in range(20):  # two people of one story never share a surname
            person = invent_person(rng, country, role, affiliation, taken)
            if all(p.surname != person.surname for p in people):
                break
        people.append(person)
    return tuple(people)


# --- one casting function per type: (rng, taken names, taken companies) -> fields of EventSpec ---------

Cast = dict[str, object]


def _meeting(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    a = _country(rng)
    b = _country(rng, (a,))
    role = rng.choice(MEETING_ROLES)
    host = rng.random()
    city = _city(rng, a) if host < 0.35 else _city(rng, b) if host < 0.6 else City(
        (venue := _country(rng, (a, b))).capital, venue)
    analyst_home = f"the {a.capital} {rng.choice(ANALYST_HOMES)}"
    people = _people(rng, names, (a, role, None), (b, role, None), (a, "analyst", analyst_home))
    return {"city": city, "people": people, "subject": rng.choice(MEETING_TOPICS),
            "numbers": {"hours": rng.randint(2, 5)}}


def _sanction(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    issuer = _country(rng)
    target = _country(rng, (issuer,))
    company, _sector = invent_company(rng, companies)
    role = rng.choice(("Finance Minister", "Foreign Minister", "Economy Minister"))
    people = _people(rng, names, (issuer, role, None), (target, "businessman", company),
                     (target, "spokesperson", company))
    return {"city": City(issuer.capital, issuer), "people": people, "subject": rng.choice(SANCTION_REASONS),
            "orgs": (company,), "numbers": {"entities": rng.randint(4, 40), "vessels": rng.randint(2, 14)}}


def _protest(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    country = _country(rng)
    union = rng.choice(UNION_NAMES)
    people = _people(rng, names, (country, "leader", union), (country, "police spokesperson", None),
                     (country, rng.choice(("Interior Minister", "Labour Minister", "Mayor")), None),
                     (country, "protester", None))
    return {"city": _city(rng, country), "people": people, "subject": rng.choice(PROTEST_CAUSES),
            "orgs": (union,), "numbers": {"crowd": rng.randrange(4000, 90000, 500), "arrests": rng.randint(0, 60)}}


def _disaster(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    country = _country(rng)
    people = _people(rng, names, (country, rng.choice(("Governor", "Mayor", "Prime Minister")), None),
                     (country, "head of the civil protection agency", None), (country, "resident", None))
    dead = rng.choice((0, 2, 3, 5, 8, 11, 14, 19, 23, 31, 47, 62))
    return {"city": _city(rng, country), "people": people, "variant": rng.choice(DISASTERS),
            "subject": "", "numbers": {"dead": dead, "injured": rng.randint(max(4, dead), 6 * dead + 20),
                                       "evacuated": rng.randrange(300, 25000, 50),
                                       "magnitude": rng.randint(52, 78), "missing": rng.choice((0, 0, 2, 5, 9, 14))}}


def _court_ruling(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    country = _country(rng)
    court = rng.choice(COURTS)
    people = _people(rng, names, (country, "presiding judge", court), (country, "lawyer", None),
                     (country, rng.choice(("Justice Minister", "Prime Minister", "Environment Minister")), None),
                     (country, "plaintiff", None))
    judges = rng.choice((5, 7, 9, 11))
    return {"city": City(country.capital, country), "people": people, "subject": rng.choice(COURT_CASES),
            "variant": rng.choice(("upheld", "struck down")), "orgs": (court,),
            "numbers": {"judges": judges, "majority": rng.randint(judges // 2 + 1, judges)}}


def _election(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    country = _country(rng)
    winner_party, runner_party = rng.sample(PARTY_NAMES, 2)
    people = _people(rng, names, (country, "candidate", winner_party), (country, "candidate", runner_party),
                     (country, "head of the electoral commission", None))
    pct = rng.randint(41, 63)
    return {"city": City(country.capital, country), "people": people,
            "variant": rng.choice(("presidential", "parliamentary")), "subject": "",
            "orgs": (winner_party, runner_party),
            "numbers": {"pct": pct, "pct2": rng.randint(22, min(pct - 3, 100 - pct)),
                        "turnout": rng.randint(44, 79)}}


def _accident(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    country = _country(rng)
    vehicle = rng.choice(VEHICLES)
    people = _people(rng, names, (country, "Transport Minister", None),
                     (country, "rescue service spokesperson", None), (country, "witness", None))
    passengers = rng.randint(24, 60) if vehicle == "bus" else rng.randrange(80, 600, 5)
    dead = min(rng.choice((1, 2, 3, 4, 6, 7, 9, 12, 15, 21, 28)), passengers // 3)
    injured = rng.randint(dead + 3, min(passengers - dead, 8 * dead + 30))
    return {"city": _city(rng, country), "people": people, "variant": vehicle, "subject": "",
            "numbers": {"dead": dead, "injured": injured, "passengers": passengers}}


def _arrest(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    country = _country(rng)
    suspect_role = rng.choice(("former Health Minister", "former Defence Minister", "businessman", "former Mayor"))
    people = _people(rng, names, (country, suspect_role, None), (country, "prosecutor", None),
                     (country, "lawyer", None))
    return {"city": _city(rng, country), "people": people, "subject": rng.choice(CHARGES),
            "numbers": {"millions": rng.randint(2, 180)}}


def _business(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    buyer_country = _country(rng)
    seller_country = _country(rng, (buyer_country,)) if rng.random() < 0.6 else buyer_country
    buyer, sector = invent_company(rng, companies)
    target, _ = invent_company(rng, companies)
    people = _people(rng, names, (buyer_country, "chief executive", buyer),
                     (seller_country, "chief executive", target))
    return {"city": _city(rng, buyer_country), "people": people, "subject": sector, "orgs": (buyer, target),
            "numbers": {"price": rng.randint(3, 180), "jobs": rng.randrange(400, 20000, 100),
                        "premium": rng.randint(12, 45)}}


def _appointment(rng: random.Random, names: set[str], companies: set[str]) -> Cast:
    country = _country(rng)
    people = _people(rng, names, (country, rng.choice(("economist", "diplomat", "general", "lawyer")), None),
                     (country, rng.choice(("President", "Prime Minister")), None),
                     (country, "outgoing", None))
    return {"city": City(country.capital, country), "people": people, "subject": rng.choice(POSTS),
            "numbers": {"years": rng.randint(4, 16)}}


CASTING: dict[str, Callable[[random.Random, set[str], set[str]], Cast]] = {
    "meeting": _meeting, "sanction": _sanction, "protest": _protest, "disaster": _disaster,
    "court_ruling": _court_ruling, "election": _election, "accident": _accident, "arrest": _arrest,
    "business": _business, "appointment": _appointment,
}


def _particulars(rng: random.Random, event_type: str, city: City, people: tuple[Person, ...], when: date,
                 variant: str) -> tuple[dict[str, str], dict[str, int]]:
    """Names and figures only this event has: its district, street, hospital, dates, counts."""
    country = city.country
    _female, given, surnames = NAME_POOLS[country.names]
    district = rng.choice(DISTRICTS[country.names])
    others = [c for c in (country.capital, *country.cities) if c != city.name]
    details = {
        "district": district,
        "street": f"{rng.choice(surnames)} {rng.choice(('Street', 'Avenue', 'Road', 'Boulevard'))}",
        "hospital": rng.choice((f"{city.name} General Hospital", f"St {rng.choice(given)}'s Hospital",
                                f"the {district} clinic", f"{city.name} University Hospital")),
        "venue": (rng.choice(MEETING_VENUES).format(adj=people[0].country.adjective, city=city.name,
                                                    district=district)
                  if event_type == "meeting" else f"{rng.choice(surnames)} Square"),
        "hub": rng.choice([c.capital for c in COUNTRIES if c != country]),
        "slogan": rng.choice(SLOGANS),
        "cause": rng.choice(ACCIDENT_CAUSES.get(variant, ("a technical fault",))),
        "city2": rng.choice(others) if others else country.capital,
        "former_job": rng.choice(FORMER_JOBS),
        "institution": rng.choice(INSTITUTIONS),
        "party": rng.choice(PARTY_NAMES),
        "start_date": f"{(start := when + timedelta(days=rng.randint(10, 40))):%B} {start.day}",
        "next_day": (when + timedelta(days=rng.randint(3, 9))).strftime("%A"),
        "lastyear": str(when.year - 1),
        "close_year": str(when.year + 1),
        "rank": rng.choice(ORDINALS),
        "vote_year": str(when.year + rng.randint(1, 3)),
        "decade": str(rng.choice((1960, 1970, 1980, 1990))),
    }
    first = rng.randint(1988, when.year - 3)
    details["year"], details["year2"] = str(first), str(rng.randint(first + 1, when.year - 1))
    numbers = {
        "students": rng.randrange(200, 3000, 50), "projects": rng.randint(4, 15), "trade": rng.randint(8, 140),
        "firms": rng.randint(12, 80), "assets": rng.randint(20, 900), "offices": rng.randint(3, 14),
        "banks": rng.randint(3, 25), "months": rng.randint(4, 30), "hurt": rng.randint(0, 25),
        "households": rng.randrange(2000, 90000, 500), "days": rng.choice((3, 7, 10, 14, 30)),
        "soldiers": rng.randrange(100, 3000, 50), "schools": rng.randint(5, 140), "depth": rng.randint(6, 60),
        "km": rng.randint(4, 90), "aftershocks": rng.randint(15, 120), "rain": rng.randint(90, 400),
        "metres": rng.randint(2, 7), "wind": rng.randint(110, 210), "hectares": rng.randrange(500, 30000, 100),
        "firefighters": rng.randrange(150, 2000, 10), "planes": rng.randint(4, 30), "homes": rng.randint(6, 120),
        "old_dead": rng.randint(3, 400), "pages": rng.randint(40, 320), "old_turnout": rng.randint(40, 75),
        "observers": rng.randint(8, 40), "districts": rng.randint(3, 60), "age": rng.randint(38, 71),
        "critical": rng.randint(2, 12), "others": rng.randint(1, 6), "searches": rng.randint(3, 25),
        "contracts": rng.randint(4, 60), "years_max": rng.choice((5, 8, 10, 12, 15)), "countries": rng.randint(3, 30),
        "jump": rng.randint(8, 40), "plants": rng.randint(3, 40), "revenue": rng.randrange(200, 9000, 10),
        "weeks": rng.randint(2, 6), "lived": rng.randint(6, 60), "case_years": rng.randint(2, 9),
        "complaints": rng.randint(3, 90), "hours": rng.randint(2, 9),
        "population": rng.randrange(80_000, 4_000_000, 10_000), "growth": rng.randint(1, 6),
        "jobless": rng.randint(4, 24), "one_in": rng.randint(3, 8),
        "century": rng.randint(12, 18), "tourists": rng.randint(1, 9), "deficit": rng.randint(1, 7),
        "debt": rng.randint(30, 130), "prices": rng.randint(12, 80), "migrants": rng.randrange(2000, 60000, 500),
        "renewables": rng.randint(8, 85), "energy": rng.randint(5, 60), "majority_seats": rng.randint(76, 240),
        "passengers_m": rng.randint(2, 45), "floods": rng.randint(3, 14), "universities": rng.randint(2, 12),
        "students_k": rng.randint(15, 180), "crime": rng.randint(2, 15),
    }
    return details, numbers


def _facts(rng: random.Random, event_type: str, variant: str) -> tuple[str, ...]:
    """About two thirds of what could be said about an event of this type is true of this one,
    plus a little context about the place (keys 'context:...')."""
    keys = [k for k in FACTS[event_type] if "@" not in k or k.split("@")[1] == variant]
    chosen = rng.sample(keys, k=max(3, round(len(keys) * 0.7)))
    chosen += [f"context:{k}" for k in rng.sample(sorted(CONTEXT), k=rng.randint(4, 6))]
    return tuple(sorted(chosen))


def _quotes(rng: random.Random, event_type: str, people: tuple[Person, ...],
            context: dict[str, str]) -> tuple[QuoteSpec, ...]:
    """Two to four things people said; every outlet quoting them uses the same words."""
    pool = [(speaker, text) for speaker, text in SAYINGS[event_type] if speaker < len(people)]
    rng.shuffle(pool)
    quotes: list[QuoteSpec] = []
    for _ in range(rng.randint(2, 4)):
        if not pool:
            break
        speaker, first = pool.pop()
        sentences = [first]
        more = [t for s, t in pool if s == speaker]
        if more and rng.random() < 0.4:  # some quotes run over two sentences
            sentences.append(more[0])
            pool.remove((speaker, more[0]))
        try:
            quotes.append(QuoteSpec(speaker, " ".join(t.format_map(context) for t in sentences)))
        except KeyError:
            continue
    return tuple(quotes)


def _finish(rng: random.Random, event: EventSpec, cast_numbers: dict[str, int]) -> EventSpec:
    """Particulars, facts and quotes for an event whose type, place and people are settled."""
    details, numbers = _particulars(rng, event.type, event.city, event.people, event.date, event.variant)
    numbers.update(cast_numbers)
    # Some subjects name a part of the city: 'a motorway through {district}'.
    event = replace(event, subject=event.subject.format(district=details["district"], city=event.city.name))
    context = {**details, **{k: str(v) for k, v in numbers.items()}, "subject": event.subject,
               "city": event.city.name, "p0s": event.people[0].surname, "p1c": event.people[1].country.name}
    context.update({f"org{i}": org for i, org in enumerate(event.orgs)})
    return replace(event, details=details, numbers=numbers, facts=_facts(rng, event.type, event.variant),
                   quotes=_quotes(rng, event.type, event.people, context))


def _fresh(rng: random.Random, number: int, when: date, names: set[str], companies: set[str],
           event_type: str | None = None) -> EventSpec:
    event_type = event_type or rng.choices(EVENT_TYPES, weights=TYPE_WEIGHTS)[0]
    cast = CASTING[event_type](rng, names, companies)
    numbers = cast.pop("numbers")
    assert isinstance(numbers, dict)
    event = EventSpec(id=f"ev{number:05d}", type=event_type, date=when, hour=rng.randint(7, 19),
                      **cast)  # type: ignore[arg-type]
    return _finish(rng, event, numbers)


def _same_people(rng: random.Random, number: int, earlier: EventSpec, names: set[str],
                 companies: set[str]) -> EventSpec:
    """The same people a week or more later, about something else: ministers meeting again
    elsewhere, the same chief executives in another deal, the same union marching again."""
    again = _fresh(rng, number, earlier.date + timedelta(days=rng.randint(7, 24)), names, companies, earlier.type)
    city = again.city
    if earlier.type != "meeting":
        home = earlier.people[0].country
        others = [c for c in (home.capital, *home.cities) if c != earlier.city.name] or [earlier.city.name]
        city = City(rng.choice(others), home)
    again = replace(again, city=city, people=earlier.people, orgs=earlier.orgs,
                    echoes=earlier.id, echo_kind="same-people")
    return _finish(rng, again, dict(again.numbers))  # new particulars for the new place


def _same_city(rng: random.Random, number: int, earlier: EventSpec, names: set[str],
               companies: set[str]) -> EventSpec:
    """Another kind of event in the same city a day or two later."""
    event_type = rng.choice([t for t in EVENT_TYPES if t != earlier.type])
    other = _fresh(rng, number, earlier.date + timedelta(days=rng.randint(1, 2)), names, companies, event_type)
    city = earlier.city
    if other.type != "meeting" and other.country != city.country:
        # The event's people belong to the city's country, so the story stays coherent (a
        # meeting may be held anywhere, so its ministers keep their countries).
        other = replace(other, people=tuple(invent_person(rng, city.country, p.role, p.affiliation, names)
                                            for p in other.people))
    other = replace(other, city=city, echoes=earlier.id, echo_kind="same-city")
    return _finish(rng, other, dict(other.numbers))


def plan_events(count: int, seed: int, start: date) -> tuple[EventSpec, ...]:
    """`count` events from `start` on, about EVENTS_PER_DAY a day; deterministic in `seed`."""
    rng = random.Random(f"newsdesk-corpus-events:{seed}")
    names: set[str] = set()
    companies: set[str] = set()
    events: list[EventSpec] = []
    echoed: set[str] = set()  # an event is echoed once at most
    for number in range(count):
        when = start + timedelta(days=number // EVENTS_PER_DAY)
        roll = rng.random()
        originals = [e for e in events[-60:] if e.echoes is None and e.id not in echoed]
        movers = [e for e in originals if e.type in SAME_PEOPLE_TYPES]
        if movers and roll < SAME_PEOPLE_SHARE:
            events.append(_same_people(rng, number, rng.choice(movers), names, companies))
        elif originals and roll < SAME_PEOPLE_SHARE + SAME_CITY_SHARE:
            events.append(_same_city(rng, number, rng.choice(originals), names, companies))
        else:
            events.append(_fresh(rng, number, when, names, companies))
        if events[-1].echoes:
            echoed.add(events[-1].echoes)
    return tuple(events)
