"""The deduper's pure core: merge(state, article, now) -> changed events.

Contract used by the stream agent and the offline command:
- `DedupState()` is the explicit state. `state.snapshot(event_id) -> dict | None` gives the
  JSON-able form of one event's cluster (None once it is gone); `DedupState.restore(snapshots)`
  rebuilds a state (indexes included) from such dicts. The stream agent keeps the snapshots in
  a changelog-backed Faust table keyed by event_id.
- `merge(state, article, now)` mutates `state` and returns the events that changed (new
  versions), usually one; an article already merged with the same content changes nothing and
  returns []; `state.event_for(article_id)` gives that event's current version to resend. Events
  merged away are listed in `state.retired` (event ids), drained by the caller, and so are the
  types events left (`state.retyped`, for the per-type topics).
- `expire(state, now)` drops events older than the window and returns the ids whose snapshots
  changed: an aged-out event's id stays taken for a while, as a marker snapshot.
- The same articles in the same order with the same `now` give the same events, in the same
  order, whether or not the state was snapshotted and restored in between (`tests/deduper`).

How an article finds its event (details and reasons in docs/dedup.md): the same id updates its
event in place; the same URL or a near-identical text joins the copied article's event and is
marked `duplicate_of`; otherwise candidates come from an inverted index of the events' heaviest
terms and the article joins the most similar one that passes the decision rule, or starts a new
event. Then the block around it (its event, the related candidates and their index neighbours) is
regrouped with block-local term weights (`regroup.py`): a mixed event may be split (the part with
fewer of its articles gets another or a new id, returned as a changed event) and split events
joined (the emptied ids go to `state.retired`). `merge` may thus return several events.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime, timedelta

from newsdesk.deduper.article_features import article_hash, article_member
from newsdesk.deduper.decision import (
    cluster_similarity,
    required_cluster_similarity,
    required_similarity,
    similarity,
)
from newsdesk.deduper.kernels import packed_dot
from newsdesk.deduper.model import Cluster, Member
from newsdesk.deduper.regroup import RegroupRule, partition
from newsdesk.deduper.state import DedupState
from newsdesk.deduper.text_features import sketch_jaccard
from newsdesk.records import Event, ExtractedArticle

__all__ = ["DedupState", "event_id_for", "expire", "merge"]

#: Members of the chosen event compared shingle-by-shingle for copies (the most recent ones).
DUPLICATE_SCAN = 64
#: Cosine below which two articles cannot be copies, so their sketches are not compared.
DUPLICATE_COSINE = 0.5


def event_id_for(article_id: str) -> str:
    """Derived from the founding article, so a replay after a restart names the event the same."""
    return "ev-" + hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def _utc(now: datetime) -> datetime:
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _stamp(now: datetime) -> str:
    return _utc(now).isoformat()


def _fresh_id(state: DedupState, event_id: str, taken: dict[str, list[int]] | None = None) -> str:
    """Never a live id, one retired into a live event (a late tombstone must not delete a new
    event) or a remembered expired one (the sink holds it at a version a new event starts below)."""
    while state.taken(event_id) or (taken and event_id in taken):
        event_id = event_id_for(event_id)
    return event_id


def _original(cluster: Cluster, article_id: str) -> str:
    """Follow duplicate_of to the first copy, so every copy points at the original."""
    for member in cluster.members:
        if member.id == article_id:
            return member.duplicate_of or member.id
    return article_id


def _find_copy(state: DedupState, member: Member, cluster: Cluster) -> str | None:
    for other in reversed(cluster.members[-DUPLICATE_SCAN:]):
        if packed_dot(member.packed, other.packed) >= DUPLICATE_COSINE and \
                sketch_jaccard(member.sketch, other.sketch) >= state.config.duplicate_jaccard:
            return other.duplicate_of or other.id
    return None


def _reaches(member: Member, cluster: Cluster, score: float, floor: float) -> bool:
    """Whether some article of the event has a cosine >= floor with `member`; `score` is the
    average. No article's cosine exceeds the sum of them all (weights are >= 0), so most events
    are settled without a look at their articles."""
    if score * len(cluster.members) < floor:
        return False
    return len(cluster.members) == 1 or any(packed_dot(member.packed, m.packed) >= floor for m in cluster.members)


def _choose(state: DedupState, member: Member, related: list[str]) -> tuple[Cluster | None, str | None, bool]:
    """The event the article joins (None: a new one), the article it copies, if any, and whether
    any candidate holds an article as similar as regrouping's plain floor (see `merge`).

    Candidates similar enough to be of the same kind are appended to `related` (for regrouping).
    A copy of an article in any candidate joins that article's event: out of publication order
    (a backlog read outlet by outlet) the original's event may hold other articles that pull
    its average below another candidate's, and the copy would land apart from what it copies.
    """
    config = state.config
    # A republished or re-fetched page, or a wire copy word for word: same event, whatever the rest says.
    for known in (state.article_with_url(member.url) if member.url else None,
                  state.article_with_sketch(member.sketch) if len(member.sketch) > 8 else None):
        if known and known in state.event_of_article:
            cluster = state.clusters[state.event_of_article[known]]
            return cluster, _original(cluster, known), True
    best: tuple[float, Cluster] | None = None
    copied: tuple[Cluster, str] | None = None
    linked = False
    for cluster in state.index.candidates(member.vec, config.query_terms, config.max_candidates):
        score = similarity(member, cluster)
        linked = linked or _reaches(member, cluster, score, config.regroup_plain_floor)
        if copied is None and _reaches(member, cluster, score, DUPLICATE_COSINE):
            original = _find_copy(state, member, cluster)
            copied = (cluster, original) if original else None
        if score >= config.block_floor:
            related.append(cluster.event_id)
        if score < config.name_bars[0]:
            continue
        if score < required_similarity(member, cluster, state.profile(cluster), config):
            continue
        if best is None or score > best[0]:
            best = (score, cluster)
    if copied is not None:
        return copied[0], copied[1], True
    if best is None:
        return None, None, linked
    # Every candidate that could hold a copy was searched for one above.
    return best[1], None, linked


def _touch(cluster: Cluster, now: datetime) -> None:
    cluster.version += 1
    # A clock that jumps back must not make an event look older than it is.
    cluster.updated_at = max(cluster.updated_at, _stamp(now))


def _update_in_place(state: DedupState, cluster: Cluster, old: Member, new: Member, now: datetime) -> Event:
    """Same article id, new content: the event keeps it (ids stay stable) with the new features."""
    new.duplicate_of = old.duplicate_of
    state.forget(old)
    cluster.members[cluster.members.index(old)] = new
    cluster.recompute_centroid()
    state.remember(cluster.event_id, new)
    state.reindex(cluster)
    _touch(cluster, now)
    return state.version(cluster)


def _absorb(state: DedupState, keep: Cluster, gone: Cluster) -> None:
    """`gone`'s articles move into `keep`; `gone`'s id is retired for the caller to delete."""
    for member in gone.members:
        keep.append(member)
        state.event_of_article[member.id] = keep.event_id
    keep.first_seen = min(keep.first_seen, gone.first_seen)
    keep.version = max(keep.version, gone.version)
    state.retire(gone, keep)
    state.reindex(keep)


def _merge_events(state: DedupState, cluster: Cluster) -> Cluster:
    """Merges `cluster` with the events it has become one with; returns the survivor."""
    config = state.config
    for _ in range(config.merge_rounds):
        best: tuple[float, Cluster] | None = None
        profile = state.profile(cluster)
        for other in state.index.neighbours(cluster, config.max_merge_candidates):
            if len(other.members) + len(cluster.members) > config.max_articles:
                continue
            score = cluster_similarity(cluster, other)
            if score < config.name_bars[0] + config.merge_margin:
                continue
            if score < required_cluster_similarity(cluster, other, profile, state.profile(other), config):
                continue
            if best is None or score > best[0]:
                best = (score, other)
        if best is None:
            return cluster
        other = best[1]
        # The older event keeps its id, so what readers already hold stays valid.
        keep, gone = sorted((cluster, other), key=lambda c: (c.first_seen, c.event_id))
        _absorb(state, keep, gone)
        cluster = keep
    return cluster


def _block(state: DedupState, cluster: Cluster, related: list[str]) -> list[Cluster] | None:
    """The article's event, the related candidates, and their index neighbours with a cluster-level
    average cosine >= block_floor while the block has room, oldest event first; None when the
    block is too small or too large to regroup."""
    config = state.config
    limit = config.regroup_max_articles
    # Event merging (merge_rounds) may have absorbed some candidates since they were found.
    related = [e for e in dict.fromkeys(related) if e in state.clusters and e != cluster.event_id]
    block = [cluster, *(state.clusters[e] for e in related)]
    total = sum(len(c.members) for c in block)
    if total > limit:
        return None  # neighbours only ever add articles
    seen = {cluster.event_id, *related}
    # The neighbours of the event and of the related candidates join the block too: the other
    # half of a story may resemble the article's event less than it resembles a neighbour.
    for near in block[:]:
        if total >= limit:
            break  # every event holds at least one article: nothing more fits
        for other in state.index.neighbours(near, config.max_merge_candidates):
            if other.event_id not in seen and total + len(other.members) <= limit \
                    and cluster_similarity(near, other) >= config.block_floor:
                seen.add(other.event_id)
                block.append(other)
                total += len(other.members)
    if total < config.regroup_min_articles:
        return None
    # Oldest event first, so that members keep their arrival order as far as it is known.
    return sorted(block, key=lambda c: (c.first_seen, c.event_id))


def _regroup(state: DedupState, cluster: Cluster, related: list[str], now: datetime) -> list[Cluster]:
    """Re-partitions the block (the article's event and the related candidates) with block-local
    weights; returns the other events whose articles changed. Events left empty are retired."""
    config = state.config
    block = _block(state, cluster, related)
    if block is None:
        return []
    members = [m for c in block for m in c.members]
    owner = [c.event_id for c in block for _ in c.members]
    rule = RegroupRule(config.regroup_threshold, config.regroup_plain_floor, config.name_bars[-1],
                       config.regroup_max_gap_days, config.regroup_date_floor, config.local_alpha,
                       config.local_floor)
    groups = partition(members, rule)
    before: dict[str, list[int]] = {}
    for i, event_id in enumerate(owner):
        before.setdefault(event_id, []).append(i)
    if sorted(map(sorted, groups)) == sorted(before.values()):
        return []
    by_id = {c.event_id: c for c in block}
    taken: dict[str, list[int]] = {}
    # Largest groups first keep the id most of their articles already carried (older wins ties).
    for group in sorted(groups, key=len, reverse=True):
        votes = Counter(owner[i] for i in group)
        free = [e for e in votes if e not in taken]
        if free:
            event_id = min(free, key=lambda e: (-votes[e], by_id[e].first_seen, e))
        else:
            event_id = _fresh_id(state, event_id_for(members[min(group)].id), taken)
        taken[event_id] = sorted(group)
    changed: list[Cluster] = []
    stamp = _stamp(now)
    for event_id, group in taken.items():
        old = by_id.get(event_id)
        ids = [members[i].id for i in group]
        if old is not None and [m.id for m in old.members] == ids:
            continue
        target = old or Cluster(event_id=event_id, version=0, first_seen=stamp, updated_at=stamp)
        state.clusters[event_id] = target
        target.members = [members[i] for i in group]
        kept = set(ids)
        for m in target.members:
            if m.duplicate_of and m.duplicate_of not in kept:
                m.duplicate_of = None
            state.event_of_article[m.id] = event_id
        target.recompute_centroid()
        state.reindex(target)
        if target is not cluster:
            _touch(target, now)
            changed.append(target)
    for event_id, old in by_id.items():
        if event_id not in taken:
            # The group that took most of its articles remembers the id (first such group on ties).
            into = max(taken, key=lambda e: sum(owner[i] == event_id for i in taken[e]))
            state.retire(old, state.clusters[into])
    return changed


def merge(state: DedupState, article: ExtractedArticle, now: datetime) -> list[Event]:
    config = state.config
    known = state.member(article.id)
    content = article_hash(article)
    if known is not None and known[1].hash == content:
        return []  # at-least-once redelivery: nothing changed, no new version
    member = article_member(article, state.freqs, config, content)
    if known is not None:
        member.seq = state.next_seq()
        return [_update_in_place(state, known[0], known[1], member, now)]

    related: list[str] = []
    cluster, copy_of, linked = _choose(state, member, related)
    if cluster is not None and len(cluster.members) >= config.max_articles:
        # The event is full: copies are counted, anything else is set aside with the reason.
        state.freqs.remove(member.df_terms())
        if copy_of:
            cluster.overflow += 1
            state.set_aside.append((article.id, f"copy of {copy_of} beyond the {config.max_articles}-article cap"))
        else:
            state.set_aside.append((article.id, f"event {cluster.event_id} holds {config.max_articles} articles"))
        return []
    if cluster is None:
        stamp = _stamp(now)
        event_id = _fresh_id(state, event_id_for(article.id))
        cluster = Cluster(event_id=event_id, version=0, first_seen=stamp, updated_at=stamp)
        state.clusters[event_id] = cluster
    member.duplicate_of = copy_of
    member.seq = state.next_seq()  # only articles that stay count: a restore rebuilds the same counter
    cluster.append(member)
    state.remember(cluster.event_id, member)
    state.reindex(cluster)
    if len(cluster.members) > 1:
        # A new one-article event already failed the same bar against every candidate in _choose.
        cluster = _merge_events(state, cluster)
    _touch(cluster, now)
    # An article that starts its own event and reaches regrouping's plain floor with no article
    # of its candidates (the events most like it) would stay alone in a regrouping, barring a
    # closer article among the candidates' neighbours; and an unrelated arrival must not be what
    # splits or joins the events around it, its only effect being on their block-local weights.
    # Most new events are such; regrouping is skipped for them (docs/dedup.md, step 6).
    lone = len(cluster.members) == 1 and not linked
    changed = _regroup(state, cluster, related, now) \
        if config.regroup_min_articles and not copy_of and not lone else []
    return [state.version(c) for c in [cluster, *changed] if c.event_id in state.clusters]


def expire(state: DedupState, now: datetime) -> list[str]:
    """Forgets expired ids remembered long enough, then drops events with no new article within
    the window (remembering their ids); returns the ids whose snapshots changed: the forgotten
    ones, oldest first (now tombstones), then for each event that aged out, oldest first, the ids
    it had absorbed and its own (now markers, in the order they must be written)."""
    config = state.config
    now = _utc(now)
    forget_before = _stamp(now - timedelta(days=config.remember_expired_days))
    # Sorted: after a restore `expired` is in the table's order, and replays must agree.
    forgotten = sorted((event_id for event_id, when in state.expired.items() if when < forget_before),
                       key=lambda e: (state.expired[e], e))
    for event_id in forgotten:
        del state.expired[event_id]
    cutoff = _stamp(now - timedelta(days=config.window_days))
    gone = sorted((cluster.updated_at, event_id) for event_id, cluster in state.clusters.items()
                  if cluster.updated_at < cutoff)
    changed = dict.fromkeys(forgotten)
    for _, event_id in gone:
        changed.update(dict.fromkeys(state.drop(event_id)))
    return list(changed)
