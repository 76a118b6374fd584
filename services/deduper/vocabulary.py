"""Document frequencies over the articles the state holds, and the TF-IDF vectors built with them."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from newsdesk.deduper.kernels import one_float, top_terms, weigh

__all__ = ["DocumentFrequencies", "Vector", "shared_weight", "tfidf", "top_terms"]

Vector = dict[str, float]

# Weights are rounded to 5 decimals, so at most 100,001 distinct values exist: sharing one float
# object per value saves 24 bytes per term of every vector in the state (80 terms an article).
_WEIGHTS: dict[float, float] = {}
_MAX_SHARED_WEIGHTS = 200_000


def shared_weight(w: float) -> float:
    """The one float object the state uses for this value (an invisible memo, for memory only)."""
    return one_float(_WEIGHTS, _MAX_SHARED_WEIGHTS, w)


class DocumentFrequencies:
    """How many of the articles in the state hold each term: IDF as the live window knows it.

    An article's terms are added when it enters the state and removed when it leaves (expiry, an
    update replacing it, or being set aside), so the counts are a function of the state alone:
    they stay bounded with the window, and a restore that re-adds every member's terms rebuilds
    them exactly (a worker restarted after a crash weighs terms as before the crash).
    """

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.docs = 0

    def add(self, terms: Iterable[str]) -> None:
        self.docs += 1
        self.df.update(terms)

    def remove(self, terms: Iterable[str]) -> None:
        self.docs -= 1
        df = self.df
        for term in terms:
            left = df.get(term, 0) - 1
            if left > 0:
                df[term] = left
            else:
                df.pop(term, None)

    def idf(self, term: str) -> float:
        return math.log((1 + self.docs) / (1 + self.df.get(term, 0))) + 1.0


def tfidf(counts: Mapping[str, float], freqs: DocumentFrequencies, keep: int) -> Vector:
    """Sublinear TF times IDF, the `keep` heaviest terms, unit length (weights rounded to 5
    decimals and shared, terms interned: see `kernels.weigh_py`)."""
    counts = counts if isinstance(counts, dict) else dict(counts)
    return weigh(counts, freqs.df, freqs.docs + 1, keep, _WEIGHTS, _MAX_SHARED_WEIGHTS)
