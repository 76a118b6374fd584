"""An article vector as two arrays, for regrouping's matrix products.

Why integers: vector weights are rounded to 5 decimals (`vocabulary.tfidf`), so in units of 1e-5
each is a whole number <= 100,000. A sum of products of such numbers stays below 2**53 (the vectors
have unit length, so by Cauchy-Schwarz any dot product is <= 1e10 units), and float64 holds it
exactly: a matrix product gives the same value whatever order BLAS adds the terms in. Regrouping
therefore decides alike in every process, however its terms happen to be numbered.

Terms are numbered by Python's string hash: stable within a process (which is all a block needs,
since its matrix lives for one call), already cached on each interned term, and 64 bits wide, so
two of a block's few thousand terms colliding is a one in 1e12 event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsdesk.deduper.vocabulary import Vector

#: Weights are multiples of 1 / UNITS (vocabulary.tfidf rounds them to 5 decimals).
UNITS = 100_000


@dataclass(frozen=True, slots=True)
class TermArrays:
    #: hash(term) of each vector term.
    terms: np.ndarray
    #: Its weight in units of 1e-5 (int32: a weight is at most 100,000 units).
    units: np.ndarray

    @classmethod
    def of(cls, vec: Vector) -> TermArrays:
        terms = np.fromiter(map(hash, vec), dtype=np.int64, count=len(vec))
        units = np.rint(np.fromiter(vec.values(), dtype=np.float64, count=len(vec)) * UNITS)
        return cls(terms, units.astype(np.int32))
