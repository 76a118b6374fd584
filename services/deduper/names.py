"""Keys under which spelling variants of one person meet across articles, and the rule that picks
the name an event shows. Folding itself (Sergey/Sergei, Antony/Anthony, w/v, doubled letters) is
the extractor's `newsdesk.extractor.names`, so both stages agree on what one name is."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from newsdesk.extractor.names import name_key, name_tokens

__all__ = ["name_key", "person_key", "preferred_spelling", "strip_office", "surname_of"]

# Titles the extractor may leave in front of a name; they do not tell people apart.
_HONORIFICS = (
    "president prime minister secretary gen general sen senator rep gov governor king queen prince "
    "princess pope rev st sir lord lady"
)
_TITLES = frozenset(name_tokens(_HONORIFICS))
# Offices an extractor may glue, with what precedes them, to a name ("Valparaiso Mayor Renata
# Soto", "Foreign Minister Sergey Lavrov"): everything up to the office is not the person's name.
_OFFICES = frozenset(name_tokens(
    "mayor minister chancellor ambassador spokesman spokeswoman spokesperson commissioner chief "
    "director judge governor president secretary senator premier envoy"))


# Events are rebuilt from their members on every change: the same few names come back each time.
@lru_cache(maxsize=16384)
def strip_office(name: str) -> str:
    """'Valparaiso Mayor Renata Soto' -> 'Renata Soto'; a name without an office is unchanged."""
    words = name.split()
    cut = 0
    for i, word in enumerate(words[:-1]):
        if name_tokens(word) and name_tokens(word)[0] in _OFFICES:
            cut = i + 1
    # Keep at least two words, so a surname like 'Judge' or 'Chief' after a first name survives.
    return " ".join(words[cut:]) if len(words) - cut >= 2 else name


@lru_cache(maxsize=16384)
def person_key(name: str) -> str:
    """'lavrov sergei' for any spelling of Sergey Lavrov; a bare surname gives just 'lavrov'.

    Surname first, so events can attach a bare 'Lavrov' to the one full name sharing it.
    """
    tokens = name_tokens(strip_office(name))
    # A title is dropped, but never the last word: 'King' is Stephen King's surname.
    parts = [t for t in tokens[:-1] if t not in _TITLES and t not in _OFFICES] + list(tokens[-1:])
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{parts[-1]} {parts[0]}"


def surname_of(key: str) -> str:
    return key.split(" ", 1)[0]


def preferred_spelling(spellings: Iterable[tuple[str, int]]) -> str:
    """The most frequent spelling (counted by articles); ties go to the fuller, then the first seen.

    `spellings` are (spelling, weight) pairs; the rule is general, not tuned to any name.
    """
    counts: dict[str, int] = {}
    order: dict[str, int] = {}
    for spelling, weight in spellings:
        counts[spelling] = counts.get(spelling, 0) + weight
        order.setdefault(spelling, len(order))
    if not counts:
        return ""
    return min(counts, key=lambda s: (-counts[s], -len(s.split()), order[s]))
