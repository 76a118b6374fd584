"""The deduper's explicit state: events (snapshotted one by one) and the indexes derived from them.

Only the events are state proper; everything else (document frequencies, candidate index,
article/URL/sketch lookups, profiles) is derived and rebuilt by `restore`. Two counters make the
rebuild exact, not just close: each member carries its arrival number and each event the number of
its last index put, so a restore replays the additions in the original order (the posting lists,
and which article a URL or sketch points at, come out the same), and the document frequencies are
counted over the state's own members (see `vocabulary.DocumentFrequencies`).
"""

from __future__ import annotations

import hashlib
from array import array
from collections import deque
from collections.abc import Iterable
from typing import Any

from newsdesk.deduper.candidate_index import CandidateIndex
from newsdesk.deduper.config import DedupConfig
from newsdesk.deduper.event_record import build_event, event_type
from newsdesk.deduper.model import Cluster, Member
from newsdesk.deduper.profile import Profile, profile_of
from newsdesk.deduper.vocabulary import DocumentFrequencies
from newsdesk.records import Event

Lookup = dict[Any, str | tuple[str, ...]]


def _add(lookup: Lookup, key: Any, article_id: str) -> None:
    """Appends an article under a key; the first one added is the one a lookup returns."""
    held = lookup.get(key)
    if held is None:
        lookup[key] = article_id
    elif isinstance(held, str):
        lookup[key] = (held, article_id)
    else:
        lookup[key] = (*held, article_id)


def _discard(lookup: Lookup, key: Any, article_id: str) -> None:
    held = lookup.get(key)
    if held == article_id:
        del lookup[key]
    elif isinstance(held, tuple):
        rest = tuple(a for a in held if a != article_id)
        lookup[key] = rest[0] if len(rest) == 1 else rest


def _first(lookup: Lookup, key: Any) -> str | None:
    held = lookup.get(key)
    return held if held is None or isinstance(held, str) else held[0]


def sketch_key(sketch: array[int]) -> bytes:
    """A short digest standing for a whole sketch (48 hashes) in the copy lookup."""
    return hashlib.blake2b(sketch.tobytes(), digest_size=16).digest()


#: After a restore, events changed within this many state changes (the `seq` counter) are
#: published again: far more than the articles a killed worker can have had in flight.
RESEND_AFTER_RESTORE = 2000


class DedupState:
    """Clusters (the real state, snapshotted per event) plus indexes derived from them."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self.clusters: dict[str, Cluster] = {}
        self.retired: list[str] = []
        #: Event id -> the types its versions had before they changed type (drained by the
        #: caller): a copy on such a type's topic is to be tombstoned (see `version`).
        self.retyped: dict[str, list[str]] = {}
        #: After a restore, events to publish again and ids to send tombstones for again
        #: (drained by the caller; see `_reconcile` and `_resend_recent`).
        self.republish: list[str] = []
        self.tombstone_again: list[str] = []
        #: Articles set aside rather than merged, with the reason (bounded; for logs and metrics).
        self.set_aside: deque[tuple[str, str]] = deque(maxlen=1000)
        #: Orders arrivals and index puts (see the module docstring); restored as the largest seen.
        self.seq = 0
        # Derived, rebuilt by `restore`:
        self.freqs = DocumentFrequencies()
        self.index: CandidateIndex[Cluster] = CandidateIndex(self.config.index_terms, self.config.posting_scan)
        self.event_of_article: dict[str, str] = {}
        self.by_url: Lookup = {}
        self.by_sketch: Lookup = {}
        #: Profiles of the events looked at lately (computed on demand: most events never are).
        self.profiles: dict[str, Profile] = {}
        #: Ids retired into live events (their `absorbed` lists): a new event never takes one.
        self.absorbed_ids: set[str] = set()
        #: Ids of events that aged out, and of those they had absorbed -> the event's last
        #: `updated_at`: no new event takes one while it is remembered (see `core.expire`).
        #: Real state: snapshotted as a marker per id.
        self.expired: dict[str, str] = {}

    # --- snapshots ---------------------------------------------------------------------

    def snapshot(self, event_id: str) -> dict[str, Any] | None:
        """An event's snapshot, a marker for a remembered expired id, or None (a tombstone)."""
        cluster = self.clusters.get(event_id)
        if cluster:
            return cluster.to_dict()
        when = self.expired.get(event_id)
        # No "event_id" key: a restore by an older version skips the marker instead of taking
        # it for an empty event (and tombstoning an aged-out event the sink still holds).
        return {"expired_event_id": event_id, "expired_at": when} if when is not None else None

    def snapshot_ids(self) -> list[str]:
        """Every id with a snapshot: the events, then the remembered expired ids."""
        return [*self.clusters, *self.expired]

    @classmethod
    def restore(cls, snapshots: Iterable[dict[str, Any]], config: DedupConfig | None = None) -> DedupState:
        state = cls(config)
        clusters: list[Cluster] = []
        # Articles an interrupted flush was moving out of an event (see `write_order`).
        leaving: dict[str, set[str]] = {}
        # One snapshot at a time: a large state's parsed JSON, held all at once, takes several
        # times the memory of the state built from it (and the process keeps that peak).
        for snap in snapshots:
            if snap and "expired_event_id" in snap:
                state.expired[snap["expired_event_id"]] = snap["expired_at"]
                continue
            if not snap or "event_id" not in snap:
                continue
            cluster = Cluster.from_dict(snap)
            if cluster.type is None:
                # Written before snapshots kept the type: the type of the version it holds.
                cluster.type = event_type(cluster.members)
            clusters.append(cluster)
            if snap.get("leaving"):
                leaving[snap["event_id"]] = set(snap["leaving"])
        # The order things were added in, not the order the snapshots come in (a table's order).
        clusters.sort(key=lambda c: (c.seq, c.event_id))
        clusters, state.tombstone_again, state.republish = _reconcile(clusters, leaving)
        _resend_recent(clusters, state.tombstone_again, state.republish, state.retyped)
        arrivals = sorted(((m.seq, m.id), c.event_id, m) for c in clusters for m in c.members)
        for cluster in clusters:
            state.clusters[cluster.event_id] = cluster
            state.absorbed_ids.update(cluster.absorbed)
        for _, event_id, member in arrivals:
            state.freqs.add(member.df_terms())
            state.remember(event_id, member)
        for cluster in clusters:
            state.index.put(cluster)
        state.seq = max([c.seq for c in clusters] + [key[0][0] for key in arrivals], default=0)
        return state

    # --- derived indexes ---------------------------------------------------------------

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def remember(self, event_id: str, member: Member) -> None:
        """Makes a member findable by id, URL and sketch (its terms are already counted)."""
        self.event_of_article[member.id] = event_id
        if member.url:
            _add(self.by_url, member.url, member.id)
        if member.sketch:
            _add(self.by_sketch, sketch_key(member.sketch), member.id)

    def forget(self, member: Member) -> None:
        """The member leaves the state: lookups and document frequencies no longer know it."""
        self.event_of_article.pop(member.id, None)
        if member.url:
            _discard(self.by_url, member.url, member.id)
        if member.sketch:
            _discard(self.by_sketch, sketch_key(member.sketch), member.id)
        self.freqs.remove(member.df_terms())

    def article_with_url(self, url: str) -> str | None:
        return _first(self.by_url, url)

    def article_with_sketch(self, sketch: array[int]) -> str | None:
        return _first(self.by_sketch, sketch_key(sketch))

    def reindex(self, cluster: Cluster) -> None:
        cluster.seq = self.next_seq()
        self.index.put(cluster)
        self.profiles.pop(cluster.event_id, None)

    def profile(self, cluster: Cluster) -> Profile:
        found = self.profiles.get(cluster.event_id)
        if found is None:
            found = self.profiles[cluster.event_id] = profile_of(cluster)
        return found

    def taken(self, event_id: str) -> bool:
        """A live id, one retired into a live event, or a remembered expired one (see `_fresh_id`)."""
        return event_id in self.clusters or event_id in self.absorbed_ids or event_id in self.expired

    def _unindex(self, event_id: str) -> None:
        self.clusters.pop(event_id, None)
        self.index.remove(event_id)
        self.profiles.pop(event_id, None)

    def drop(self, event_id: str) -> list[str]:
        """The event ages out: it and its members leave the state, and the ids it had absorbed
        and its own are remembered as expired (returned in the order their markers must be
        written: the event's own marker replaces the one snapshot listing the absorbed ids, so
        theirs go first)."""
        cluster = self.clusters.get(event_id)
        if cluster is None:
            return []
        for member in cluster.members:
            self.forget(member)
        self.absorbed_ids.difference_update(cluster.absorbed)
        self._unindex(event_id)
        ids = [*cluster.absorbed, event_id]
        for gone in ids:
            self.expired[gone] = cluster.updated_at
        return ids

    def retire(self, gone: Cluster, into: Cluster) -> None:
        """`gone`'s articles now live elsewhere (mostly in `into`, which remembers the id): the
        caller tombstones it (drains `retired`)."""
        # Every one, for as long as `into` lives: an id forgotten sooner could be given to a new
        # event (derived again from its founding article, see core._fresh_id), whose versions
        # would start below those subscribers already hold, and the sink would ignore it.
        into.absorbed = tuple(dict.fromkeys([*into.absorbed, *gone.absorbed, gone.event_id]))
        self.absorbed_ids.add(gone.event_id)
        self._unindex(gone.event_id)
        self.retired.append(gone.event_id)

    def version(self, cluster: Cluster) -> Event:
        """The event's current version, to publish. Its type is the majority of its articles'
        and may change as articles come: the event then leaves the old type's topic, so the
        old type is noted in `retyped` (for now) and in `left_types` (snapshotted: a worker
        killed before publishing learns them again on restore, see `_resend_recent`)."""
        event = build_event(cluster)
        if cluster.type is not None and cluster.type != event.type:
            if cluster.type not in cluster.left_types:
                cluster.left_types = (*cluster.left_types, cluster.type)
            self.retyped.setdefault(cluster.event_id, []).append(cluster.type)
        cluster.type = event.type
        return event

    def event(self, event_id: str) -> Event | None:
        """The current version of an event, if it is in the state (to read; `version` to publish)."""
        cluster = self.clusters.get(event_id)
        return build_event(cluster) if cluster else None

    def event_for(self, article_id: str) -> Event | None:
        """The current version of the event holding an article (to resend after a redelivery:
        the version last built for publication, so its type is the one already noted)."""
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


def _reconcile(clusters: list[Cluster], leaving: dict[str, set[str]]) -> tuple[list[Cluster], list[str], list[str]]:
    """Snapshots written by a worker killed halfway through a flush can disagree: an event merged
    into another whose tombstone never reached the changelog, an article both in the event it
    left and the one it joined, an event still holding articles it was giving away (`leaving`,
    see `write_order`). Each article stays in one event: the latest (clusters come in `seq`
    order) that is neither merged away nor giving it away, or, when the writes that would have
    moved it never landed, the latest of the others. An event merged away that so keeps
    articles lives on, and the events listing it as absorbed forget it. Events left empty are
    returned for their tombstones to go out now; events whose articles changed, or that were
    caught giving some away, get a new version to publish again. Each article is then in
    exactly one event, and none is lost.
    """
    absorbed = {event_id for c in clusters for event_id in c.absorbed}
    owner: dict[str, tuple[bool, str]] = {}
    for cluster in clusters:
        for m in cluster.members:
            settled = cluster.event_id not in absorbed and m.id not in leaving.get(cluster.event_id, ())
            held = owner.get(m.id)
            if held is None or settled >= held[0]:
                owner[m.id] = (settled, cluster.event_id)
    kept, retired, changed = [], [], []
    revived: set[str] = set()
    for cluster in clusters:
        seen: set[str] = set()
        members = []
        for m in cluster.members:
            if owner[m.id][1] == cluster.event_id and m.id not in seen:
                seen.add(m.id)
                members.append(m)
        if not members:
            retired.append(cluster.event_id)
            continue
        if cluster.event_id in absorbed:
            revived.add(cluster.event_id)
        if len(members) != len(cluster.members) or cluster.event_id in leaving or cluster.event_id in absorbed:
            cluster.members = members
            cluster.recompute_centroid()
            cluster.version += 1
            changed.append(cluster.event_id)
        kept.append(cluster)
    for cluster in kept:
        if revived.intersection(cluster.absorbed):
            cluster.absorbed = tuple(e for e in cluster.absorbed if e not in revived)
            if cluster.event_id not in changed:
                cluster.version += 1
                changed.append(cluster.event_id)
    return kept, retired, changed


def _resend_recent(clusters: list[Cluster], tombstones: list[str], republish: list[str],
                   retyped: dict[str, list[str]]) -> None:
    """The latest changes may be in the changelog but not yet on news.events: a worker writes
    the state first and publishes after, and was perhaps killed in between. The article that
    caused them comes again (it was not committed), but a merge that already happened re-sends
    only that article's event, not the other events it changed nor the tombstones of events it
    absorbed. So the events changed last, and tombstones for the ids they absorbed, are
    published again: the sink keeps a version it has, and deleting a deleted event does nothing.
    So are the tombstones of their copies under the types they left (`DedupState.version`).
    """
    if not clusters:
        return
    latest = max(c.seq for c in clusters)
    live = {c.event_id for c in clusters}
    for cluster in clusters:
        if cluster.seq > latest - RESEND_AFTER_RESTORE:
            if cluster.event_id not in republish:
                republish.append(cluster.event_id)
            if cluster.left_types:
                retyped.setdefault(cluster.event_id, []).extend(cluster.left_types)
            tombstones.extend(gone for gone in cluster.absorbed if gone not in live and gone not in tombstones)
