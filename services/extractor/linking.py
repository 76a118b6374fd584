"""Inside-article coreference: mentions grouped into entities.

Full names come first and found the entities; a surname alone ('Blinken') or a variant
spelling joins the person whose name it matches (`names.same_person`); places merge by
`names.same_name` (Rekjavik = Reykjavik). Descriptions such as 'the Russian foreign minister'
resolve to the one person with that role and country, when there is exactly one.
"""

from __future__ import annotations

import re

from newsdesk.extractor.gazetteer import CITIES, COUNTRY_NAMES, NATIONALITIES, fuzzy_place
from newsdesk.extractor.mentions import APPOSITIVE_ROLE, Entity, Mention
from newsdesk.extractor.names import name_tokens, same_name, same_person, same_token


def _merge_into(ent: Entity, m: Mention) -> None:
    ent.mentions += 1
    if m.text != ent.name:
        ent.aliases.add(m.text)
    if m.role and not ent.role:
        ent.role = m.role
    if m.country and not ent.country:
        ent.country = m.country
    if m.kind == "person" and ent.kind == "unknown":
        ent.kind = "person"


def canonical_place(name: str) -> str:
    """The gazetteer's name for a place as written: 'U.S.' -> 'United States', 'Rekjavik' ->
    'Reykjavik'; names not in the gazetteer are kept as written."""
    if name in CITIES:
        return name
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    known = fuzzy_place(name, same_name)
    if known is None:
        return name
    return known if known in CITIES else COUNTRY_NAMES.get(known, known)


def link(mentions: list[Mention]) -> list[Entity]:
    """Group mentions into entities; sets each mention's `entity` index."""
    entities: list[Entity] = []
    by_key: dict[tuple[str, str], int] = {}
    people: list[int] = []  # person-like entities (person or unknown) with full names
    # the same people by the initial of their surname: names that match share it (`same_token`),
    # so a new name is compared with those few, not with everybody named so far
    people_by_initial: dict[str, list[int]] = {}
    by_tokens: dict[tuple[str, ...], int] = {}

    def new(m: Mention, kind: str) -> int:
        entities.append(Entity(m.text, kind, role=m.role, country=m.country, mentions=1))
        return len(entities) - 1

    # A fuzzy place match that is the surname of a person named in full is that person:
    # 'French President Francois Hollande ... Hollande said' is not Holland.
    surnames_seen = {m.text.split()[-1] for m in mentions
                     if m.kind in ("person", "unknown") and " " in m.text}
    for m in mentions:
        if m.kind == "place" and m.text in surnames_seen and m.text not in CITIES \
                and m.text not in COUNTRY_NAMES:
            m.kind = "unknown"
    # Pass 1: places and organisations by name; multi-word person-like names found entities.
    for m in mentions:
        if m.kind in ("place", "organization"):
            name = canonical_place(m.text) if m.kind == "place" else m.text
            key = (m.kind, name)
            idx = by_key.get(key)
            if idx is None:
                idx = new(m, m.kind)
                by_key[key] = idx
                ent = entities[idx]
                if name != m.text:  # 'Rekjavik', 'REYKJAVIK', 'U.S.': the gazetteer's name
                    ent.name = name
                    ent.aliases.add(m.text)
                if m.kind == "place":
                    ent.country = CITIES.get(name) or COUNTRY_NAMES.get(name) or m.country
            else:
                _merge_into(entities[idx], m)
            m.entity = idx
        elif len(m.text.split()) > 4 and m.kind == "unknown":
            # 'The National Review Crowd Does Not Like Donald Trump': a headline in title case,
            # not a name; it founds nothing and nothing joins it
            m.entity = new(m, m.kind)
        elif len(m.text.split()) >= 2:
            key = name_tokens(m.text)
            idx = by_tokens.get(key)  # the same spelling (or fold) again: no search needed
            if idx is None and key:
                idx = next((i for i in people_by_initial.get(key[-1][0], ()) if same_person(entities[i].name, m.text)
                            and len(name_tokens(entities[i].name)) >= 2), None)
            if idx is None:
                idx = new(m, m.kind)
                people.append(idx)
                if key:
                    people_by_initial.setdefault(key[-1][0], []).append(idx)
            else:
                _merge_into(entities[idx], m)
            by_tokens[key] = idx
            m.entity = idx
    # Pass 2: single names join the latest earlier full name they match, else any later one.
    surnames = [(i, name_tokens(entities[i].name)[-1]) for i in people if name_tokens(entities[i].name)]
    by_surname: dict[str, list[int]] = {}
    surnames_by_initial: dict[str, list[tuple[int, str]]] = {}
    for i, last in surnames:
        by_surname.setdefault(last, []).append(i)
        surnames_by_initial.setdefault(last[0], []).append((i, last))
    fuzzy: dict[str, list[int]] = {}  # the same single word recurs: compare it with surnames once
    for m in mentions:
        if m.entity >= 0:
            continue
        tok = name_tokens(m.text)
        # 'Biden-Putin' (a summit) is not Putin: hyphenated single names must match whole.
        if len(tok) != 1:
            matches = []
        elif tok[0] in by_surname:
            matches = by_surname[tok[0]]
        else:
            matches = fuzzy.get(tok[0])
            if matches is None:
                matches = fuzzy[tok[0]] = [i for i, last in surnames_by_initial.get(tok[0][0], ())
                                           if same_token(last, tok[0])]
        if matches:
            idx = matches[-1]
            _merge_into(entities[idx], m)
        else:
            key = ("single", m.text)
            idx = by_key.get(key, -1)
            if idx < 0:
                idx = new(m, m.kind)
                by_key[key] = idx
            else:
                _merge_into(entities[idx], m)
        m.entity = idx
    return entities


_DESCRIPTOR = re.compile(r"\b[Tt]he\s+((?:[A-Z][\w.]*\s+)?(?:(?:[a-z]+)\s+)?(?:[a-z]+))\b")


def add_affiliations(text: str, mentions: list[Mention], entities: list[Entity]) -> None:
    """Role and affiliation from an apposition: 'Lena Vogt, the chief economist at Nordbank,'."""
    for m in mentions:
        if m.entity < 0 or text[m.end:m.end + 1] != "," or entities[m.entity].kind not in ("person", "unknown"):
            continue
        app = APPOSITIVE_ROLE.match(text, m.end)
        if app is None:
            continue
        ent = entities[m.entity]
        ent.kind = "person"
        ent.role = ent.role or app[1]
        where = (app[2] or "").rstrip(".")
        if not where:
            continue
        if where in COUNTRY_NAMES or where in NATIONALITIES:
            ent.country = ent.country or COUNTRY_NAMES.get(where) or NATIONALITIES.get(where)
        elif where not in CITIES:
            ent.affiliation = ent.affiliation or where


def resolve_description(phrase: str, entities: list[Entity]) -> int:
    """Index of the one person a description like 'Russian foreign minister' fits, or -1."""
    words = phrase.split()
    country = None
    if words and (words[0] in NATIONALITIES or words[0].rstrip("'s’") in COUNTRY_NAMES):
        country = NATIONALITIES.get(words[0]) or COUNTRY_NAMES.get(words[0].rstrip("'s’"))
        words = words[1:]
    role = " ".join(words).lower()
    if not role:
        return -1
    fits = [i for i, e in enumerate(entities) if e.kind == "person" and e.role
            and (e.role.lower().endswith(role) or role.endswith(e.role.lower().split()[-1]))
            and (country is None or e.country == country)]
    if not fits and country is not None:
        # 'the Mexican foreign minister' when no role was seen: the one Mexican person named
        fits = [i for i, e in enumerate(entities) if e.kind == "person" and e.country == country]
    return fits[0] if len(fits) == 1 else -1
