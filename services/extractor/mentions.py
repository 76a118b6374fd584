"""Rule-based mention finding: capitalised word runs, split into role, country and name,
then typed as person, organisation or place with the gazetteer.

One regex pass over the text finds the candidate runs; everything after works on those few
dozen runs, not on every token, which keeps the extractor fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from newsdesk.extractor.gazetteer import (
    CITIES,
    COUNTRY_NAMES,
    HONORIFICS,
    KNOWN_ORGS,
    NATIONALITIES,
    ORG_WORDS,
    REGIONS,
    ROLES,
    fuzzy_place,
    words_of,
)
from newsdesk.extractor.names import same_name
from newsdesk.extractor.quotes import trie_alternation

_UP = "A-ZÀ-ÖØ-Þ"
_WORD = (r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|St|Jr|Sr|Rev)\.(?=\s)"
         rf"|[{_UP}]\.(?:[{_UP}]\.)*|[{_UP}][\w’'\-]*(?<![’'\-]))")
_JOIN = r"(?:of|de|da|del|der|van|von|bin|ibn|al|la|le|du|dos|y)"
CAP_RUN = re.compile(rf"(?=[{_UP}])(?<![\w’'])({_WORD}(?:[ \t]+(?:{_JOIN}[ \t]+)?{_WORD})*)")

# Words that start a sentence or a clause and are never part of a name.
STOP_WORDS = frozenset(words_of("""
The A An In On At But And Or However He She They It We I You This That These Those After Before
When While As If Its His Her Their Our My Your Speaking Addressing According Meanwhile Also Still
Yet For From With Without By To Of Some Many Most No Not One Two Three Four Five Six Seven Eight
Nine Ten There Here What Who Why How Where Which Whose Whom Both Each Every All Any Such Then
Now Today Yesterday Tomorrow Last Next This Earlier Later Under Over Since Until During Despite
Amid Amidst Among Between Against Following Throughout Beyond Within Toward Towards Regarding
Including Given Besides Whether Whatever Whenever Adding Noting Saying Calling Asking Citing
Responding Referring Writing Describing Explaining Speaking Pointing Turning Hours Days Minutes
Weeks Months Years Others Everyone Everybody Nobody Someone Somebody Anyone Anybody
Former Then Acting Ex Late Retired Shortly Finally Currently Recently Initially Eventually
Similarly Additionally Ultimately Separately Previously Notably Importantly Overall Nevertheless
Nonetheless Furthermore Moreover Indeed Perhaps Clearly Obviously Apparently Reportedly Surprisingly
Unfortunately Fortunately Interestingly Specifically Likewise Otherwise Therefore Thus Hence Again
Once Twice About Around Across Through Into Onto Upon Instead Though Although Because
Unlike Like Even Only Just Mostly Already Sources Officials Police Witnesses Residents Experts
Critics Analysts Several Few Other Another More Less Asked Told Said Says Do Does Did Is Are Was
Were Be Been Has Have Had Will Would Can Could Should May Might Must Yes Oh Well So Please Thank
Thanks Dear Read Watch Click Sign Share Follow Subscribe Photo Video Editor's Note Update Breaking
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July
August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
"""))
_MONTH_WORDS = frozenset(words_of("January February March April May June July August September October "
                                  "November December"))

_WEEKDAYS = frozenset(words_of("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"))
_ROLE_MAX_WORDS = max(len(r.split()) for r in ROLES)
_ROLE_MODIFIERS = frozenset({"former", "deputy", "acting", "then", "interim", "assistant", "vice", "senior",
                             "top", "chief", "incoming", "outgoing", "ex", "late", "state", "federal",
                             "foreign", "defense", "defence"})


# Titles that take a department or body before them: 'Transport Minister', 'U.N. Secretary-General'.
_HEAD_ROLES = frozenset({"minister", "secretary", "secretary-general", "director", "chief", "spokesman",
                         "spokeswoman", "spokesperson", "commissioner", "governor", "president", "chairman",
                         "chairwoman", "leader", "ambassador", "envoy", "commander", "director-general"})


@dataclass(slots=True)  # thousands per article: slots make them smaller and quicker to make
class Mention:
    start: int
    end: int
    text: str  # the name part, roles and country words removed
    kind: str  # person, organization, place, unknown
    role: str | None = None
    country: str | None = None
    entity: int = -1  # index into the entity table once linked
    strong: bool = False  # typed by evidence (a title, a gazetteer hit), not guessed


@dataclass(slots=True)
class Entity:
    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    role: str | None = None
    country: str | None = None
    affiliation: str | None = None
    mentions: int = 0


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip("’'")


def _country_word(word: str) -> str | None:
    w = _strip_possessive(word)
    return NATIONALITIES.get(w) or COUNTRY_NAMES.get(w) or COUNTRY_NAMES.get(w.rstrip("."))


def _take_role(words: list[str], i: int) -> tuple[str | None, int]:
    """The longest role starting at words[i] (case-insensitive), with its modifiers."""
    j = i
    while j < len(words) and words[j].lower() in _ROLE_MODIFIERS:
        j += 1
    for size in range(min(_ROLE_MAX_WORDS, len(words) - j), 0, -1):
        cand = " ".join(words[j: j + size]).lower()
        if cand in ROLES:
            return " ".join(words[i: j + size]), j + size
    return None, i


def classify(run: str, start: int) -> Mention | None:
    """Split a capitalised run into role / country / name and type the name."""
    parsed = _parse_run(run)
    if parsed is None:
        return None
    offset, name, kind, role, country, strong = parsed
    return Mention(start + offset, start + offset + len(name), name, kind, role, country, strong=strong)


# The same runs ('Trump', 'The', 'Secretary of State Blinken') recur within and across
# articles: parsing each distinct run once is most of the extractor's speed.
@lru_cache(maxsize=65536)
def _parse_run(run: str) -> tuple[int, str, str, str | None, str | None, bool] | None:
    words = run.split()
    # Leading stop words ('The', 'But', a month, ...) never belong to a name.
    i = 0
    while i < len(words) and (words[i] in STOP_WORDS or words[i].rstrip(".") in STOP_WORDS):
        i += 1
    role: str | None = None
    country: str | None = None
    strong = False
    while i < len(words) - 1:
        pair = words[i] + " " + words[i + 1]
        if pair in NATIONALITIES and i + 2 < len(words) and _take_role(words, i + 2)[0] is not None:
            country, i = NATIONALITIES[pair], i + 2  # 'South Korean President ...'
            continue
        c = _country_word(words[i])
        if c and pair not in COUNTRY_NAMES and pair not in CITIES and pair not in KNOWN_ORGS:
            # 'U.S. Secretary...', 'Russian President...', "Russia's Lavrov"; not 'American Airlines'
            if _take_role(words, i + 1)[0] is not None or words[i].endswith(("'s", "’s")):
                country = c
                i += 1
                continue
            break
        r, j = _take_role(words, i)
        if r is None and i + 2 < len(words) and words[i + 1].lower() in _HEAD_ROLES:
            # 'Transport Minister Matteo Salvini', 'U.N. Secretary-General Antonio Guterres'
            r, j = _take_role(words, i + 1)
            if r is not None:
                r = f"{words[i]} {r}"
        if r is None:
            # A state or city before a title: 'Florida Gov. Jeb Bush', 'New York Congressman Pete King'
            for size in (1, 2):
                place = " ".join(words[i:i + size])
                if place in CITIES and _take_role(words, i + size)[0] is not None:
                    country = country or CITIES[place]
                    r, j = _take_role(words, i + size)
                    break
        if r is None or j >= len(words):
            break
        strong = True
        if words[i].lower() not in HONORIFICS:
            role = r if role is None else f"{role} {r}"
        i = j
    name_words = words[i:]
    if "of" in name_words and not any(w.lower() in ORG_WORDS for w in name_words):
        # 'Stacy Baker of Columbia': a person and where they are from
        name_words = name_words[: name_words.index("of")]
    if not name_words:
        return None
    while len(name_words) > 1 and _strip_possessive(name_words[-1]) in _WEEKDAYS:
        name_words.pop()  # 'posted on Twitter Friday': the day is not part of the name
    name_words[-1] = _strip_possessive(name_words[-1])
    name = " ".join(name_words)
    if not name or name in STOP_WORDS or name in _MONTH_WORDS or name.lower() == name:
        return None
    offset = max(0, run.find(name_words[0]))
    if strong:
        kind = "person"
        if name in KNOWN_ORGS:
            kind = "organization"
        elif name in CITIES or name in COUNTRY_NAMES:
            kind = "place"
    elif name in KNOWN_ORGS or any(w.lower() in ORG_WORDS for w in name_words):
        kind, strong = "organization", True
    elif name in CITIES or name in COUNTRY_NAMES or name in REGIONS:
        kind, strong = "place", True
    elif name in NATIONALITIES:
        return None
    elif fuzzy_place(name, same_name) is not None:
        name_words = [name]  # keep the article's spelling; linking maps it to the gazetteer's
        kind, strong = "place", True
    else:
        kind = "unknown"
    return offset, name, kind, role, country, strong


# Prefix tries rather than flat alternations: these are tried at many positions of every text.
_NATIONALITY_ALT = trie_alternation(list(NATIONALITIES))
_LOWER_ROLE_ALT = trie_alternation([r for r in ROLES if r[-1] != "." and " for" not in r])
# A lowercase title before a name: "his Russian counterpart Sergei Lavrov", "spokesman John Kirby".
_PRE_ROLE = re.compile(rf"(?:\b({_NATIONALITY_ALT})\s+)?((?:(?:former|deputy|acting|top|chief|then|senior)\s+)?"
                       rf"(?:{_LOWER_ROLE_ALT}|counterpart))\s+$")


# Last words of lowercase titles: a cheap test before the costly _PRE_ROLE search.
_ROLE_ENDINGS = frozenset({r.split()[-1] for r in ROLES if r[-1] != "."} | {"counterpart"})


# 'Karl Dorn, a spokesman for the Finance Ministry,' -> role spokesman, affiliation Finance Ministry
APPOSITIVE_ROLE = re.compile(
    rf",\s+(?:a|an|the)\s+((?:[a-z-]+\s+){{0,2}}(?:{_LOWER_ROLE_ALT}))\b(?:\s+(?:for|of|at|with|in)\s+(?:the\s+)?"
    rf"((?:[{_UP}][\w’'&.-]*)(?:\s+(?:of\s+|for\s+|and\s+)?[{_UP}][\w’'&.-]*)*))?")


def find_mentions(text: str, quote_spans: list[tuple[int, int]]) -> list[Mention]:
    """Mentions of the text outside quotations, in order."""
    out: list[Mention] = []
    rejected: list[tuple[int, str]] = []  # single words that look like common words
    # Only the stretches between quotations are scanned: a run cannot cross a quotation mark,
    # and skipping the quoted words costs less than testing every run against the quotes.
    gaps = [(a[1], b[0]) for a, b in pairwise([(0, 0), *quote_spans, (len(text), len(text))]) if a[1] < b[0]]
    for gap_start, gap_end in gaps:
        for m in CAP_RUN.finditer(text, gap_start, gap_end):
            s = m.start()
            run = m.group(1)
            mention = classify(run, s)
            if mention is None:
                if " " not in run:
                    rejected.append((s, run))
                continue
            # the cheap test first: a lowercase title before the name ends in a lowercase letter
            if (mention.start == s and mention.kind in ("unknown", "person") and s >= 2
                    and (text[s - 2].islower() or text[s - 2].isspace())
                    and "".join(text[max(0, s - 16):s].rsplit(None, 1)[-1:]) in _ROLE_ENDINGS):
                pre = _PRE_ROLE.search(text, max(0, s - 50), s)
                if pre:
                    mention.kind, mention.strong = "person", True
                    if pre[2] != "counterpart" and mention.role is None:
                        mention.role = pre[2]
                    if pre[1] and mention.country is None:
                        mention.country = NATIONALITIES[pre[1]]
            out.append(mention)
    _surnames_like_words(text, out, rejected)
    _places_named_with_country(text, out)
    return out


# 'in May', 'since March': a month or a common word after these is not a surname
_AFTER_PREPOSITION = re.compile(r"\b(?:in|on|by|since|until|from|last|next|early|late|mid|of|to|for)\s+$", re.I)


def _surnames_like_words(text: str, mentions: list[Mention], rejected: list[tuple[int, str]]) -> None:
    """'Mark Cuban ... Cuban said', 'George Will ... Will wrote', 'Theresa May ... May said': a
    surname that is also a common, nationality or month word is a name once the article has
    given the full name."""
    words = {word for _, word in rejected}
    surnames = {last for m in mentions if (last := m.text.rpartition(" ")[2]) in words
                and m.kind in ("person", "unknown") and " " in m.text}
    if not surnames:
        return
    found = [Mention(s, s + len(word), word, "unknown") for s, word in rejected
             if word in surnames and not _AFTER_PREPOSITION.search(text, max(0, s - 8), s)]
    if found:
        mentions.extend(found)
        mentions.sort(key=lambda m: m.start)


def _places_named_with_country(text: str, mentions: list[Mention]) -> None:
    """'Valparaíso, Chile' and 'VALPARAÍSO, Chile, May 20 -': a name the gazetteer lacks, written
    with its country right after it, is a place in that country (datelines, first mentions)."""
    for first, second in pairwise(mentions):
        if (first.kind == "unknown" and len(first.text.split()) <= 3 and second.kind == "place"
                and second.text in COUNTRY_NAMES and text[first.end:second.start] == ", "
                # not "Erlan Sadykov, Kazakhstan's foreign minister": an apposition about a person
                and text[second.end:second.end + 1] not in ("'", "’")):
            first.kind, first.strong = "place", True
            first.country = first.country or COUNTRY_NAMES[second.text]
            if first.text.isupper():
                first.text = first.text.title()  # the dateline's capitals are typography
