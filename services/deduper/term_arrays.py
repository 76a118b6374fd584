"""A vector packed into bytes: its (term hash, weight) pairs, sorted by the hash.

Why: with 100,000 events in state the deduper's cosines were mostly cache misses. A dot product
of two dicts reads the stored hash of each term of one side from its string object, one scattered
read per term (8 us a call, 29 calls a merge). Two packed vectors are two runs of 16-byte pairs
read in sequence (`kernels.packed_dot`; `kernels.pack` makes them). Packed vectors are derived (`Member.packed`,
`Cluster.packed`), never snapshotted.

Terms are told apart by Python's string hash: stable within a process (which is all a derived
value needs), already cached on each interned term, and 64 bits wide. Two different terms of two
vectors sharing one is a one in 1e15 event per pair of vectors (their products would then count
as shared).

Regrouping's matrix products take the weights in whole units of 1e-5 (`units`): vector weights
are rounded to 5 decimals (`vocabulary.tfidf`), so each is a whole number <= 100,000 of them. A sum
of products of such numbers stays below 2**53 (the vectors have unit length, so by Cauchy-Schwarz
any dot product is <= 1e10 units), and float64 holds it exactly: a matrix product gives the same
value whatever order BLAS adds the terms in, and regrouping decides alike in every process.
"""

from __future__ import annotations

import numpy as np

from newsdesk.deduper.kernels import PAIR, pack

__all__ = ["PAIR", "UNITS", "pack", "units", "unpack"]

#: Article weights are multiples of 1 / UNITS (vocabulary.tfidf rounds them to 5 decimals).
UNITS = 100_000


def unpack(packed: bytes) -> np.ndarray:
    """The pairs as a structured array (a view of the bytes, read-only)."""
    return np.frombuffer(packed, dtype=PAIR)


def units(weights: np.ndarray) -> np.ndarray:
    """Article weights in whole units of 1e-5 (int32: a weight is at most 100,000 units)."""
    return np.rint(weights * UNITS).astype(np.int32)
