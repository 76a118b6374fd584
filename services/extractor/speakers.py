"""Who said a quote: the cue verb near it and the subject of that verb."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from newsdesk.extractor.gazetteer import FEMALE_NAMES, MALE_NAMES, words_of
from newsdesk.extractor.linking import resolve_description
from newsdesk.extractor.mentions import Entity, Mention
from newsdesk.extractor.quotes import (
    INVERTABLE,
    NOT_INVERTED,
    PARTICIPLE,
    SPEECH,
    QuoteSpan,
    sentence_end_after,
    trie_alternation,
)

_MODIFIER_WORDS = words_of("""
former top chief deputy senior foreign defense defence prime vice state presidential presumptive likely
party campaign front-running independent longtime veteran outgoing incoming then
""")
_HEAD_WORDS = [*words_of("""
nominee front-runner frontrunner minister president secretary spokesman spokeswoman spokesperson diplomat
premier chancellor governor mayor senator ambassador envoy leader chairman chairwoman director official
prosecutor judge candidate congressman congresswoman lawmaker general commander king queen businessman
businesswoman billionaire mogul tycoon host anchor pope pontiff columnist commentator pollster economist
professor activist lawyer attorney strategist adviser advisor aide investor entrepreneur actor actress
singer star coach executive founder sheriff bishop cardinal rabbi pastor preacher neurosurgeon surgeon
doctor author writer novelist historian representative delegate hopeful contender incumbent challenger
"""), "first lady"]
# 'the Russian foreign minister', 'the New Jersey governor': up to three capitalised words or
# modifiers before a title. Both word lists are prefix tries: a flat alternation is tried
# branch by branch at every 'the' of the text.
_DESCRIPTION = re.compile(
    rf"\b[Tt]he\s+((?:(?:[A-Z][\w.’'-]*|{trie_alternation(_MODIFIER_WORDS)})\s+){{0,3}}"
    rf"{trie_alternation(_HEAD_WORDS)})\b")
# Pronouns and descriptions in one scan (one pass over the text is most of their cost). The
# pattern opens with a character class so that the engine skips, in C, every position that
# cannot start either; the lookbehinds after that first letter are the word boundary and say
# which of he / she / the it was. Group 1 is set for a pronoun, group 2 is the description.
_REFERRING = re.compile(r"[HhSsTt](?<!\w[HhSsTt])(?:((?<=[Hh])e|(?<=[Ss])he)\b|(?<=[Tt])"
                        + _DESCRIPTION.pattern[len(r"\b[Tt]"):] + ")")
# Between a quote and a verb these start another clause, whose verb is not the quote's:
# 'Sims says he was "riding the fence" until Haley said ...'.
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+and\b|\b(?:but|while|and then|because|until|unless|although|whereas)\b")


class Ref(NamedTuple):  # a tuple: thousands are made per article, a frozen dataclass is slower
    start: int
    end: int
    kind: str  # name, pronoun, description
    entity: int = -1


class Referents:
    """The expressions that can be a speaker, in text order, with pronoun resolution."""

    def __init__(self, text: str, mentions: list[Mention], entities: list[Entity],
                 quotes: list[QuoteSpan], sentence_starts: list[int] | None = None) -> None:
        self.entities = entities
        self.text = text
        # Judged once per entity, not per mention; a speech verb after a mention is looked for
        # only where it decides something (a person-like entity that does not look personal).
        personal = [e.kind in ("person", "unknown") and _looks_personal(e) for e in entities]
        undecided = {i for i, e in enumerate(entities) if e.kind == "unknown" and not personal[i]}
        speaking = {m.entity for m in mentions if m.entity in undecided and text[m.end + 1:m.end + 2].islower()
                    and SPEECH.match(text, m.end + 1)}
        people = [m for m in mentions if m.entity >= 0 and (personal[m.entity] or m.entity in speaking)]
        self.person_starts = [m.start for m in people]
        self.person_entities = [m.entity for m in people]
        self.person_ends = [m.end for m in people]
        self.sentence_starts = sentence_starts or [0]
        self._gender: dict[int, str] = {}
        self._can_speak: dict[int, bool] = {}
        refs = [_for_someone(text, r, entities) if text.startswith(_APOSTROPHES, r.end) else r
                for r in _name_refs(text, [m for m in mentions if m.entity >= 0], entities)]
        inside = _Inside(quotes)
        by_start = {m.start: m.entity for m in mentions}
        by_end: dict[int, int] | None = None  # made when a description first needs it
        spans: list[tuple[int, int]] = []
        for m in _REFERRING.finditer(text):
            if inside(m.start()):
                continue
            if m[1]:
                refs.append(Ref(m.start(), m.end(), "pronoun"))
                continue
            # 'the presumptive nominee Donald Trump': the name that follows is who it is
            idx = by_start.get(m.end() + 1, -1) if text[m.end():m.end() + 1] == " " else -1
            if idx < 0 and text[m.start() - 2:m.start()] == ", ":
                # 'Joe Arpaio, the Arizona sheriff,': an apposition is the name before it
                if by_end is None:
                    by_end = {m.end: m.entity for m in mentions
                              if m.entity >= 0 and entities[m.entity].kind == "person"}
                idx = by_end.get(m.start() - 2, -1)
            if idx < 0:
                idx = resolve_description(m[2], entities)
            if idx < 0 and not any(w[:1].isupper() for w in m[2].split()):
                # 'the senator said': a bare title points back, like a pronoun, to the person
                # the text is about
                idx = self.last_person_before(m.start())
            if idx < 0:
                # No one person fits: the description as written is the best speaker we have
                # ('the Democratic presidential candidate'), not a word inside it ('Democratic').
                entities.append(Entity(m[0][0].lower() + m[0][1:], "description"))
                idx = len(entities) - 1
            refs.append(Ref(m.start(), m.end(), "description", idx))
            spans.append((m.start(), m.end()))
        if spans:
            within = _Spans(spans)
            refs = [r for r in refs if r.kind != "name" or not within(r.start)]
        refs.sort(key=lambda r: r.start)
        self.inside = inside
        self.refs = refs
        self.starts = [r.start for r in refs]

    def gender(self, idx: int) -> str:
        g = self._gender.get(idx)
        if g is None:
            g = self._gender[idx] = gender_of(self.entities[idx])
        return g

    def between(self, a: int, b: int) -> list[Ref]:
        return self.refs[bisect_left(self.starts, a): bisect_left(self.starts, b)]

    def last_person_before(self, pos: int, gender: str = "") -> int:
        """The latest person named before pos whose gender does not clash with the pronoun's."""
        i = bisect_right(self.person_starts, pos) - 1
        lowest = max(-1, i - 12)
        while i > lowest:
            idx = self.person_entities[i]
            if not gender or self.gender(idx) in ("", gender):
                return self._sentence_subject(i, gender)
            i -= 1
        return -1

    def _subject_like(self, j: int) -> bool:
        """Not a possessive ("Rubio's response") nor a preposition's object ('spoke with Rubio'):
        those are rarely what a later pronoun points back to."""
        start, end = self.person_starts[j], self.person_ends[j]
        if self.text[end:end + 2] in ("'s", "’s"):
            return False
        return not _after_preposition(self.text, start)

    def _sentence_subject(self, i: int, gender: str) -> int:
        """A pronoun points back to the subject of the sentence that last named a fitting
        person more often than to that sentence's last name ('Zeldin, a Trump supporter,
        said ... "...," he said')."""
        pos = self.person_starts[i]
        sent = self.sentence_starts[max(0, bisect_right(self.sentence_starts, pos) - 1)]
        j = bisect_left(self.person_starts, sent)
        while j < i:
            idx = self.person_entities[j]
            if (not gender or self.gender(idx) in ("", gender)) and self._subject_like(j):
                return idx
            j += 1
        return self.person_entities[i]

    def resolve(self, ref: Ref) -> int:
        if ref.kind == "pronoun":
            word = self.text[ref.start:ref.end].lower()
            gender = "f" if word == "she" else "m"
            return self.last_person_before(ref.start, gender)
        return ref.entity if ref.entity >= 0 and self.can_speak(ref.entity) else -1

    def can_speak(self, idx: int) -> bool:
        """False for capitalised words that cannot be a speaker: an initial, a sentence adverb
        ('Conversely, ...') or a common word capitalised only because it opens a sentence
        ('Outside the court ...', also written 'outside' in the article)."""
        known = self._can_speak.get(idx)
        if known is None:
            known = _can_speak(self.entities[idx], self.text)
            self._can_speak[idx] = known
        return known


def gender_of(e: Entity) -> str:
    """'m', 'f' or '' from the given name or an honorific seen with the person."""
    words = e.name.lower().split()
    # the given name is the first word, or the second after a stray qualifier ('Democrat Hillary Clinton')
    for first in words[:2] if len(words) > 2 else words[:1] if len(words) > 1 else []:
        female, male = first in FEMALE_NAMES, first in MALE_NAMES
        if female != male:
            return "f" if female else "m"
    if e.role and e.role.lower().rstrip(".") in ("mrs", "ms", "miss", "queen", "princess", "congresswoman",
                                                 "chairwoman", "spokeswoman"):
        return "f"
    if e.role and e.role.lower().rstrip(".") in ("mr", "king", "prince", "congressman", "chairman", "spokesman"):
        return "m"
    return ""


_PREPOSITIONS = frozenset({"with", "of", "to", "for", "by", "against", "about", "from", "on", "at", "in", "than"})
_PARTY_TAG = re.compile(r"[A-Z]{1,2}-[A-Z][A-Za-z]{1,4}\.?")
_PARTY_WORDS = frozenset({"Republican", "Democratic", "Democrat", "Conservative", "Liberal", "Independent",
                          "GOP", "Labour", "Tory"})
_ARTICLE_BEFORE = re.compile(r"\b(?:[Tt]he|an?|A|An)\s+$")
_DETERMINER_BEFORE = re.compile(r"\b(?:one|a|an|another|two|three|several|some|many|other)\s+"
                                r"(?:[a-z-]+\s+){0,2}$")
_LOWER_NEXT = re.compile(r"\s+[a-z]")
_LOWER_WORDS = re.compile(r"(?:\s+[a-z][a-z-]*){1,4}\s+")


def _name_refs(text: str, mentions: list[Mention], entities: list[Entity]) -> list[Ref]:
    """Name refs; a party tag or a party adjective stands for the person it qualifies:
    'Sen. Elizabeth Warren (D-MA) said', 'Republican presidential nominee Donald Trump said'."""
    refs = []
    for k, m in enumerate(mentions):
        entity = m.entity
        if k > 0 and text.startswith("(", m.start - 1) and _PARTY_TAG.fullmatch(m.text) \
                and mentions[k - 1].end >= m.start - 3:
            entity = mentions[k - 1].entity
        elif m.text in _PARTY_WORDS or m.text.rstrip("s") in _PARTY_WORDS:
            det = _DETERMINER_BEFORE.search(text, max(0, m.start - 40), m.start)
            if det:
                # 'one senior Democrat said': the person is unnamed; the phrase says who it is
                # better than the party word alone
                entities.append(Entity(text[det.start():m.end], "description"))
                refs.append(Ref(det.start(), m.end, "description", len(entities) - 1))
                continue
            if m.text in _PARTY_WORDS and k + 1 < len(mentions) \
                    and not _ARTICLE_BEFORE.search(text, max(0, m.start - 5), m.start):
                gap = _LOWER_WORDS.fullmatch(text, m.end, mentions[k + 1].start)
                if gap is not None:
                    entity = mentions[k + 1].entity
                elif _LOWER_NEXT.match(text, m.end):
                    continue  # 'Democratic claims', 'Republican voters': an adjective, nobody speaks
        refs.append(Ref(m.start, m.end, "name", entity))
    return refs


# "Grayson's spokeswoman", "Sanders' campaign manager": someone speaking for the person named
_FOR_SOMEONE = re.compile(r"[’']s?[ \t]+((?:[a-z-]+[ \t]+){0,2}?(?:campaign|spokesman|spokeswoman|spokesperson|"
                          r"spokesmen|office|aides?|advisers?|advisors?|team|lawyers?|attorneys?|staff|camp|"
                          r"allies|supporters|administration|government|representatives?|press secretary|"
                          r"chief of staff|campaign manager|communications director|wife|husband|son|daughter))\b"
                          r"(?![ \t]+(?:of|to)\b)")


_APOSTROPHES = ("'", "’")


def _for_someone(text: str, ref: Ref, entities: list[Entity]) -> Ref:
    """A possessive name before a spokesperson-like noun is not the speaker: the phrase is."""
    if ref.kind != "name":
        return ref
    m = _FOR_SOMEONE.match(text, ref.end)
    if m is None or ref.entity < 0 or entities[ref.entity].kind in ("place", "organization"):
        return ref
    owner = entities[ref.entity].name
    entities.append(Entity(f"{owner}{'’' if owner.endswith('s') else '’s'} {m[1]}", "description"))
    return Ref(ref.start, m.end(), "description", len(entities) - 1)


def _can_speak(e: Entity, text: str) -> bool:
    name = e.name
    if len(name.rstrip(".")) < 2:
        return False
    if e.kind != "unknown" or " " in name or e.role:
        return True
    if name.endswith("ly") and re.search(rf"(?:^|[.!?”\"]\s+){re.escape(name)}(?:,|\s+[a-z]+ing\b)", text, re.M):
        return False  # 'Conversely, ...', 'Hastily criticizing ...': a sentence adverb
    if re.search(r"[’'](?:d|ll|re|ve|m)$", name):
        return False  # "I'd", "We're": a contraction is no name
    # A single unknown word also written in lower case is an ordinary word, not a name.
    lower = name.lower()
    return lower not in text or re.search(rf"(?<![\w’']){re.escape(lower)}(?![\w’'])", text) is None


def _after_preposition(text: str, pos: int) -> bool:
    before = text[max(0, pos - 9):pos].split()
    return bool(before) and before[-1] in _PREPOSITIONS


def _looks_personal(e: Entity) -> bool:
    # more than four capitalised words is a headline or a title, not somebody's name
    return e.kind == "person" or 2 <= len(e.name.split()) <= 4


# 'to the states', 'his claims', 'in these comments': after a determiner the word is a noun.
_DETERMINER_END = re.compile(r"(?:\b(?:the|a|an|his|her|its|their|our|my|your|this|these|those|such|whose)"
                             r"|\w[’']s)\s+$")


def speech_verbs(text: str, start: int, end: int, refs: Referents) -> list[re.Match[str]]:
    """Speech verbs of text[start:end] outside quotations (not nouns spelt like one)."""
    return [v for v in SPEECH.finditer(text, start, end) if not refs.inside(v.start())
            and (v.group()[-1] not in "sg"  # only 'claims', 'warning'... can be nouns
                 or not _DETERMINER_END.search(text, max(0, v.start() - 7), v.start()))]


class _Spans:
    """Is an offset inside one of these sorted, non-overlapping spans?"""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def __call__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


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
# ', the envoy,', ', who ...', ' (R-Texas)', and an age: 'Cory James, 22, of Flint, Mich., said'
_APPOSITION = re.compile(r"[’']?s?\s*,\s*(?:a|an|the|who|whose|its|his|her|their|one|[a-z]+ing)\b|\s*\("
                         r"|\s*,\s*\d{1,3}\s*,")
_COORDINATED = re.compile(r"\b(?:and|but)\s+(?:also\s+|then\s+|later\s+)?$")
_SIGNATURE = re.compile(r"[^\S\n]*(?:[―—–]|--)[^\S\n]*")  # no-break spaces too
_PASSIVE_ASKED = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:[a-z]+ly\s+)?$")
_AND_NEXT = re.compile(r"\s*(?:and|or)\s+[A-Z][^,]*")
_PASSIVE_BEFORE = re.compile(r"\b[a-z]+(?:ed|en|wn)\s+(?:as\s+)?(?:(?:an?|the|his|her|its|their)\s+)?"
                             r"(?:[a-z-]+\s+)?$")
# 'by Democrats', 'by host Bill Maher'; not 'by reporters whether Clinton ...'
_BY = re.compile(r"[ \t]+by[ \t]+(?:the[ \t]+)?(?:(?!(?:whether|that|if|about|on|in|at|for|to|with|and|or|when|"
                 r"why|how|what|who)\b)[a-z]+[ \t]+){0,2}?(?=[A-Z])")
_CLOSED = re.compile(r"[.…]\s*$")
_BLANK = re.compile(r"\s*")
_NEXT_CAP = re.compile(r"\s*[A-Z]")


def speaker_after(text: str, q: QuoteSpan, limit: int, refs: Referents) -> int:
    """'"...," Blinken said' / '"...," said Blinken' / '"...," Blinken, the envoy, told reporters'.

    A quote ending its sentence ('..."  He also said') has no cue after it."""
    sig = _SIGNATURE.match(text, q.end)
    if sig and not text[text.rfind("\n", 0, q.start) + 1:q.start].strip():
        # '"..." ― Esther Tapia': a signed quote opens its line; not '... "the No. 1 force."--Kim
        # Hjelmgaard' (the reporter's byline after a paragraph of reported speech)
        names = refs.between(sig.end(), sig.end() + 2)
        if names and names[0].kind == "name":
            return refs.resolve(names[0])
    if _BLANK.fullmatch(text, q.end, limit):
        return -1  # the quote ends its paragraph: what follows is about something else
    by = _BY.match(text, q.end)
    if by and _PASSIVE_BEFORE.search(text, max(0, q.start - 40), q.start):
        # 'labeled a "witch hunt" by Democrats': the agent of a passive verb said it; not 'an
        # outlet for those "both nauseated and terrified" by Trump'
        idx = _agent(text, by.end(), refs)
        if idx >= 0:
            return idx
    if _CLOSED.search(text, q.inner_start, q.inner_end) and _NEXT_CAP.match(text, q.end):
        return -1
    nxt = refs.between(q.end, min(limit, q.end + 4))
    if nxt and _OPEN_END.search(text, q.inner_start, q.inner_end) and _LOWER_WORD.match(text, nxt[0].end):
        # '"...," Toomey fumed' / '"...?" he asked': the name right after the quote speaks
        idx = refs.resolve(nxt[0])
        if idx >= 0 and refs.entities[idx].kind != "place":
            return idx
    end = sentence_end_after(text, q.end, min(limit, q.end + 160))
    verbs = speech_verbs(text, q.end, end, refs)
    if not verbs:
        inv = _INVERTED.match(text, q.end)
        if inv and _OPEN_END.search(text, q.inner_start, q.inner_end):
            return _first_ok(refs.between(inv.end(), inv.end() + 4)[:1], refs)
        return -1
    verb = verbs[0]
    gap = text[q.end: verb.start()]
    if _CLAUSE_BREAK.search(gap) or _AND_NEXT.fullmatch(gap) \
            or _COORDINATED.search(text, max(q.end, verb.start() - 12), verb.start()):
        # '... "leading from behind" and Trump says ...', '... to back Trump, and suggested': the
        # verb belongs to another clause, or shares the subject of the verb before the quote
        return -1
    if len(gap.split()) > 14:
        # A cue that far from the quote is another clause's, unless it closes the sentence:
        # '... a "summer of agony" for Clinton ..., forcing her to ..., said Brad Bannon.'
        return _closing_inverted_cue(text, verb, gap, end, refs)
    if gap.rstrip().endswith(",") and INVERTABLE.fullmatch(verb.group()):
        # '"..." for Clinton, said Kunin': the name after ', said' is the speaker
        idx = _inverted_subject(text, verb, end, refs)
        if idx >= 0:
            return idx
    # '"kept us safe" on Twitter before claiming ...': a preposition's object is not the subject
    before_verb = [r for r in refs.between(q.end, verb.start()) if not _after_preposition(text, r.start)]
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
    unnamed = _UNNAMED.fullmatch(text, q.end, verb.start() - 1) if _OPEN_END.search(
        text, q.inner_start, q.inner_end) else None
    if unnamed:  # '"...," a senior official said'
        refs.entities.append(Entity(unnamed[1], "description"))
        return len(refs.entities) - 1
    # 'said Blinken'; not '..., noting conditions in China': a participle's next name is its object
    if gap.strip(" ,—–-\t") == "" and not NOT_INVERTED.fullmatch(verb.group()) \
            and not PARTICIPLE.fullmatch(verb.group()):
        return _inverted_subject(text, verb, end, refs)
    return -1


_MARK_IN = re.compile(r"[“”\"]")


def _closing_inverted_cue(text: str, verb: re.Match[str], gap: str, end: int, refs: Referents) -> int:
    """', said Brad Bannon, a Democratic pollster.' at the end of the quote's sentence: in news an
    inverted cue after a comma attributes the whole sentence, however long the paraphrase around
    the quoted words. Not when another quotation stands between (the cue is that one's)."""
    if not (gap.rstrip().endswith(",") and INVERTABLE.fullmatch(verb.group())) or _MARK_IN.search(gap):
        return -1
    return _inverted_subject(text, verb, end, refs)


def _inverted_subject(text: str, verb: re.Match[str], end: int, refs: Referents) -> int:
    """'said Kunin'; '"...," said a senior law enforcement official' (who it is, unnamed); not
    'said a person close to the Clintons' (a name inside the description)."""
    unnamed = _DESCRIBED.match(text, verb.end(), end) or _UNNAMED.match(text, verb.end(), end)
    if unnamed:
        refs.entities.append(Entity(unnamed[1], "description"))
        return len(refs.entities) - 1
    return _first_ok(refs.between(verb.end(), min(end, verb.end() + 60))[:1], refs)


# '"...," added a South Carolina Democrat', 'said one longtime adviser to Bill Clinton': an unnamed
# speaker described by a noun phrase up to its clause's end
_DESCRIBED = re.compile(r"[ \t]+((?:a|an|one|another)[ \t]+(?:[A-Z]\.|[^,;:.!?“”\"\n()]){2,70}?)"
                        r"(?=[ \t]*(?:[,;:.!?(]|$)|[ \t]+(?:who|which|that|said|says|told|added|on|at|after|before|"
                        r"during|when|while|as|last|yesterday|today|earlier|later|because)\b)")
# up to four words before the head noun, none a preposition: not 'A letter to committee members'
_MODIFIERS = r"(?:(?!(?:to|for|of|at|with|from|in|by|on|who|that)\b)[\w.-]+\s+){0,4}?"
_OF_WHOM = re.compile(r"\s+(?:for|of|at|with|from|in)\s+[^,;:“\"\n]{1,80}?"
                      r"(?=\s+(?:has\s+|had\s+|later\s+|also\s+)?$)")
_UNNAMED_OPENING = re.compile(rf"[\s“\"]*((?:A|An|One|Another|Two|Three|Several|Some)\s+{_MODIFIERS}"
                              r"(?:official|officials|spokesman|spokeswoman|spokesperson|aide|aides|adviser|"
                              r"advisers|advisor|source|sources|lawyer|attorney|analyst|expert|experts|"
                              r"strategist|diplomat|diplomats|officer|officers|member|members|lawmaker|lawmakers|"
                              r"resident|residents|voter|voters|supporter|supporters|person|man|woman|"
                              r"employee|staffer|commenter|reader|readers))\b")
# A person described but not named, after an inverted speech verb.
_UNNAMED = re.compile(rf"[\s,]+((?:a|an|one|another|two|three|several)\s+{_MODIFIERS}"
                      r"(?:official|officials|spokesman|spokeswoman|spokesperson|aide|aides|adviser|advisers|"
                      r"advisor|source|sources|lawyer|attorney|analyst|expert|experts|strategist|diplomat|"
                      r"diplomats|officer|officers|member|members|lawmaker|lawmakers|resident|residents|"
                      r"voter|voters|supporter|supporters|person|people|man|woman|employee|staffer))\b")


# ', speaking on condition of anonymity, said': a clause between commas, right before the verb
_PARENTHETICAL = re.compile(r"\s*,\s[^,;:“”\"]{1,150},\s*(?:[a-z]+ly\s+|later\s+|also\s+|then\s+|again\s+)?")
# 'McCain issued a statement after Trump told a town hall that ...': the verb is not McCain's
_THAT = re.compile(r"\b(?:that|if|whether)\b")
_SUBORDINATE = re.compile(r"\b(?:after|before|when|while|because|since|although|though|until|once|whether)\b")


def _subject_of(text: str, verb: re.Match[str], sent_start: int, refs: Referents) -> int:
    """The subject of a speech verb: the name right before it ('Blinken said', 'Blinken, the
    envoy, said'), else the sentence's first name ('Carson took the stage ... and called')."""
    subj = refs.between(main_clause_start(text, sent_start, verb.start()), verb.start())
    if not subj:
        return -1
    if _COORDINATED.search(text, max(sent_start, verb.start() - 12), verb.start()):
        return -1  # '... and said': the subject of the earlier verb (the caller tries it next)
    if (_APPOSITION.match(text, subj[0].end) and not _SUBORDINATE.search(text, subj[0].end, verb.start())) \
            or _PARENTHETICAL.fullmatch(text, subj[0].end, verb.start()):
        # 'De Blasio, speaking on WOR710, called ...'; 'Trump, while being interviewed on Fox and
        # Friends, called ...': the name before a clause set off by commas is the verb's subject
        idx = _first_ok(subj[:1], refs)
        if idx >= 0 and refs.entities[idx].kind != "place":
            return idx
    near = subj[-1]
    gap = text[near.end:verb.start()]
    if len(gap.split()) <= 3 or gap.lstrip().startswith(","):
        idx = _first_ok([near], refs)
        if idx >= 0 and refs.entities[idx].kind != "place":
            return idx
    return _first_ok(subj, refs)


def _unnamed_subject(text: str, verb: re.Match[str], sent_start: int, refs: Referents) -> int:
    """'A Chinese official responded by saying ...', 'Another intelligence source speaking to Fox
    News said ...': a described, unnamed subject opening the clause of the verb."""
    begin = main_clause_start(text, sent_start, verb.start())
    np = _UNNAMED_OPENING.match(text, begin, verb.start())
    if np is None:
        return _quantifier_subject(text, verb, begin, refs)
    if (len(text[np.end():verb.start()].split()) > 6
                      and not _PARENTHETICAL.fullmatch(text, np.end(), verb.start())):
        return -1
    phrase = np[1]
    tail = _OF_WHOM.match(text, np.end(), verb.start())
    if tail:  # 'A spokesman for the House Armed Services Committee'
        phrase += tail[0].rstrip()
    refs.entities.append(Entity(phrase, "description"))
    return len(refs.entities) - 1


# 'Another tweeted', 'Others, reacting to the video, shouted', 'Many delegates said': a quantifier
# (with up to three lowercase words) as the subject names nobody; the phrase is the speaker.
_QUANTIFIER_SUBJECT = re.compile(r"[\s“\"]*((?:Another|Others|Some|Many|Several|Most)(?:\s+(?!(?:have|has|had|also|"
                                 r"later|then|would|will|could|did|were|was|are|is|who|of)\b)[a-z][a-z-]*){0,3})")


_AUXILIARIES = re.compile(r"\s+(?:have|has|had|also|later|then|would|will|did)(?:\s+(?:also|later))?\s+")


def _quantifier_subject(text: str, verb: re.Match[str], begin: int, refs: Referents) -> int:
    np = _QUANTIFIER_SUBJECT.match(text, begin, verb.start())
    if np is None:
        return -1
    between = text[np.end():verb.start()]
    if between.strip() and not _PARENTHETICAL.fullmatch(between) and not _AUXILIARIES.fullmatch(between):
        return -1
    refs.entities.append(Entity(np[1], "description"))
    return len(refs.entities) - 1


def _own_subject(text: str, verb: re.Match[str], refs: Referents) -> int:
    near = refs.between(verb.start() - 40, verb.start())
    # not 'responded to the question on Facebook writing, "..."': a preposition's object
    if near and not text[near[-1].end:verb.start()].strip(" \t’'s") \
            and (text[max(0, near[-1].start - 5):near[-1].start] == "with "
                 or not _after_preposition(text, near[-1].start)):
        idx = _first_ok(near[-1:], refs)
        if idx >= 0 and refs.entities[idx].kind != "place":
            return idx
    return -1


def _agent(text: str, start: int, refs: Referents) -> int:
    """The agent after 'by': 'by Fox Business moderator Gerard Baker' is Gerard Baker, the head
    of the noun phrase that the leading name and title qualify."""
    chain = refs.between(start, start + 2)
    while chain:
        nxt = refs.between(chain[-1].end + 1, chain[-1].end + 40)[:1]
        if not nxt or not _LOWER_WORDS.fullmatch(text, chain[-1].end, nxt[0].start) \
                or len(text[chain[-1].end:nxt[0].start].split()) > 2:
            break
        chain.append(nxt[0])
    return _first_ok(chain[::-1], refs)


def speaker_before(text: str, q: QuoteSpan, sent_start: int, refs: Referents) -> int:
    """'Blinken said: "..."' / 'Lavrov said Russia has "serious differences"' / 'According to X, "..."'."""
    verbs = speech_verbs(text, sent_start, q.start, refs)
    # A participle ('..., adding, "..."') shares the subject of the main verb before it.
    main = [v for v in verbs if not PARTICIPLE.fullmatch(v.group())]
    k = len(verbs) - 1
    while k >= 0 and PARTICIPLE.fullmatch(verbs[k].group()):
        # 'with Gorka noting "..."': a participle next to the quote with a subject of its own;
        # 'with Trump tweeting that ... and asking, "..."': or the subject of the one it is joined to
        idx = _own_subject(text, verbs[k], refs)
        if idx >= 0:
            return idx
        if not _COORDINATED.search(text, max(sent_start, verbs[k].start() - 12), verbs[k].start()):
            break
        k -= 1
    for verb in reversed(main or verbs):
        if _PASSIVE_ASKED.search(text, max(sent_start, verb.start() - 10), verb.start()) \
                and verb.group() in ("asked", "told", "questioned", "pressed"):
            # 'Sanders was asked by host Bill Maher, "..."': the one who asks speaks; the subject
            # is who was asked
            by = _BY.match(text, verb.end())
            return _agent(text, by.end(), refs) if by else -1
        if PARTICIPLE.fullmatch(verb.group()):
            idx = _first_ok(refs.between(main_clause_start(text, sent_start, verb.start()), verb.start()), refs)
        else:
            idx = _unnamed_subject(text, verb, sent_start, refs)
            if idx < 0:
                idx = _subject_of(text, verb, sent_start, refs)
        if idx >= 0:
            return idx
        after = refs.between(verb.end(), min(q.start, verb.end() + 60))
        # 'said Blinken' / 'according to the Sun'; not 'agreed that Clinton is ...' (a clause)
        if after and not _COORDINATED.search(text, max(sent_start, verb.start() - 12), verb.start()) \
                and not _THAT.search(text, verb.end(), after[0].start):
            idx = _first_ok(after[:1], refs)
            if idx >= 0:
                return idx
    if verbs:
        return _first_ok(refs.between(main_clause_start(text, sent_start, verbs[0].start()), verbs[0].start()), refs)
    return -1


def speaker_before_colon(text: str, q: QuoteSpan, sent_start: int, refs: Referents) -> int:
    """'... Republican pollster Daron Shaw: "..."'."""
    head = text[sent_start:q.start].rstrip()
    if not head.endswith(":"):
        return -1
    subj = refs.between(sent_start, sent_start + len(head))
    return _first_ok(list(reversed(subj))[:1], refs)


_OPENER = re.compile(r"[\s“\"‘']*(?:[A-Z][a-z]+ing|[A-Z][a-z]{3,}ed|After|When|While|Although|Though|Because|"
                     r"Since|If|As|Despite)\b[^,;:“”\"]*$")
_AFTER_OPENER = re.compile(r"[^,;:“”\"]{0,40},\s*")


def speaker_after_opening(text: str, q: QuoteSpan, sent_start: int, refs: Referents) -> int:
    """'Acknowledging that Trump "says a lot of stupid stuff," though, Allen did suggest ...': a
    quote inside an opening phrase belongs to the subject of the main clause after it."""
    m = _DATELINE.match(text, sent_start, q.start)
    begin = m.end() if m else sent_start
    if not _OPENER.match(text, begin, q.start):
        return -1
    pos = q.end
    if not (text[max(q.inner_start, q.inner_end - 1):q.inner_end] == "," and _NEXT_CAP.match(text, pos)):
        # '"... stuff," though, Allen': the opener ends at the next comma
        tail = _AFTER_OPENER.match(text, pos)
        if tail is None:
            return -1
        pos = tail.end()
    subj = refs.between(pos, pos + 3)
    if not subj or not _LOWER_WORD.match(text, subj[0].end):
        return -1
    idx = refs.resolve(subj[0])
    return idx if idx >= 0 and refs.entities[idx].kind != "place" else -1


_NEIGHBOUR_CHARS = 600  # of a neighbouring sentence, where its speech verb and subject are


def speaker_in_sentence(text: str, start: int, end: int, refs: Referents) -> int:
    """The subject of a speech verb anywhere in a sentence (a neighbour of the quote)."""
    end = min(end, start + _NEIGHBOUR_CHARS)  # an endless 'sentence' costs no more than a long one
    verbs = speech_verbs(text, start, end, refs)
    if not verbs:
        return -1
    verb = verbs[0]
    if PARTICIPLE.fullmatch(verb.group()):
        # 'Bolton distanced himself from the NeverTrump movement by saying ...': a participle
        # takes the main clause's subject, not the nearest name
        idx = _first_ok(refs.between(main_clause_start(text, start, verb.start()), verb.start()), refs)
        if idx >= 0:
            return idx
    subj = refs.between(start, verb.start())
    if subj:
        return _first_ok(list(reversed(subj))[:2], refs)
    return _first_ok(refs.between(verb.end(), min(end, verb.end() + 60))[:1], refs)


def sentence_subject(text: str, start: int, end: int, refs: Referents) -> int:
    """The first name of a sentence, as its likely subject ('Trump mocked Rubio for "..."')."""
    begin = main_clause_start(text, start, end)
    clauses = list(_NEW_CLAUSE.finditer(text, max(begin, end - 250), end))
    if clauses:
        # '... will brand you a liar and NBC News will accuse you of a "freak out"': the quote's
        # own clause has a subject of its own
        own = refs.between(clauses[-1].end(), clauses[-1].end() + 1)
        if own and _LOWER_WORD.match(text, own[0].end):
            idx = refs.resolve(own[0])
            if idx >= 0 and refs.entities[idx].kind != "place":
                return idx
    cands = refs.between(begin, end)[:2]
    if cands and not text[begin:cands[0].start].strip(" \t“\"‘'"):
        idx = refs.resolve(cands[0])  # the sentence opens with it: 'South Korea accused ...'
        if idx >= 0:
            return idx
    return _first_ok(cands, refs)


# Where a coordinated clause with a subject of its own may start.
_NEW_CLAUSE = re.compile(r"(?:,?\s+and|,\s+but|;|\s[—–-]|\s--|,\s+while|,\s+whereas)\s+(?:the\s+)?(?=[A-Z])")
_INTRO = re.compile(
    r"[\s“\"‘']*(?:After|Before|When|Whenever|While|Although|Though|Because|Since|If|As|In|On|At|During|"
    r"Following|Despite|Speaking|Asked|Addressing|Appearing|Talking|Responding|Referring|Unlike|Like|With|"
    r"Without|For|From|Amid|Among|Once|Until|Upon|Earlier|Later|Last|Hours|Days|Weeks|Months|Years|Moments|"
    r"Shortly|Soon|First|Then|Meanwhile|However|Instead|Still|[A-Z][a-z]+ing(?=,|\s+[a-z])|[A-Z][a-z]+ly(?=,|\s+[a-z])|"
    r"[A-Z][a-z]{3,}ed(?=\s+(?:by|about|on|for|with|at|in|to)\b))\b[^,;:“\"]{0,150},\s*")


_CONNECTIVE = re.compile(r"[\s“\"‘']*(?:(?:Moreover|Furthermore|Indeed|Nonetheless|Nevertheless|Besides|Thus|Also|"
                         r"Again|Now|Yet|But|And|So|Still)\s*,\s*|(?:But|And|Yet|So)\s+(?=[a-z]))")
_INTRO_NEXT = re.compile(r"(?:after|before|when|while|although|though|because|since|if|as|in|on|at|during|"
                         r"following|despite|with|without|for|from|amid|among|once|until|upon|[a-z]+ing)"
                         r"\b[^,;:“\"]{0,150},\s*")


# 'WASHINGTON (AP) —', 'DECATUR, Ill. —', 'London (Reuters) -': the dateline names no subject
_DATELINE = re.compile(r"[A-Z][A-Za-z.’' ]{1,30}(?:,\s[A-Z][\w.]{1,12}(?:\s\d{1,2})?)?\s*"
                       r"(?:\([\w .]{1,20}\)\s*)?(?:—|–|--|\s-)\s+")


def main_clause_start(text: str, start: int, end: int) -> int:
    """Where the main clause begins: after an opening adverbial ('After Brown criticized Clinton,
    Hillary shot back', 'Speaking in Salem, Trump called Bush ...') whose names are not the subject."""
    m = _DATELINE.match(text, start, end)
    if m:
        start = m.end()
    m = _INTRO.match(text, start, end) or _CONNECTIVE.match(text, start, end)
    if m is None:
        return start
    # 'Moreover, as part of the exchange with Clinton, Gowdy referenced ...', 'But after the
    # vote, ...': a subordinate opener after a connective
    m2 = _INTRO_NEXT.match(text, m.end(), end)
    if m2 is None and not m.group().rstrip().endswith(","):
        return start  # 'But Sen. Durbin said': the connective alone hides no subject
    return (m2 or m).end()
