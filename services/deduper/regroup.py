"""Regrouping a block of related events with weights local to the block.

Why: the two events of one kind (two earthquakes, two rehab stays) share their topic words, so the
first articles of both can join one event before anything tells them apart. Once a block of related
articles has grown, the words every article of the block shares are the topic and the words only
part of it shares tell the events apart. Re-weighting each term by how rare it is *within the
block* (a local IDF) and re-running average-link agglomeration over the block's articles splits
mixed events and joins split ones. Measured on ECB+ in docs/dedup.md.

How, cheaply (the result is the plain algorithm's: average-link over block-local unit vectors):
- One matrix of the block's articles over the terms they share gives every pair's plain and
  local dot product; the block's local weight of a term depends only on how many articles hold
  it, so a product per run of equal document frequency, weighted, gives the local ones, and norms
  come from a table of n values, not a log per term.
- Two groups join only on an average plain cosine >= `plain_floor` and an average local cosine
  >= `threshold`, so at least one pair across them reaches each. Articles that no chain of such
  pairs links can never end up together: the block falls apart into *cells* clustered on their
  own, and a one-article cell is done at once (in a block of loosely related events, most are).
- Within a cell every group remembers its best partner, so a step costs O(groups), not O(pairs).

Pure functions over members; `core` applies the partition to the state.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from newsdesk.deduper.kernels import block_products
from newsdesk.deduper.model import Member
from newsdesk.deduper.profile import majority
from newsdesk.deduper.term_arrays import UNITS, units, unpack


@dataclass(frozen=True)
class RegroupRule:
    #: Average local-weighted cosine at which two groups join.
    threshold: float
    #: ... and at least this average plain (global-IDF) cosine: local weights magnify whatever few
    #: terms unrelated articles happen to share.
    plain_floor: float
    #: ... and at least this when neither group mentions the other's two leading names.
    strangers_floor: float
    #: Groups whose dates lie further apart than this (days) stay apart (0: no date check).
    max_gap_days: float
    #: Two groups whose extracted event dates differ join only at this average plain cosine
    #: (lower than the joining rule's date bar, which cost ECB+ 0.03 here: docs/dedup.md;
    #: 0: no check).
    date_conflict_floor: float
    #: Local weight of a term held by `d` of the block's `n` articles: (log((n + 1) / d) + floor) ** alpha.
    alpha: float
    floor: float


@dataclass(frozen=True)
class BlockCosines:
    """Plain and local-weighted cosines of every pair of a block's n articles (n x n, symmetric,
    zero on the diagonal)."""

    n: int
    plain: np.ndarray
    local: np.ndarray

    def pair(self, i: int, j: int) -> tuple[float, float]:
        return float(self.plain[i, j]), float(self.local[i, j])


def _local_weights2(n: int, alpha: float, floor: float) -> np.ndarray:
    """Squared local weight by block document frequency (index d, 1..n; 0 unused). In Python:
    numpy's log and power may round differently with the CPU's vector extensions."""
    return np.array([0.0] + [(math.log((n + 1) / d) + floor) ** (2 * alpha) for d in range(1, n + 1)])


def block_cosines(members: Sequence[Member], alpha: float, floor: float) -> BlockCosines:
    """Both cosines of every pair, from the pair sums of `kernels.block_products`.

    A term's local weight depends only on how many of the block's articles hold it, so the shared
    terms are taken in runs of equal document frequency: each run's products are exact sums of
    whole numbers (`term_arrays`), and the runs are weighted and added in a fixed order. The result
    is the same whatever order the terms come in, in every process.
    """
    n = len(members)
    if n == 0:
        empty = np.zeros((0, 0))
        return BlockCosines(0, empty, empty)
    pairs = unpack(b"".join([m.packed for m in members]))
    lengths = np.fromiter((len(m.vec) for m in members), dtype=np.int64, count=n)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    weight2 = _local_weights2(n, alpha, floor)
    plain, local, by_df = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n + 1))
    block_products(np.ascontiguousarray(pairs["term"]), units(pairs["weight"]), rows, weight2, plain, local, by_df)
    # Squared norms under local weights: one product of the whole-number sums by df.
    norms = np.sqrt(by_df @ weight2)
    norms[norms == 0] = 1.0
    # Divided by the exact 1e10: correctly rounded, as the dot product of the weights would be.
    return BlockCosines(n, plain / float(UNITS * UNITS), local / np.outer(norms, norms))


def _components(n: int, linked: np.ndarray) -> list[int]:
    """Each article's component under the pairs `linked` marks, named by its smallest article."""
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in zip(*np.nonzero(np.triu(linked, 1)), strict=True):
        a, b = root(int(i)), root(int(j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [root(x) for x in range(n)]


def cells(scores: BlockCosines, rule: RegroupRule) -> list[list[int]]:
    """The sets of articles that may end up in one group: linked by chains of pairs reaching both
    the plain floor and the local threshold (each join needs such a pair across its two groups)."""
    by_plain = _components(scores.n, scores.plain >= rule.plain_floor)
    by_local = _components(scores.n, scores.local >= rule.threshold)
    found: dict[tuple[int, int], list[int]] = {}
    for i in range(scores.n):
        found.setdefault((by_plain[i], by_local[i]), []).append(i)
    return list(found.values())


def _date_of(member: Member) -> date | None:
    value = member.date or member.pub_date
    return date.fromisoformat(value) if value else None


def _dates_conflict(a: list[Member], b: list[Member], max_gap_days: float) -> bool:
    """Two groups whose dates lie far apart stay apart."""
    xa = [d for d in map(_date_of, a) if d]
    xb = [d for d in map(_date_of, b) if d]
    if xa and xb:
        return min(abs((x - y).days) for x in (min(xa), max(xa)) for y in (min(xb), max(xb))) > max_gap_days
    return False


def _event_dates_differ(a: list[Member], b: list[Member]) -> bool:
    """Both groups name the day of their event (the majority of their extracted dates) and the
    days differ: the joining rule's date conflict, for two groups."""
    day_a = majority([m.date for m in a if m.date])
    day_b = majority([m.date for m in b if m.date])
    return day_a is not None and day_b is not None and day_a != day_b


def _leading(members: list[Member]) -> list[str]:
    counts = Counter(name for m in members for name in m.names[:2])
    return [name for name, _ in counts.most_common(2)]


def _mentions(group: list[Member], name: str) -> bool:
    return any(name in m.vec for m in group)


def _strangers(a: list[Member], b: list[Member]) -> bool:
    """Neither group's two leading names appear anywhere in the other: different protagonists."""
    lead_a, lead_b = _leading(a), _leading(b)
    if not lead_a or not lead_b:
        return False
    return not any(_mentions(b, n) for n in lead_a) and not any(_mentions(a, n) for n in lead_b)


def _refused(average_plain: float, a: list[Member], b: list[Member], rule: RegroupRule) -> bool:
    """Whether the plain, strangers or date checks keep two groups apart that the local
    threshold would join (`average_plain`: their average plain cosine)."""
    return average_plain < rule.plain_floor or \
        (average_plain < rule.strangers_floor and _strangers(a, b)) or \
        (rule.max_gap_days > 0 and _dates_conflict(a, b, rule.max_gap_days)) or \
        (average_plain < rule.date_conflict_floor and _event_dates_differ(a, b))


def _agglomerate(cell: list[int], members: Sequence[Member], scores: BlockCosines,
                 rule: RegroupRule) -> list[list[int]]:
    """Average-link over one cell: join the best pair of groups (ties: the lowest pair) while its
    average local cosine reaches the threshold, unless the plain, strangers or date checks refuse
    that pair (then it stays apart until one of its groups changes)."""
    k = len(cell)
    within = np.ix_(cell, cell)
    local: list[list[float]] = scores.local[within].tolist()  # sums over the article pairs across two groups
    plain: list[list[float]] = scores.plain[within].tolist()
    size = [1] * k
    groups = [[i] for i in cell]
    active = list(range(k))
    blocked: set[tuple[int, int]] = set()

    def best_partner(a: int) -> tuple[float, int] | None:
        best: tuple[float, int] | None = None
        row, sa = local[a], size[a]
        for b in active:
            if b == a or (min(a, b), max(a, b)) in blocked:
                continue
            score = row[b] / (sa * size[b])
            if score >= rule.threshold and (best is None or score > best[0]):
                best = (score, b)
        return best

    best = [best_partner(a) for a in range(k)]
    while len(active) > 1:
        choice: tuple[float, int, int] | None = None
        for a in active:
            found = best[a]
            if found is None:
                continue
            pair = (min(a, found[1]), max(a, found[1]))
            if choice is None or found[0] > choice[0] or (found[0] == choice[0] and pair < choice[1:]):
                choice = (found[0], *pair)
        if choice is None:
            break
        _, a, b = choice
        group_a = [members[i] for i in groups[a]]
        group_b = [members[i] for i in groups[b]]
        if _refused(plain[a][b] / (size[a] * size[b]), group_a, group_b, rule):
            blocked.add((a, b))
            best[a], best[b] = best_partner(a), best_partner(b)
            continue
        active.remove(b)
        for c in active:
            if c != a:
                local[a][c] = local[c][a] = local[a][c] + local[b][c]
                plain[a][c] = plain[c][a] = plain[a][c] + plain[b][c]
        size[a] += size[b]
        groups[a] += groups[b]
        blocked = {p for p in blocked if a not in p and b not in p}
        best[b] = None
        best[a] = best_partner(a)
        for c in active:
            if c == a:
                continue
            found = best[c]
            if found is not None and found[1] in (a, b):
                best[c] = best_partner(c)
                continue
            score = local[c][a] / (size[c] * size[a])
            if score >= rule.threshold and (found is None or score > found[0] or (score == found[0] and a < found[1])):
                best[c] = (score, a)
    return [groups[a] for a in active]


def partition(members: Sequence[Member], rule: RegroupRule) -> list[list[int]]:
    """Indexes of `members` grouped by average-link over block-local weights, by smallest index."""
    scores = block_cosines(members, rule.alpha, rule.floor)
    out: list[list[int]] = []
    for cell in cells(scores, rule):
        out.extend(_agglomerate(cell, members, scores, rule) if len(cell) > 1 else [cell])
    return sorted(out, key=min)
