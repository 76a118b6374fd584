"""The deduper's pure core: merge(state, article, now) -> changed events.

Contract used by the stream agent and the offline command:
- `DedupState()` is the explicit state. `state.snapshot(event_id) -> dict | None` gives the
  JSON-able form of one event's cluster (None once it is gone); `DedupState.restore(snapshots)`
  rebuilds a state (indexes included) from such dicts. The stream agent keeps the snapshots in
  a changelog-backed Faust table keyed by event_id.
- `merge(state, article, now)` mutates `state` and returns the events that changed (new
  versions), usually one; an article already merged with the same content changes nothing and
  returns []; `state.event_for(article_id)` gives that event's current version to resend. Events
  merged away are listed in `state.retired` (event ids), drained by the caller.
- `expire(state, now)` drops events older than the window and returns their ids.

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
from collections import Counter, deque
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from newsdesk.deduper.article_features import article_hash, article_member
from newsdesk.deduper.candidate_index import CandidateIndex
from newsdesk.deduper.config import DedupConfig
from newsdesk.deduper.decision import (
    cluster_similarity,
    required_cluster_similarity,
    required_similarity,
    similarity,
)
from newsdesk.deduper.event_record import build_event
from newsdesk.deduper.model import Cluster, Member
from newsdesk.deduper.profile import Profile, profile_of
from newsdesk.deduper.regroup import average_link, local_vectors
from newsdesk.deduper.text_features import sketch_jaccard
from newsdesk.deduper.vocabulary import DocumentFrequencies, dot
from newsdesk.records import Event, ExtractedArticle

#: Members of the chosen event compared shingle-by-shingle for copies (the most recent ones).
DUPLICATE_SCAN = 64
#: Cosine below which two articles cannot be copies, so their sketches are not compared.
DUPLICATE_COSINE = 0.5
#: Retired ids remembered so that regrouping never gives a new event an id just tombstoned.
RETIRED_MEMORY = 100_000


def event_id_for(article_id: str) -> str:
    """Derived from the founding article, so a replay after a restart names the event the same."""
    return "ev-" + hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def _utc(now: datetime) -> datetime:
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _stamp(now: datetime) -> str:
    return _utc(now).isoformat()


class DedupState:
    """Clusters (the real state, snapshotted per event) plus indexes derived from them."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self.clusters: dict[str, Cluster] = {}
        self.retired: list[str] = []
        #: Articles set aside rather than merged, with the reason (bounded; for logs and metrics).
        self.set_aside: deque[tuple[str, str]] = deque(maxlen=1000)
        # Derived, rebuilt by `restore`:
        self.freqs = DocumentFrequencies()
        self.index = CandidateIndex(self.config.index_terms, self.config.posting_cap)
        self.event_of_article: dict[str, str] = {}
        self.article_of_url: dict[str, str] = {}
        self.article_of_sketch: dict[tuple[int, ...], str] = {}
        self.profiles: dict[str, Profile] = {}
        #: Ids retired by regrouping lately: a new event never takes one, so a consumer that applies
        #: tombstones after the fact (the offline command) cannot delete a live event.
        self.recently_retired: dict[str, None] = {}

    # --- snapshots ---------------------------------------------------------------------

    def snapshot(self, event_id: str) -> dict[str, Any] | None:
        cluster = self.clusters.get(event_id)
        return cluster.to_dict() if cluster else None

    @classmethod
    def restore(cls, snapshots: Iterable[dict[str, Any]], config: DedupConfig | None = None) -> DedupState:
        state = cls(config)
        for snap in snapshots:
            if not snap or "event_id" not in snap:
                continue
            cluster = Cluster.from_dict(snap)
            state.clusters[cluster.event_id] = cluster
            for member in cluster.members:
                # Only the kept terms survive a snapshot: IDF restarts from those, then keeps learning.
                state.freqs.add(member.vec.keys())
                state._remember(cluster.event_id, member)
            state._reindex(cluster)
        return state

    # --- derived indexes ---------------------------------------------------------------

    def _remember(self, event_id: str, member: Member) -> None:
        self.event_of_article[member.id] = event_id
        if member.url:
            self.article_of_url.setdefault(member.url, member.id)
        if member.sketch:
            self.article_of_sketch.setdefault(tuple(member.sketch), member.id)

    def _forget(self, member: Member) -> None:
        self.event_of_article.pop(member.id, None)
        if member.url and self.article_of_url.get(member.url) == member.id:
            del self.article_of_url[member.url]
        key = tuple(member.sketch)
        if self.article_of_sketch.get(key) == member.id:
            del self.article_of_sketch[key]

    def _reindex(self, cluster: Cluster) -> None:
        self.index.put(cluster.event_id, cluster.centroid)
        self.profiles[cluster.event_id] = profile_of(cluster)

    def _drop(self, event_id: str) -> None:
        cluster = self.clusters.pop(event_id, None)
        if cluster is None:
            return
        for member in cluster.members:
            self._forget(member)
        self.index.remove(event_id)
        self.profiles.pop(event_id, None)

    def event_for(self, article_id: str) -> Event | None:
        """The current version of the event holding an article (to resend after a redelivery)."""
        found = self.member(article_id)
        return build_event(found[0]) if found else None

    def member(self, article_id: str) -> tuple[Cluster, Member] | None:
        event_id = self.event_of_article.get(article_id)
        cluster = self.clusters.get(event_id) if event_id else None
        if cluster is None:
            return None
        for member in cluster.members:
            if member.id == article_id:
                return cluster, member
        return None


def _original(cluster: Cluster, article_id: str) -> str:
    """Follow duplicate_of to the first copy, so every copy points at the original."""
    for member in cluster.members:
        if member.id == article_id:
            return member.duplicate_of or member.id
    return article_id


def _find_copy(state: DedupState, member: Member, cluster: Cluster) -> str | None:
    for other in reversed(cluster.members[-DUPLICATE_SCAN:]):
        if dot(member.vec, other.vec) >= DUPLICATE_COSINE and \
                sketch_jaccard(member.sketch, other.sketch) >= state.config.duplicate_jaccard:
            return other.duplicate_of or other.id
    return None


def _choose(state: DedupState, member: Member,
            related: list[str] | None = None) -> tuple[Cluster | None, str | None]:
    """The event the article joins (None: a new one) and the article it copies, if any.

    Candidates similar enough to be of the same kind are appended to `related` (for regrouping).
    """
    # A republished or re-fetched page, or a wire copy word for word: same event, whatever the rest says.
    for known in (state.article_of_url.get(member.url) if member.url else None,
                  state.article_of_sketch.get(tuple(member.sketch)) if len(member.sketch) > 8 else None):
        if known and known in state.event_of_article:
            cluster = state.clusters[state.event_of_article[known]]
            return cluster, _original(cluster, known)
    best: tuple[float, Cluster] | None = None
    for event_id in state.index.candidates(member.vec, state.config.query_terms, state.config.max_candidates):
        cluster = state.clusters[event_id]
        score = similarity(member, cluster)
        if related is not None and score >= state.config.block_floor:
            related.append(event_id)
        if score < state.config.name_bars[0]:
            continue
        if score < required_similarity(member, cluster, state.profiles[event_id], state.config):
            continue
        if best is None or score > best[0]:
            best = (score, cluster)
    if best is None:
        return None, None
    return best[1], _find_copy(state, member, best[1])


def _touch(cluster: Cluster, now: datetime) -> None:
    cluster.version += 1
    # A clock that jumps back must not make an event look older than it is.
    cluster.updated_at = max(cluster.updated_at, _stamp(now))


def _update_in_place(state: DedupState, cluster: Cluster, old: Member, new: Member, now: datetime) -> Event:
    """Same article id, new content: the event keeps it (ids stay stable) with the new features."""
    new.duplicate_of = old.duplicate_of
    state._forget(old)
    cluster.add_vector(old.vec, -1.0)
    cluster.members[cluster.members.index(old)] = new
    cluster.add_vector(new.vec)
    state._remember(cluster.event_id, new)
    state._reindex(cluster)
    _touch(cluster, now)
    return build_event(cluster)


def _retire(state: DedupState, event_id: str) -> None:
    state.retired.append(event_id)
    state.recently_retired[event_id] = None
    if len(state.recently_retired) > RETIRED_MEMORY:
        del state.recently_retired[next(iter(state.recently_retired))]


def _absorb(state: DedupState, keep: Cluster, gone: Cluster) -> None:
    """`gone`'s articles move into `keep`; `gone`'s id is retired for the caller to delete."""
    state.index.remove(gone.event_id)
    state.profiles.pop(gone.event_id, None)
    del state.clusters[gone.event_id]
    for member in gone.members:
        keep.members.append(member)
        keep.add_vector(member.vec)
        state.event_of_article[member.id] = keep.event_id
    keep.first_seen = min(keep.first_seen, gone.first_seen)
    keep.version = max(keep.version, gone.version)
    _retire(state, gone.event_id)
    state._reindex(keep)


def _merge_events(state: DedupState, cluster: Cluster) -> Cluster:
    """Merges `cluster` with the events it has become one with; returns the survivor."""
    config = state.config
    for _ in range(config.merge_rounds):
        best: tuple[float, Cluster] | None = None
        profile = state.profiles[cluster.event_id]
        for event_id in state.index.neighbours(cluster.event_id, cluster.centroid, config.max_merge_candidates):
            other = state.clusters[event_id]
            if len(other.members) + len(cluster.members) > config.max_articles:
                continue
            score = cluster_similarity(cluster, other)
            if score < config.name_bars[0] + config.merge_margin:
                continue
            if score < required_cluster_similarity(cluster, other, profile, state.profiles[event_id], config):
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


def _regroup(state: DedupState, cluster: Cluster, related: list[str], now: datetime) -> list[Cluster]:
    """Re-partitions the block (the article's event and the related candidates) with block-local
    weights; returns the other events whose articles changed. Events left empty are retired."""
    config = state.config
    # The neighbours of the event and of the related candidates join the block too: the other
    # half of a story may resemble the article's event less than it resembles a neighbour.
    # Event merging (merge_rounds) may have absorbed some candidates since they were found.
    related = [e for e in dict.fromkeys(related) if e in state.clusters and e != cluster.event_id]
    seen = {cluster.event_id, *related}
    total = sum(len(state.clusters[e].members) for e in seen)
    for near in [cluster, *(state.clusters[e] for e in related)]:
        for event_id in state.index.neighbours(near.event_id, near.centroid, config.max_merge_candidates):
            other = state.clusters[event_id]
            if event_id not in seen and total + len(other.members) <= config.regroup_max_articles \
                    and cluster_similarity(near, other) >= config.block_floor:
                seen.add(event_id)
                related.append(event_id)
                total += len(other.members)
    # Oldest event first, so that members keep their arrival order as far as it is known.
    block = sorted([cluster] + [state.clusters[e] for e in dict.fromkeys(related)
                                if e != cluster.event_id and e in state.clusters],
                   key=lambda c: (c.first_seen, c.event_id))
    members = [m for c in block for m in c.members]
    if not config.regroup_min_articles <= len(members) <= config.regroup_max_articles:
        return []
    owner = [c.event_id for c in block for _ in c.members]
    vectors = local_vectors(members, config.local_alpha, config.local_floor)
    groups = average_link(members, vectors, config.regroup_threshold, config.regroup_max_gap_days,
                          config.regroup_plain_floor, config.name_bars[-1])
    before = {frozenset(i for i, o in enumerate(owner) if o == c.event_id) for c in block}
    if {frozenset(g) for g in groups} == before:
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
            event_id = event_id_for(members[min(group)].id)
            while event_id in state.clusters or event_id in taken or event_id in state.recently_retired:
                event_id = event_id_for(event_id)
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
        target.centroid = {}
        kept = set(ids)
        for m in target.members:
            if m.duplicate_of and m.duplicate_of not in kept:
                m.duplicate_of = None
            target.add_vector(m.vec)
            state.event_of_article[m.id] = event_id
        state._reindex(target)
        if target is not cluster:
            _touch(target, now)
            changed.append(target)
    for event_id in by_id:
        if event_id not in taken:
            state.index.remove(event_id)
            state.profiles.pop(event_id, None)
            del state.clusters[event_id]
            _retire(state, event_id)
    return changed


def merge(state: DedupState, article: ExtractedArticle, now: datetime) -> list[Event]:
    config = state.config
    known = state.member(article.id)
    if known is not None and known[1].hash == article_hash(article):
        return []  # at-least-once redelivery: nothing changed, no new version
    member = article_member(article, state.freqs, config)
    if known is not None:
        return [_update_in_place(state, known[0], known[1], member, now)]

    related: list[str] = []
    cluster, copy_of = _choose(state, member, related)
    if cluster is not None and len(cluster.members) >= config.max_articles:
        # The event is full: copies are counted, anything else is set aside with the reason.
        if copy_of:
            cluster.overflow += 1
            state.set_aside.append((article.id, f"copy of {copy_of} beyond the {config.max_articles}-article cap"))
        else:
            state.set_aside.append((article.id, f"event {cluster.event_id} holds {config.max_articles} articles"))
        return []
    if cluster is None:
        stamp = _stamp(now)
        event_id = event_id_for(article.id)
        while event_id in state.clusters or event_id in state.recently_retired:  # never reuse a live or tombstoned id
            event_id = event_id_for(event_id)
        cluster = Cluster(event_id=event_id, version=0, first_seen=stamp, updated_at=stamp)
        state.clusters[event_id] = cluster
    member.duplicate_of = copy_of
    cluster.members.append(member)
    cluster.add_vector(member.vec)
    state._remember(cluster.event_id, member)
    state._reindex(cluster)
    if len(cluster.members) > 1:
        # A new one-article event already failed the same bar against every candidate in _choose.
        cluster = _merge_events(state, cluster)
    _touch(cluster, now)
    changed = _regroup(state, cluster, related, now) if config.regroup_min_articles and not copy_of else []
    return [build_event(c) for c in [cluster, *changed] if c.event_id in state.clusters]


def expire(state: DedupState, now: datetime) -> list[str]:
    """Drops events with no new article within the window; returns their ids."""
    cutoff = _stamp(_utc(now) - timedelta(days=state.config.window_days))
    gone = [event_id for event_id, cluster in state.clusters.items() if cluster.updated_at < cutoff]
    for event_id in gone:
        state._drop(event_id)
    return gone
