"""Regrouping a block of related events with weights local to the block.

Why: the two events of one kind (two earthquakes, two rehab stays) share their topic words, so the
first articles of both can join one event before anything tells them apart. Once a block of related
articles has grown, the words every article of the block shares are the topic and the words only
part of it shares tell the events apart. Re-weighting each term by how rare it is *within the
block* (a local IDF) and re-running average-link agglomeration over the block's articles splits
mixed events and joins split ones. Measured on ECB+ in docs/dedup.md.

Pure functions over members; `core` applies the partition to the state.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

from newsdesk.deduper.model import Member
from newsdesk.deduper.vocabulary import Vector, dot


def local_vectors(members: list[Member], alpha: float, floor: float) -> list[Vector]:
    """Each member's vector with every term scaled by (local IDF + floor) ** alpha, unit length."""
    n = len(members)
    df: Counter[str] = Counter(t for m in members for t in m.vec)
    out: list[Vector] = []
    for m in members:
        scaled = {t: w * (math.log((n + 1) / df[t]) + floor) ** alpha for t, w in m.vec.items()}
        norm = math.sqrt(sum(w * w for w in scaled.values())) or 1.0
        out.append({t: w / norm for t, w in scaled.items()})
    return out


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


def _fold(sums: dict[tuple[int, int], float], i: int, j: int) -> dict[tuple[int, int], float]:
    """Pair sums after group j joined group i: j's sums are added to i's (Lance-Williams)."""
    merged: dict[tuple[int, int], float] = {}
    for (a, b), total in sums.items():
        if j in (a, b):
            other = b if a == j else a
            if other == i:
                continue
            key = (min(i, other), max(i, other))
            merged[key] = merged.get(key, 0.0) + total
        elif i in (a, b):
            merged[a, b] = merged.get((a, b), 0.0) + total
        else:
            merged[a, b] = total
    return merged


def _strangers(a: list[Member], b: list[Member]) -> bool:
    """Neither group's two leading names appear anywhere in the other: different protagonists."""
    lead_a, lead_b = _leading(a), _leading(b)
    if not lead_a or not lead_b:
        return False
    terms_a = {t for m in a for t in m.vec}
    terms_b = {t for m in b for t in m.vec}
    return not any(n in terms_b for n in lead_a) and not any(n in terms_a for n in lead_b)


def _leading(members: list[Member]) -> list[str]:
    counts = Counter(name for m in members for name in m.names[:2])
    return [name for name, _ in counts.most_common(2)]


def average_link(members: list[Member], vectors: list[Vector], threshold: float,
                 max_gap_days: float, plain_floor: float = 0.0, strangers_floor: float = 1.0) -> list[list[int]]:
    """Agglomerates indexes of `members` while the best average cosine between groups >= threshold.

    Two groups also need an average plain (global-IDF) cosine of `plain_floor`: local weights
    magnify whatever few terms unrelated articles happen to share. Groups with none of each
    other's leading names need `strangers_floor` (the joining rule's bar for that case).
    """
    groups: dict[int, list[int]] = {i: [i] for i in range(len(members))}
    # Sum of pairwise cosines between two groups; average = sum / (|a| * |b|).
    sums: dict[tuple[int, int], float] = {}
    keys = list(groups)
    for x, i in enumerate(keys):
        for j in keys[x + 1:]:
            sums[i, j] = dot(vectors[i], vectors[j])
    blocked: set[tuple[int, int]] = set()
    while len(groups) > 1:
        best: tuple[float, int, int] | None = None
        for (i, j), total in sums.items():
            if (i, j) in blocked:
                continue
            score = total / (len(groups[i]) * len(groups[j]))
            if score >= threshold and (best is None or score > best[0]):
                best = (score, i, j)
        if best is None:
            break
        _, i, j = best
        a, b = [members[k] for k in groups[i]], [members[k] for k in groups[j]]
        # The plain cosine only for the pair about to join (rare), not for every pair.
        average = sum(dot(x.vec, y.vec) for x in a for y in b) / (len(a) * len(b))
        if average < plain_floor or (average < strangers_floor and _strangers(a, b)) or \
                (max_gap_days > 0 and _dates_conflict(a, b, max_gap_days)):
            blocked.add((i, j))
            continue
        groups[i] += groups.pop(j)
        sums = _fold(sums, i, j)
        blocked = {p for p in blocked if j not in p and i not in p}
    return sorted(groups.values(), key=min)
