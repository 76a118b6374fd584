"""The decision rule: does an article join an event? (documented in docs/dedup.md)

The base is average-link TF-IDF cosine between the article and the event's articles. Conflicting
evidence raises the bar instead of vetoing outright, because extractors err: a differing event
date or a publication gap of days asks for near-copy similarity, a differing event type or no
shared person asks for a margin more.
"""

from __future__ import annotations

from datetime import date

from newsdesk.deduper.config import DedupConfig
from newsdesk.deduper.kernels import packed_dot
from newsdesk.deduper.model import Cluster, Member
from newsdesk.deduper.names import surname_of
from newsdesk.deduper.profile import Profile
from newsdesk.deduper.vocabulary import Vector


def similarity(member: Member, cluster: Cluster) -> float:
    """Average cosine between the article and each member (the centroid is their sum)."""
    if not cluster.members:
        return 0.0
    return packed_dot(member.packed, cluster.packed) / len(cluster.members)


def _day_gap(member: Member, profile: Profile) -> float | None:
    mine = member.date or member.pub_date
    if not mine or not profile.dates:
        return None
    day = date.fromisoformat(mine)
    return min(abs((day - other).days) for other in profile.dates)


def _missing_protagonists(mine: tuple[str, ...] | list[str], my_terms: Vector,
                          theirs: tuple[str, ...], their_terms: Vector) -> int:
    """How many of each side's two leading names the other side never mentions (0 to 4)."""
    return sum(name not in their_terms for name in mine[:2]) + sum(name not in my_terms for name in theirs[:2])


def name_bar(missing: int, config: DedupConfig) -> float:
    """Topic words are shared by every event of a kind, protagonists are not: the more leading
    names one side lacks of the other, the more text similarity is asked for."""
    return config.name_bars[min(missing, len(config.name_bars) - 1)]


def required_similarity(member: Member, cluster: Cluster, profile: Profile, config: DedupConfig) -> float:
    need = name_bar(_missing_protagonists(member.names, member.vec, profile.lead_names, cluster.centroid), config)
    if member.date and profile.event_date and member.date != profile.event_date:
        need = max(need, config.date_conflict_threshold)
    gap = _day_gap(member, profile)
    if gap is not None and gap > config.max_gap_days:
        need = max(need, config.date_conflict_threshold)
    if member.type != "other" and profile.type != "other" and member.type != profile.type:
        need += config.type_conflict_margin
    mine = {surname_of(k) for k in member.person_keys}
    if mine and profile.surnames and not mine & profile.surnames:
        need += config.people_conflict_margin
    return need


def cluster_similarity(a: Cluster, b: Cluster) -> float:
    """Average cosine over every pair of articles across the two events."""
    if not a.members or not b.members:
        return 0.0
    return packed_dot(a.packed, b.packed) / (len(a.members) * len(b.members))


def required_cluster_similarity(ca: Cluster, cb: Cluster, pa: Profile, pb: Profile,
                                config: DedupConfig) -> float:
    """The same evidence rules as for one article, applied to two events."""
    missing = _missing_protagonists(pa.lead_names, ca.centroid, pb.lead_names, cb.centroid)
    need = name_bar(missing, config) + config.merge_margin
    a, b = pa, pb
    if a.event_date and b.event_date and a.event_date != b.event_date:
        need = max(need, config.date_conflict_threshold)
    if a.dates and b.dates:
        gap = min(abs((x - y).days) for x in a.dates[:1] + a.dates[-1:] for y in b.dates[:1] + b.dates[-1:])
        if gap > config.max_gap_days:
            need = max(need, config.date_conflict_threshold)
    if a.type != "other" and b.type != "other" and a.type != b.type:
        need += config.type_conflict_margin
    if a.surnames and b.surnames and a.surnames.isdisjoint(b.surnames):
        need += config.people_conflict_margin
    return need
