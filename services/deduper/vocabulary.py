"""Document frequencies learnt from the stream itself, and the TF-IDF vectors built with them."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable

Vector = dict[str, float]


class DocumentFrequencies:
    """How many articles seen so far hold each term: IDF as the stream knows it now."""

    def __init__(self, max_terms: int = 2_000_000) -> None:
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.max_terms = max_terms

    def add(self, terms: Iterable[str]) -> None:
        self.docs += 1
        self.df.update(terms)
        if len(self.df) > self.max_terms:
            # Terms seen once are most of a long stream's vocabulary and matter least.
            for term in [t for t, n in self.df.items() if n <= 1]:
                del self.df[term]

    def idf(self, term: str) -> float:
        return math.log((1 + self.docs) / (1 + self.df.get(term, 0))) + 1.0


def tfidf(counts: Counter[str], freqs: DocumentFrequencies, keep: int) -> Vector:
    """Sublinear TF times IDF, the `keep` heaviest terms, unit length."""
    log, df, docs = math.log, freqs.df, freqs.docs + 1
    weights = {t: (1.0 + log(c)) * (log(docs / (1 + df.get(t, 0))) + 1.0) for t, c in counts.items() if c >= 1}
    if len(weights) > keep:
        weights = {t: weights[t] for t in heapq.nlargest(keep, weights, key=weights.__getitem__)}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm == 0:
        return {}
    return {t: round(w / norm, 5) for t, w in weights.items()}


def dot(a: Vector, b: Vector) -> float:
    # The key intersection runs in C; only shared terms reach the Python-level products.
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def top_terms(vector: Vector, n: int) -> list[str]:
    if len(vector) <= n:
        return list(vector)
    return heapq.nlargest(n, vector, key=vector.__getitem__)
