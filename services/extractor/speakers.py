"""Who said a quote: the cue verb near it and the subject of that verb."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from newsdesk.extractor.gazetteer import FEMALE_NAMES, MALE_NAMES
from newsdesk.extractor.linking import resolve_description
from newsdesk.extractor.mentions import Entity, Mention
from newsdesk.extractor.quotes import (
    INVERTABLE,
    NOT_INVERTED,
    PARTICIPLE,
    PRONOUN,
    SPEECH,
    QuoteSpan,
    sentence_end_after,
)

_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+((?:[A-Z][\w.’']*\s+)?(?:(?:former|top|chief|deputy|senior|foreign|defense|defence|prime|"
    r"vice|state)\s+)?(?:minister|president|secretary|spokesman|spokeswoman|spokesperson|diplomat|"
    r"premier|chancellor|governor|mayor|senator|ambassador|envoy|leader|chairman|director|official|"
    r"prosecutor|judge|candidate|congressman|congresswoman|lawmaker|general|commander|king|queen))\b")
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:but|while|and then|because)\b")


@dataclass(frozen=True)
class Ref:
    start: int
    end: int
    kind: str  # name, pronoun, description
    entity: int = -1


class Referents:
    """The expressions that can be a speaker, in text order, with pronoun resolution."""

    def __init__(self, text: str, mentions: list[Mention], entities: list[Entity],
                 quotes: list[QuoteSpan]) -> None:
        self.entities = entities
        self.text = text
        refs = [Ref(m.start, m.end, "name", m.entity) for m in mentions if m.entity >= 0]
        inside = _Inside(quotes)
        for m in PRONOUN.finditer(text):
            if not inside(m.start()):
                refs.append(Ref(m.start(), m.end(), "pronoun"))
        for m in _DESCRIPTION.finditer(text):
            if not inside(m.start()):
                refs.append(Ref(m.start(), m.end(), "description", resolve_description(m[1], entities)))
        refs.sort(key=lambda r: r.start)
        self.inside = inside
        self.refs = refs
        self.starts = [r.start for r in refs]
        speaking = {m.entity for m in mentions if m.entity >= 0 and text[m.end + 1:m.end + 2].islower()
                    and SPEECH.match(text, m.end + 1)}
        people = [m for m in mentions if m.entity >= 0 and entities[m.entity].kind in ("person", "unknown")
                  and (_looks_personal(entities[m.entity]) or m.entity in speaking)]
        self.person_starts = [m.start for m in people]
        self.person_entities = [m.entity for m in people]
        self.gender = [gender_of(e) for e in entities]

    def between(self, a: int, b: int) -> list[Ref]:
        return self.refs[bisect_left(self.starts, a): bisect_left(self.starts, b)]

    def last_person_before(self, pos: int, gender: str = "") -> int:
        """The latest person named before pos whose gender does not clash with the pronoun's."""
        i = bisect_right(self.person_starts, pos) - 1
        lowest = max(-1, i - 12)
        while i > lowest:
            idx = self.person_entities[i]
            if not gender or self.gender[idx] in ("", gender):
                return idx
            i -= 1
        return -1

    def resolve(self, ref: Ref) -> int:
        if ref.kind == "pronoun":
            word = self.text[ref.start:ref.end].lower()
            gender = "f" if word == "she" else "m"
            return self.last_person_before(ref.start, gender)
        return ref.entity


def gender_of(e: Entity) -> str:
    """'m', 'f' or '' from the given name or an honorific seen with the person."""
    first = e.name.split()[0].lower() if len(e.name.split()) > 1 else ""
    female, male = first in FEMALE_NAMES, first in MALE_NAMES
    if female != male:
        return "f" if female else "m"
    if e.role and e.role.lower().rstrip(".") in ("mrs", "ms", "miss", "queen", "princess", "congresswoman",
                                                 "chairwoman", "spokeswoman"):
        return "f"
    if e.role and e.role.lower().rstrip(".") in ("mr", "king", "prince", "congressman", "chairman", "spokesman"):
        return "m"
    return ""


def _looks_personal(e: Entity) -> bool:
    return e.kind == "person" or len(e.name.split()) >= 2


def speech_verbs(text: str, start: int, end: int, refs: Referents) -> list[re.Match[str]]:
    """Speech verbs of text[start:end] outside quotations."""
    return [v for v in SPEECH.finditer(text, start, end) if not refs.inside(v.start())]


class _Inside:
    """Is an offset inside a quotation? Quotes are sorted and do not overlap."""

    def __init__(self, quotes: list[QuoteSpan]) -> None:
        self.starts = [q.start for q in quotes]
        self.ends = [q.end for q in quotes]

    def __call__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def _first_ok(refs: list[Ref], resolver: Referents) -> int:
    """The first ref that resolves, preferring anything over a place ('Stacy Baker of
    Columbia, South Carolina says': the speaker is not South Carolina)."""
    fallback = -1
    for r in refs:
        idx = resolver.resolve(r)
        if idx < 0:
            continue
        if resolver.entities[idx].kind != "place":
            return idx
        if fallback < 0:
            fallback = idx
    return fallback


_OPEN_END = re.compile(r"[,?!—–-]\s*$")
_LOWER_WORD = re.compile(r"(?:,[^,]{1,80},)?\s+(?:also\s+|later\s+)?[a-z]+\b")
# '"...," remembered Roy Verley': any past-tense verb between a comma-closed quote and a name.
_INVERTED = re.compile(r"\s*[a-z]+ed\s+(?=[A-Z])")
_APPOSITION = re.compile(r"[’']?s?\s*,\s*(?:a|an|the|who|whose|its|his|her|their|one|[a-z]+ing)\b|\s*\(")
_COORDINATED = re.compile(r"\b(?:and|but)\s+(?:also\s+|then\s+|later\s+)?$")
_SIGNATURE = re.compile(r"[ \t]*(?:[―—–]|--)[ \t]*")
_CLOSED = re.compile(r"[.…]\s*$")
_NEXT_CAP = re.compile(r"\s*[A-Z]")


def speaker_after(text: str, q: QuoteSpan, limit: int, refs: Referents) -> int:
    """'"...," Blinken said' / '"...," said Blinken' / '"...," Blinken, the envoy, told reporters'.

    A quote ending its sentence ('..."  He also said') has no cue after it."""
    sig = _SIGNATURE.match(text, q.end)
    if sig:  # '"..." ― Esther Tapia': a signed quote
        names = refs.between(sig.end(), sig.end() + 2)
        if names and names[0].kind == "name":
            return refs.resolve(names[0])
    if _CLOSED.search(text, q.inner_start, q.inner_end) and _NEXT_CAP.match(text, q.end):
        return -1
    end = min(sentence_end_after(text, q.end, limit), q.end + 160)
    nxt = refs.between(q.end, q.end + 4)
    if nxt and _OPEN_END.search(text, q.inner_start, q.inner_end) and _LOWER_WORD.match(text, nxt[0].end):
        # '"...," Toomey fumed' / '"...?" he asked': the name right after the quote speaks
        idx = refs.resolve(nxt[0])
        if idx >= 0 and refs.entities[idx].kind != "place":
            return idx
    verbs = speech_verbs(text, q.end, end, refs)
    if not verbs:
        inv = _INVERTED.match(text, q.end)
        if inv and _OPEN_END.search(text, q.inner_start, q.inner_end):
            return _first_ok(refs.between(inv.end(), inv.end() + 4)[:1], refs)
        return -1
    verb = verbs[0]
    gap = text[q.end: verb.start()]
    if _CLAUSE_BREAK.search(gap) or len(gap.split()) > 14:
        return -1
    if gap.rstrip().endswith(",") and INVERTABLE.fullmatch(verb.group()):
        # '"..." for Clinton, said Kunin': the name after ', said' is the speaker
        idx = _first_ok(refs.between(verb.end(), min(end, verb.end() + 60))[:1], refs)
        if idx >= 0:
            return idx
    before_verb = refs.between(q.end, verb.start())
    if len(before_verb) > 1 and not _APPOSITION.match(text, before_verb[0].end):
        # '"..." than the CIA chief, Zuckoff said' / '"...," Huckabee spokeswoman Alice Stewart said':
        # the name next to the verb; but '"...," Jeff Sessions, an adviser to Trump, said': the first
        near = before_verb[-1]
        if len(text[near.end:verb.start()].split()) <= 2:
            idx = _first_ok([near], refs)
            if idx >= 0 and refs.entities[idx].kind != "place":
                return idx
    if before_verb:
        return _first_ok(before_verb, refs)
    if gap.strip(" ,—–-\t") == "" and not NOT_INVERTED.fullmatch(verb.group()):  # 'said Blinken'
        return _first_ok(refs.between(verb.end(), min(end, verb.end() + 60))[:1], refs)
    return -1


def _subject_of(text: str, verb: re.Match[str], sent_start: int, refs: Referents) -> int:
    """The subject of a speech verb: the name right before it ('Blinken said', 'Blinken, the
    envoy, said'), else the sentence's first name ('Carson took the stage ... and called')."""
    subj = refs.between(sent_start, verb.start())
    if not subj:
        return -1
    if _COORDINATED.search(text, max(sent_start, verb.start() - 12), verb.start()):
        return -1  # '... and said': the subject of the earlier verb (the caller tries it next)
    if _APPOSITION.match(text, subj[0].end):
        idx = _first_ok(subj[:1], refs)  # 'De Blasio, speaking on WOR710, called ...'
        if idx >= 0:
            return idx
    near = subj[-1]
    gap = text[near.end:verb.start()]
    if len(gap.split()) <= 3 or gap.lstrip().startswith(","):
        idx = _first_ok([near], refs)
        if idx >= 0 and refs.entities[idx].kind != "place":
            return idx
    return _first_ok(subj, refs)


def speaker_before(text: str, q: QuoteSpan, sent_start: int, refs: Referents) -> int:
    """'Blinken said: "..."' / 'Lavrov said Russia has "serious differences"' / 'According to X, "..."'."""
    verbs = speech_verbs(text, sent_start, q.start, refs)
    # A participle ('..., adding, "..."') shares the subject of the main verb before it.
    main = [v for v in verbs if not PARTICIPLE.fullmatch(v.group())]
    for verb in reversed(main or verbs):
        if PARTICIPLE.fullmatch(verb.group()):
            idx = _first_ok(refs.between(sent_start, verb.start()), refs)
        else:
            idx = _subject_of(text, verb, sent_start, refs)
        if idx >= 0:
            return idx
        after = refs.between(verb.end(), min(q.start, verb.end() + 60))
        if after and not _COORDINATED.search(text, max(sent_start, verb.start() - 12), verb.start()):
            idx = _first_ok(after[:1], refs)
            if idx >= 0:
                return idx
    if verbs:
        return _first_ok(refs.between(sent_start, verbs[0].start()), refs)
    return -1


def speaker_before_colon(text: str, q: QuoteSpan, sent_start: int, refs: Referents) -> int:
    """'... Republican pollster Daron Shaw: "..."'."""
    head = text[sent_start:q.start].rstrip()
    if not head.endswith(":"):
        return -1
    subj = refs.between(sent_start, sent_start + len(head))
    return _first_ok(list(reversed(subj))[:1], refs)


def speaker_in_sentence(text: str, start: int, end: int, refs: Referents) -> int:
    """The subject of a speech verb anywhere in a sentence (a neighbour of the quote)."""
    verbs = speech_verbs(text, start, end, refs)
    if not verbs:
        return -1
    verb = verbs[0]
    subj = refs.between(start, verb.start())
    if subj:
        return _first_ok(list(reversed(subj))[:2], refs)
    return _first_ok(refs.between(verb.end(), min(end, verb.end() + 60))[:1], refs)


def sentence_subject(text: str, start: int, end: int, refs: Referents) -> int:
    """The first name of a sentence, as its likely subject ('Trump mocked Rubio for "..."')."""
    return _first_ok(refs.between(start, end)[:2], refs)
