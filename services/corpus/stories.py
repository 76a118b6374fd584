"""One outlet's story about one event: headline, paragraphs, byline, dateline, sign-off.

Outlets share the facts of an event (who, where, when, the figures, the quotes) but not their
sentences: each story picks its own headline, lead, subset and order of details, attribution
verbs, way of naming people on first mention and, for names with two spellings, its spelling.
Agency stories are republished near-verbatim by other outlets (`republish`), and any story
may be revised later under the same URL (`revise`).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from newsdesk.corpus import wording
from newsdesk.corpus.events import EventSpec, weekday_name
from newsdesk.corpus.facts import CONTEXT, FACTS
from newsdesk.corpus.world import Outlet, Person, reporter

SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_FORMATTER = string.Formatter()
# Figures some outlets spell out below ten ('three people'), and figures kept in tenths.
_SPELLABLE = frozenset({"dead", "injured", "arrests", "entities", "vessels", "hours", "others", "critical", "missing",
                        "banks", "offices", "weeks", "days", "planes", "plants"})
_TENTHS = frozenset({"magnitude", "price", "trade"})


@dataclass(frozen=True, slots=True)
class Story:
    headline: str
    paragraphs: tuple[str, ...]  # the article's own text, dateline not included
    byline: str | None  # 'Daniel Okafor', or the agency's name on a republished wire story
    dateline: str | None = None  # 'VIENNA —', 'VIENNA, May 14 (APS) —'; put before the first paragraph
    signoff: str | None = None  # '(Reporting by ...; Editing by ...)', '(TNA)'
    agency: str | None = None  # the agency credited, for wire stories and their copies
    note: str | None = None  # editor's note on a revised story

    @property
    def text(self) -> str:
        """What a perfect cleaner returns: the paragraphs, one per line."""
        return "\n".join(self.paragraphs)


def _number(value: int, spell: bool) -> str:
    if spell and 0 <= value < 10:
        return SMALL_NUMBERS[value]
    return f"{value:,}"


def day_phrase(event_day: datetime, published: datetime, style: int) -> str:
    """'on Tuesday' / 'on May 14' / 'yesterday': when the event was, as the story says it."""
    days = (published.date() - event_day.date()).days
    if style == 2 and days == 1:
        return "yesterday"
    if style == 1 or days > 6:
        return f"on {event_day:%B} {event_day.day}"
    return f"on {weekday_name(event_day.date())}"


def first_mentions(person: Person, name: str, event: EventSpec) -> tuple[str, ...]:
    """Ways of naming a person the first time; a trailing comma closes an apposition."""
    role, org, adj = person.role, person.affiliation, person.country.adjective
    lower = role.lower()
    if role == "Mayor":
        return (f"{event.city.name} Mayor {name}", f"{name}, the mayor of {event.city.name},", f"Mayor {name}")
    if role == "Governor":
        return (f"Governor {name}", f"{name}, the regional governor,", f"regional governor {name}")
    if role.startswith("former "):
        return (f"{role} {name}", f"{name}, a {lower},", f"{name}, who once served as {lower[7:]},")
    if role in ("President", "Prime Minister") or role.endswith("Minister"):
        return (f"{adj} {role} {name}", f"{name}, {person.country.possessive} {lower},",
                f"{person.country.possessive} {lower}, {name},", f"{role} {name}")
    if role == "leader" and org:
        return (f"{name}, leader of the {org},", f"{org} leader {name}", f"{name}, who heads the {org},")
    if role == "spokesperson" and org:
        return (f"{org} spokesperson {name}", f"{name}, a spokesperson for {org},")
    if role == "businessman" and org:
        return (f"businessman {name}", f"{name}, who owns {org},", f"{adj} businessman {name}")
    if role == "chief executive" and org:
        return (f"{org} chief executive {name}", f"{name}, the chief executive of {org},", f"{org} CEO {name}")
    if role == "candidate" and org:
        return (f"{name} of the {org}", f"{org} candidate {name}", f"{name}, the {org} candidate,")
    if role.startswith("head of the "):
        short = role.removeprefix("head of the ").removesuffix(" agency")
        return (f"{name}, {role},", f"{short} chief {name}")
    if role == "presiding judge":
        return (f"presiding judge {name}", f"Judge {name}", f"{name}, who presided over the case,")
    if role == "prosecutor":
        return (f"prosecutor {name}", f"{name}, a spokesperson for the prosecutor's office,")
    if role.endswith("spokesperson"):
        return (f"{name}, a {lower},", f"{lower} {name}")
    if role == "general":
        return (f"General {name}", f"{name}, an army general,")
    if role == "outgoing":
        return (f"outgoing {event.subject} {name}", name)
    if role == "analyst" and org:
        return (f"{name}, an analyst at {org},", f"{name} of {org}")
    if role == "protester":
        return (f"protester {name}", f"{name}, one of the marchers,")
    if role == "resident":
        return (f"{name}, a resident of {event.details.get('district', event.city.name)},", f"local resident {name}")
    if role == "plaintiff":
        return (f"plaintiff {name}", f"{name}, one of the plaintiffs,")
    if role == "witness":
        return (f"{name}, a passenger,", f"witness {name}", f"{name}, who lives nearby,")
    if role in ("economist", "diplomat", "lawyer"):
        article = "an" if role[0] in "aeiou" else "a"
        return (f"{role} {name}", f"{name}, {article} {role},")
    return (name,)


class Voice:
    """How one story names things: the outlet's spellings and forms, and who it has named yet.

    Used as the mapping `str.format_map` reads: ``{p0}`` gives the first-mention form the first
    time and the surname afterwards; ``{p0n}`` names in full and counts as the first mention.
    """

    def __init__(self, event: EventSpec, outlet: Outlet, published: datetime, rng: random.Random,
                 numbers: Mapping[str, int]) -> None:
        self.event = event
        self.numbers = dict(numbers)
        self.mentioned: set[int] = set()
        self.last_person: int | None = None
        self.names: list[tuple[str, str]] = []
        self.forms: list[str] = []
        for person in event.people:
            # An outlet spells a person one way in every story: the choice hangs on outlet and name.
            spelling_rng = random.Random(f"{outlet.slug}:{person.name}")
            full = person.variant if person.variant and spelling_rng.random() < 0.5 else person.name
            given, _, surname = full.partition(" ")
            self.names.append((full, surname or given))
            self.forms.append(rng.choice(first_mentions(person, full, event)))
        spell = outlet.slug < "m"  # some outlets write 'three', others '3'
        when = datetime.combine(event.date, datetime.min.time()) + timedelta(hours=event.hour)
        style = rng.choice((0, 0, 1, 2)) if not outlet.agency else 0
        day = day_phrase(when, published, style)
        evening = "in the evening" if day == "yesterday" else f"{day} evening"
        self.static: dict[str, str] = {
            "city": event.city.name, "country": event.country.name, "adj": event.country.adjective,
            "subject": event.subject, "variant": event.variant, "day": day, "evening": evening,
            "weekday": weekday_name(event.date),
            "verb_past": event.variant, "verb_now": {"upheld": "upholds", "struck down": "strikes down"}.get(
                event.variant, event.variant),
        }
        self.static.update(event.details)
        for index, org in enumerate(event.orgs):
            self.static[f"org{index}"] = org
        for key, value in self.numbers.items():
            if key in _TENTHS:
                self.static[key] = f"{value / 10:.1f}".removesuffix(".0") if key != "magnitude" else f"{value / 10:.1f}"
            else:
                self.static[key] = _number(value, spell and key in _SPELLABLE)
        if "crowd" in self.numbers:
            self.static["crowd2"] = _number(self.numbers["crowd"] * 2, False)
        if "judges" in self.numbers:
            self.numbers["minority"] = self.numbers["judges"] - self.numbers["majority"]
            self.static["minority"] = str(self.numbers["minority"])

    # -- the mapping protocol str.format_map uses
    def __getitem__(self, key: str) -> str:
        if key in self.static:
            return self.static[key]
        match = re.fullmatch(r"p(\d)(\w*)", key)
        if match is None:
            raise KeyError(key)
        index, part = int(match.group(1)), match.group(2)
        person = self.event.people[index]
        full, surname = self.names[index]
        if part == "":
            self.last_person = index
            if index in self.mentioned:
                return surname
            self.mentioned.add(index)
            return self.forms[index]
        if part == "n":
            self.mentioned.add(index)
            self.last_person = index
            return full
        values = {"s": surname, "r": person.role.lower(), "R": person.role[:1].upper() + person.role[1:],
                  "a": person.country.adjective, "c": person.country.name, "he": person.pronoun,
                  "his": person.possessive_pronoun}
        return values[part]

    def usable(self, template: str) -> bool:
        """False when the phrase names a figure that is zero for this event, or anything it lacks."""
        for _, field, _, _ in _FORMATTER.parse(template):
            if not field:
                continue
            if field in self.numbers and self.numbers[field] == 0:
                return False
            person = re.fullmatch(r"p(\d)\w*", field)
            if person is not None:
                if int(person.group(1)) >= len(self.event.people):
                    return False
            elif field not in self.static:
                return False
        return True

    def fill(self, template: str) -> str:
        return tidy(template.format_map(self))

    def headline(self, template: str) -> str:
        # A headline names people by surname and never counts as a mention in the body.
        mentioned, last = set(self.mentioned), self.last_person
        text = self.fill(template)
        self.mentioned, self.last_person = mentioned, last
        return text


def tidy(text: str) -> str:
    """Punctuation an apposition leaves behind (', the mayor,.'), possessives of plurals, and a
    capital to start (a sentence may also start with a figure or a quote)."""
    text = text.replace(",.", ".").replace(",,", ",").replace(",:", ":").replace(", ,", ",").replace("s's ", "s' ")
    text = re.sub(r"\s+", " ", text).strip()
    start = len(text) - len(text.lstrip('"'))
    if start < len(text) and text[start].isalpha():
        text = text[:start] + text[start].upper() + text[start + 1:]
    return text


def usable(voice: Voice, phrases: tuple[str, ...]) -> list[str]:
    return [p for p in phrases if voice.usable(p)]


def _quote_sentence(voice: Voice, speaker: int, text: str, rng: random.Random) -> str:
    if voice.last_person == speaker and speaker in voice.mentioned and rng.random() < 0.5:
        form = rng.choice(wording.PRONOUN_FORMS)
    else:
        form = rng.choice(wording.QUOTE_FORMS)
    sentences = re.split(r"(?<=[.!?]) ", text)
    if len(sentences) > 1 and '"{q},' in form and rng.random() < 0.4:
        first, rest = sentences[0], " ".join(sentences[1:])
        form = form.replace('"{q},', '"' + first[:-1] + ',').rstrip() + ' "' + rest + '"'
        text = first
    elif '"{q},' in form:
        text = text[:-1] if text.endswith(".") else text
        if text.endswith(("?", "!")):
            form = form.replace('"{q},', '"{q}')
    he = voice.event.people[speaker].pronoun
    filled = form.replace("{q}", text.replace("{", "{{").replace("}", "}}")).replace(
        "{who}", f"{{p{speaker}}}").replace("{he}", he)
    return voice.fill(filled)


def fact_phrases(event: EventSpec, key: str) -> tuple[str, ...]:
    """The wordings of one of the event's facts ('context:...' keys are about the place)."""
    if key.startswith("context:"):
        return CONTEXT[key.removeprefix("context:")]
    return FACTS[event.type][key]


def _lead(voice: Voice, event: EventSpec, rng: random.Random) -> str:
    if event.type in ("disaster", "accident"):
        openings = (wording.DISASTER_OPENINGS if event.type == "disaster" else wording.ACCIDENT_OPENINGS)
        opening = rng.choice(usable(voice, openings[event.variant]))
        impact = rng.choice(usable(voice, wording.IMPACTS) or list(wording.IMPACTS_NO_DEATHS))
        return voice.fill(opening + impact)
    return voice.fill(rng.choice(usable(voice, wording.LEADS[event.type])))


def headline_phrases(event: EventSpec) -> tuple[str, ...]:
    if event.type == "disaster":
        return wording.DISASTER_HEADLINES[event.variant]
    if event.type == "accident":
        return wording.ACCIDENT_HEADLINES[event.variant]
    return wording.HEADLINES[event.type]


def _headline(voice: Voice, event: EventSpec, rng: random.Random, title_case: bool) -> str:
    text = voice.headline(rng.choice(usable(voice, headline_phrases(event)) or list(headline_phrases(event))))
    return titled(text) if title_case else text


def titled(text: str) -> str:
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "over"}
    words = text.split(" ")
    return " ".join(w if (i and w in small) or not w[:1].islower() else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def dateline(event: EventSpec, outlet: Outlet, published: datetime) -> str | None:
    if outlet.agency:
        return f"{event.city.name.upper()}, {published:%B} {published.day} ({outlet.short}) —"
    return f"{event.city.name.upper()} —" if outlet.datelines else None


def signoff(outlet: Outlet, rng: random.Random) -> str | None:
    if not outlet.agency:
        return None
    if outlet.short == "APS":
        return f"(Reporting by {reporter(rng)}; Editing by {reporter(rng)})"
    return f"({outlet.short})"


def write_story(event: EventSpec, outlet: Outlet, published: datetime, numbers: Mapping[str, int],
                rng: random.Random) -> Story:
    """A story of `event` as `outlet` writes it, published at `published` with these figures."""
    voice = Voice(event, outlet, published, rng, numbers)
    headline = _headline(voice, event, rng, title_case=outlet.layout == 3)
    paragraphs = [_lead(voice, event, rng)]
    told = rng.sample(event.facts, k=min(len(event.facts), rng.randint(6, 11)))
    sentences = [p for p in (rng.choice(usable(voice, fact_phrases(event, k)) or [""]) for k in told) if p]
    quotes = rng.sample(list(event.quotes), k=rng.randint(1, len(event.quotes))) if event.quotes else []
    # After the lead a fact, then facts and quotes in the outlet's own order.
    middle: list[tuple[str, Any]] = [("detail", d) for d in sentences[1:]] + [("quote", q) for q in quotes]
    rng.shuffle(middle)
    beats: list[tuple[str, Any]] = [("detail", sentences[0]), *middle] if sentences else middle
    for kind, beat in beats:
        sentence = (_quote_sentence(voice, beat.speaker, beat.text, rng) if kind == "quote" else voice.fill(beat))
        if kind == "detail" and len(paragraphs) > 1 and rng.random() < 0.2 and not paragraphs[-1].endswith('"'):
            paragraphs[-1] += " " + sentence  # now and then two sentences share a paragraph
        else:
            paragraphs.append(sentence)
    return Story(headline=headline, paragraphs=tuple(paragraphs),
                 byline=outlet.name if outlet.agency and rng.random() < 0.3 else reporter(rng),
                 dateline=dateline(event, outlet, published), signoff=signoff(outlet, rng),
                 agency=outlet.name if outlet.agency else None)


def republish(original: Story, event: EventSpec, agency: Outlet, outlet: Outlet, published: datetime,
              numbers: Mapping[str, int], rng: random.Random) -> Story:
    """A newsroom's copy of an agency story: the same text, perhaps its own headline, perhaps cut short."""
    paragraphs = original.paragraphs
    if len(paragraphs) > 4 and rng.random() < 0.5:
        paragraphs = paragraphs[: len(paragraphs) - rng.randint(1, 2)]
    headline = original.headline
    if rng.random() < 0.5:
        headline = _headline(Voice(event, outlet, published, rng, numbers), event, rng,
                             title_case=outlet.layout == 3)
    return Story(headline=headline, paragraphs=paragraphs, byline=agency.name, dateline=original.dateline,
                 signoff=original.signoff, agency=agency.name)


def revise(story: Story, event: EventSpec, outlet: Outlet, published: datetime, numbers: Mapping[str, int],
           rng: random.Random) -> Story:
    """The same story later: final figures, one more paragraph, maybe a new headline and a note."""
    voice = Voice(event, outlet, published, rng, numbers)
    voice.mentioned = set(range(len(event.people)))  # everyone has been named by now
    toll = usable(voice, wording.TOLL_UPDATES) if event.type in ("disaster", "accident") else []
    added = voice.fill(rng.choice(toll or list(wording.GENERIC_UPDATES)))
    paragraphs = list(story.paragraphs)
    paragraphs.insert(min(len(paragraphs), rng.randint(1, 2)), added)
    headline = story.headline
    if toll or rng.random() < 0.4:
        headline = _headline(voice, event, rng, title_case=outlet.layout == 3)
    if outlet.agency:
        headline = "UPDATE 1-" + headline
    return replace(story, headline=headline, paragraphs=tuple(paragraphs),
                   note=rng.choice(wording.UPDATE_NOTES) if rng.random() < 0.7 else None)
