"""The deduper's innermost loops: TF-IDF weighting, packing a vector and the dot product of packed
vectors, the heaviest terms of a vector, the candidate lookup's tally and regrouping's pair sums. Most of a
merge's time with a large state goes here.

Each has a C twin in `_kernels.c`, built with the package when a compiler is at hand (the build
does not fail without one). On the plain input the deduper gives them (dicts of str to finite
floats, packed vectors, posting lists of str, a block's numpy arrays) the two give the same
results bit for bit,
ties and rounding included (`tests/deduper/test_kernels.py`), so a state replays alike under
either, and a worker with the C build and one without make the same events (on one Python
version: 3.12 changed how `sum` adds floats). Other input (subclasses, ints for weights, NaN,
arrays of other types or shapes, or sharing memory) the C versions refuse with TypeError or
ValueError. `NATIVE` says which runs; set `NEWSDESK_PURE_PYTHON=1` to force the Python versions.

The C `candidates` tells events apart by identity, as the Python version does with objects that
hash and compare by identity (`CandidateIndex` puts an event under all its terms as one object,
and removes its entries before putting it again).
"""

from __future__ import annotations

import heapq
import math
import os
from collections.abc import Sequence
from itertools import islice, pairwise
from operator import itemgetter
from sys import intern
from types import ModuleType
from typing import Any

import numpy as np

#: A posting list of the candidate index: an event (any object: events are told apart by
#: identity), or an insertion-ordered dict of them.
Posting = object | dict[object, None]


def weigh_py(counts: dict[str, float], df: dict[str, int], docs: int, keep: int,
             shared: dict[float, float], max_shared: int) -> dict[str, float]:
    """Sublinear TF times IDF (`docs` is the document count plus one), the `keep` heaviest terms,
    unit length, each weight rounded to 5 decimals and held as the float object `shared` has for
    its value (added there while it holds fewer than `max_shared`); terms interned."""
    log = math.log
    weights = {t: (1.0 + log(c)) * (log(docs / (1 + df.get(t, 0))) + 1.0) for t, c in counts.items() if c >= 1}
    if len(weights) > keep:
        weights = {t: weights[t] for t in heapq.nlargest(keep, weights, key=weights.__getitem__)}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm == 0:
        return {}
    vector = {}
    for t, w in weights.items():
        vector[intern(t)] = one_float(shared, max_shared, round(w / norm, 5))
    return vector


def one_float(shared: dict[float, float], max_shared: int, w: float) -> float:
    """The float object `shared` holds for this value, added there while it holds fewer than
    `max_shared` (a memo for memory only: the state keeps one object per distinct weight)."""
    found = shared.get(w)
    if found is not None:
        return found
    if len(shared) < max_shared:
        shared[w] = w
    return w


#: One term of a packed vector (`term_arrays.pack`): its string hash and its weight, in native
#: byte order (packed vectors never leave the process).
PAIR = np.dtype([("term", "=i8"), ("weight", "=f8")])


def pack_py(vec: dict[str, float]) -> bytes:
    """A vector's (term hash, weight) pairs sorted by the hash, terms sharing one in dict order
    (`term_arrays` says why)."""
    terms = np.fromiter(map(hash, vec), dtype=np.int64, count=len(vec))
    order = np.argsort(terms, kind="stable")
    pairs = np.empty(len(vec), dtype=PAIR)
    pairs["term"] = terms[order]
    pairs["weight"] = np.fromiter(vec.values(), dtype=np.float64, count=len(vec))[order]
    return pairs.tobytes()


def packed_dot_py(a: bytes, b: bytes) -> float:
    """Sum of the weight products over the terms two packed vectors share, rounded once as
    `math.fsum` rounds it (so the order of the products does not matter: a dict's dot product
    gives the same float). Every pair of equal terms counts, should one vector hold a hash twice."""
    x, y = np.frombuffer(a, dtype=PAIR), np.frombuffer(b, dtype=PAIR)
    for pairs in (x, y):
        if np.any(pairs["term"][1:] < pairs["term"][:-1]):
            raise ValueError("a packed vector's terms must be sorted")
    low = np.searchsorted(y["term"], x["term"], "left")
    runs = np.searchsorted(y["term"], x["term"], "right") - low
    # Each term of x against the run of equal terms in y, in order.
    left = np.repeat(np.arange(len(x)), runs)
    right = np.arange(len(left)) - np.repeat(np.cumsum(runs) - runs, runs) + np.repeat(low, runs)
    with np.errstate(over="ignore", invalid="ignore"):  # fsum decides what an infinite product gives
        products = x["weight"][left] * y["weight"][right]
    return math.fsum(products.tolist())


def top_terms_py(vector: dict[str, float], n: int) -> list[str]:
    if len(vector) <= n:
        return list(vector)
    return heapq.nlargest(n, vector, key=vector.__getitem__)


def candidates_py(postings: dict[str, Posting], terms: Sequence[str], query: dict[str, float],
                  scan: int, limit: int) -> list[Any]:
    """Events under the terms, each scored by the query weights of the terms it is under; the
    `limit` best, ties in the order the events were first met. Only the `scan` most recently
    put of a posting list are read (oldest first, as a short list is)."""
    scores: dict[Any, float] = {}
    get = scores.get
    for term in terms:
        posting = postings.get(term)
        if posting is None or posting == {}:
            continue
        weight = query[term]
        if not isinstance(posting, dict):
            recent: Sequence[Any] | dict[Any, None] = (posting,)
        elif len(posting) <= scan:
            recent = posting
        else:
            recent = list(islice(reversed(posting), scan))
            recent.reverse()
        for event in recent:
            scores[event] = get(event, 0.0) + weight
    # Ties keep the order events were first met in (nlargest is stable).
    return [event for event, _ in heapq.nlargest(limit, scores.items(), key=itemgetter(1))]


def block_products_py(terms: np.ndarray, units: np.ndarray, rows: np.ndarray, weight2: np.ndarray,
                      plain: np.ndarray, local: np.ndarray, by_df: np.ndarray) -> None:
    """Regrouping's pair sums over a block of n articles, into the zeroed arrays given.

    `terms` (int64 hashes) and `units` (int32 weights in 1e-5) are the articles' vector entries,
    `rows` the article of each (non-decreasing), `weight2[d]` the squared local weight of a term
    d of the n articles hold. A term's block document frequency is its number of entries.
    - `by_df[i, d]`: sum of units ** 2 over article i's terms of document frequency d;
    - `plain[i, j]`: sum of units_i * units_j over the terms i and j share (i != j);
    - `local[i, j]`: the same per run of equal document frequency, each run's sum times
      weight2[d], added in ascending d (0 on the diagonal).
    The sums within a run are sums of whole numbers below 2**53, exact in any order: only the
    order of the runs matters, and it is fixed.
    """
    n = len(weight2) - 1
    _, column = np.unique(terms, return_inverse=True)
    df = np.bincount(column)
    term_df = df[column]
    unit = units.astype(np.float64)
    by_df += np.bincount(rows * (n + 1) + term_df, weights=unit * unit, minlength=n * (n + 1)).reshape(n, n + 1)
    shared = term_df > 1
    shared_columns = np.flatnonzero(df > 1)
    order = shared_columns[np.argsort(df[shared_columns], kind="stable")]
    position = np.empty(len(df), dtype=np.intp)
    position[order] = np.arange(len(order))
    matrix = np.zeros((n, len(order)))
    matrix[rows[shared], position[column[shared]]] = unit[shared]
    runs = df[order]
    starts = np.flatnonzero(np.diff(runs, prepend=-1)).tolist()
    for start, stop in pairwise([*starts, len(order)]):
        part = matrix[:, start:stop]
        products = part @ part.T
        plain += products
        local += weight2[runs[start]] * products
    np.fill_diagonal(plain, 0.0)
    np.fill_diagonal(local, 0.0)


_kernels: ModuleType | None
try:
    from newsdesk.deduper import _kernels
except ImportError:  # built without a C compiler: the Python versions serve
    _kernels = None

#: NEWSDESK_PURE_PYTHON=1 runs the Python versions of all the deduper's C code (this module's and
#: text_features'), to compare or to rule the C code out.
PURE_PYTHON = os.environ.get("NEWSDESK_PURE_PYTHON", "") == "1"
NATIVE = _kernels is not None and not PURE_PYTHON

weigh, pack, packed_dot, top_terms, candidates, block_products = (
    (_kernels.weigh, _kernels.pack, _kernels.packed_dot, _kernels.top_terms, _kernels.candidates,
     _kernels.block_products)
    if NATIVE and _kernels is not None
    else (weigh_py, pack_py, packed_dot_py, top_terms_py, candidates_py, block_products_py))
