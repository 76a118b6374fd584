"""Name matching tolerant of transliteration and spelling variants.

Pure functions, shared by the extractor (inside one article) and the deduper (across
articles): `name_key` folds a name to a comparison key, `same_name` compares two tokens or
multi-word names, `same_person` compares person names where one may be a surname alone.

What counts as the same:
- accents and case: "Reykjavík" = "reykjavik";
- transliteration variants: ey/ei/y/i ("Sergey"/"Sergei", "Alexey"/"Alexei"), ph/f, th/t,
  kh/h, ck/k, dzh/j, ou/u, w/v ("Navalny"/"Navalniy", "Anthony"/"Antony");
- doubled letters ("Mohammed"/"Mohamed");
- one letter added, dropped or changed in a long enough word ("Rekjavik"/"Reykjavik").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Order matters: longer digraphs first so 'dzh' is not eaten by 'zh'.
_FOLDS = (("dzh", "j"), ("tch", "ch"), ("sch", "sh"), ("kh", "h"), ("ph", "f"), ("th", "t"),
          ("ck", "k"), ("ou", "u"), ("yi", "i"), ("iy", "i"), ("ey", "ei"), ("y", "i"),
          ("w", "v"), ("q", "k"), ("x", "ks"), ("c", "k"))
_NON_LETTER = re.compile(r"[^a-z ]+")
_DOUBLE = re.compile(r"(.)\1+")
_SPACE = re.compile(r"\s+")
# Particles and suffixes that do not distinguish people.
_SKIP_TOKENS = frozenset({"jr", "sr", "ii", "iii", "iv", "mr", "mrs", "ms", "dr"})


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=8192)
def token_key(token: str) -> str:
    """Folded form of one word: 'Sergey' -> 'sergei', 'Anthony' -> 'antoni'."""
    t = _NON_LETTER.sub("", _ascii(token).lower())
    for a, b in _FOLDS:
        t = t.replace(a, b)
    return _DOUBLE.sub(r"\1", t)


@lru_cache(maxsize=16384)
def name_tokens(name: str) -> tuple[str, ...]:
    """The folded words of a name, without honorifics and suffixes ('Jr.')."""
    words = _SPACE.split(_ascii(name).replace("-", " ").replace("'s ", " ").strip())
    keys = [token_key(w) for w in words]
    return tuple(k for k in keys if k and k not in _SKIP_TOKENS)


def name_key(name: str) -> str:
    """A key equal for spelling variants of the same name, usable in a dict or an index.

    'Sergey Lavrov' and 'Sergei Lavrov' -> 'sergei lavrov'; 'Reykjavík' -> 'reikjavik'.
    Variants one letter apart (Rekjavik) get different keys: compare them with `same_name`.
    """
    return " ".join(name_tokens(name))


def _within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def same_token(a: str, b: str) -> bool:
    """Two folded words are the same when equal, or one edit apart and long enough (>= 6
    letters, so 'Mark'/'Mary' stay apart) and sharing the first letter."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 6 and a[0] == b[0] and _within_one_edit(a, b)


def same_name(a: str, b: str) -> bool:
    """Same multi-word name (place, organisation or full person name), word by word."""
    ta, tb = name_tokens(a), name_tokens(b)
    return bool(ta) and len(ta) == len(tb) and all(same_token(x, y) for x, y in zip(ta, tb, strict=True))


def _first_names_agree(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:  # an initial: 'J. Smith'
        return a[0] == b[0]
    return same_token(a, b)


def same_person(a: str, b: str) -> bool:
    """Could two person names denote the same person?

    The surnames (last words) must match; the first names must match too when both are
    given ('Antony Blinken' = 'Anthony Blinken' = 'Blinken' = 'A. Blinken', but 'Joe Biden'
    != 'Jill Biden'). Middle names are ignored when only one side has them.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb or not same_token(ta[-1], tb[-1]):
        return False
    if len(ta) == 1 or len(tb) == 1:
        return True
    return _first_names_agree(ta[0], tb[0])
