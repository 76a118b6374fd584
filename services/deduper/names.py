"""Keys under which spelling variants of one person meet across articles, and the rule that picks
the name an event shows. Folding itself (Sergey/Sergei, Antony/Anthony, w/v, doubled letters) is
the extractor's `newsdesk.extractor.names`, so both stages agree on what one name is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsdesk.extractor.names import name_key, name_tokens

__all__ = ["name_key", "person_key", "preferred_spelling", "surname_of"]

# Titles the extractor may leave in front of a name; they do not tell people apart.
_HONORIFICS = (
    "president prime minister secretary gen general sen senator rep gov governor king queen prince "
    "princess pope rev st sir lord lady"
)
_TITLES = frozenset(name_tokens(_HONORIFICS))


def person_key(name: str) -> str:
    """'lavrov sergei' for any spelling of Sergey Lavrov; a bare surname gives just 'lavrov'.

    Surname first, so events can attach a bare 'Lavrov' to the one full name sharing it.
    """
    parts = [t for t in name_tokens(name) if t not in _TITLES]
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
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for spelling, weight in spellings:
        counts[spelling] += weight
        order.setdefault(spelling, len(order))
    if not counts:
        return ""
    return min(counts, key=lambda s: (-counts[s], -len(s.split()), order[s]))
