"""The benchmark's arithmetic, kept pure: percentiles, sustained rate, publish-to-stored latency."""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Iterable, Mapping, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def sustained_rate(samples: Sequence[tuple[float, int]], total: int, low: float = 0.1,
                   high: float = 0.9) -> float | None:
    """Articles/s between the moments `low` and `high` of `total` were stored, from (time, stored
    count) samples: the steady part of the run, without start-up and the last stragglers."""
    def moment(fraction: float) -> float | None:
        target = fraction * total
        for (t0, n0), (t1, n1) in itertools.pairwise(samples):
            if n0 < target <= n1:
                return t0 + (t1 - t0) * (target - n0) / (n1 - n0)
        return None

    start, end = moment(low), moment(high)
    if start is None or end is None or end <= start:
        return None
    return (high - low) * total / (end - start)


def latencies(published: Iterable[tuple[str, float]], stored: Mapping[str, Sequence[float]],
              slack: float = 0.001) -> tuple[list[float], int]:
    """Seconds from each publication of an article to the first stored event version holding it
    at or after that publication (a revision is measured to the version after it), and how many
    publications never reached storage. `stored` maps article id -> sorted store times."""
    found: list[float] = []
    missing = 0
    for article_id, at in published:
        times = stored.get(article_id, ())
        index = bisect.bisect_left(times, at - slack)
        if index == len(times):
            missing += 1
        else:
            found.append(max(0.0, times[index] - at))
    return found, missing


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def hop_latencies(firsts: Sequence[Mapping[str, float]]) -> list[list[float]]:
    """Seconds between consecutive stages for every article seen at both: `firsts` holds, per
    stage in pipeline order, article id -> when the article first appeared there."""
    hops = []
    for before, after in itertools.pairwise(firsts):
        hops.append([max(0.0, after[a] - at) for a, at in before.items() if a in after])
    return hops


def first_seen(seen: Iterable[tuple[str, float]]) -> dict[str, float]:
    firsts: dict[str, float] = {}
    for article_id, at in seen:
        if article_id not in firsts or at < firsts[article_id]:
            firsts[article_id] = at
    return firsts


def middle_rate(times: Sequence[float], low: float = 0.1, high: float = 0.9) -> float | None:
    """Records per second between the `low` and `high` fractions of them (sorted times): the
    steady part of a stream, without its ramp-up and tail."""
    if len(times) < 10:
        return None
    first, last = times[int(low * (len(times) - 1))], times[int(high * (len(times) - 1))]
    count = int(high * (len(times) - 1)) - int(low * (len(times) - 1))
    return count / (last - first) if last > first else None
