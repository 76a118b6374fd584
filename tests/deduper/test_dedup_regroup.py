"""Regrouping a block with block-local weights: two events of one kind end up apart, and the
state stays consistent (every article in exactly one live event, retired ids gone, restore works)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.deduper import DedupConfig, DedupState, merge
from newsdesk.deduper.model import Member
from newsdesk.deduper.regroup import average_link, local_vectors
from newsdesk.records import ExtractedArticle

NOW = datetime(2031, 5, 2, 8, tzinfo=UTC)

# Two fictional bridge collapses: the topic words are shared, the town, people and figures are not.
_TOPIC = ("The bridge collapsed into the river during the morning traffic, and rescue divers searched "
          "the water while inspectors examined the broken span.")
_MARLOW = [
    "In Marlow, engineer Ilse Brandt said the Kessel Viaduct had been flagged for repairs in 2029.",
    "Marlow officials said 14 people were injured when the Kessel Viaduct fell; Ilse Brandt led the survey.",
    "Residents of Marlow laid flowers by the Kessel Viaduct as Brandt spoke to reporters.",
    "Brandt told the Marlow council the Kessel Viaduct cables had corroded.",
    "Marlow mayor Anke Hollis thanked the divers who worked at the Kessel Viaduct.",
    "Hollis said Marlow would rebuild the Kessel Viaduct; Brandt will chair the review.",
]
_QUENBY = [
    "In Quenby, transport minister Tomas Reyes said the Orrin Footbridge had passed checks in 2030.",
    "Quenby police said 3 people were missing after the Orrin Footbridge fell; Reyes visited the site.",
    "Students in Quenby gathered near the Orrin Footbridge as Reyes promised an inquiry.",
    "Reyes told Quenby radio the Orrin Footbridge bolts were being tested.",
    "Quenby fire chief Dana Ollix praised the divers at the Orrin Footbridge.",
    "Ollix said Quenby would reopen the river once the Orrin Footbridge debris was cleared; Reyes agreed.",
]


def _articles() -> list[ExtractedArticle]:
    out = []
    for n, (a, b) in enumerate(zip(_MARLOW, _QUENBY, strict=True)):
        out.append(ExtractedArticle(id=f"m{n}", text=f"Bridge collapse\n{a} {_TOPIC}"))
        out.append(ExtractedArticle(id=f"q{n}", text=f"Bridge collapse\n{b} {_TOPIC}"))
    return out


def _member(id: str, vec: dict[str, float]) -> Member:
    return Member(id=id, hash=id, vec=vec, sketch=[])


def test_local_weights_favour_terms_only_part_of_the_block_shares() -> None:
    members = [_member("a", {"bridge": 0.6, "marlow": 0.8}), _member("b", {"bridge": 0.6, "marlow": 0.8}),
               _member("c", {"bridge": 0.6, "quenby": 0.8})]
    vectors = local_vectors(members, alpha=0.5, floor=0.1)
    # 'bridge' is in every article of the block: it says least about which event an article is.
    assert vectors[0]["bridge"] < 0.6 < vectors[2]["quenby"] / vectors[2]["bridge"]
    assert abs(sum(w * w for w in vectors[0].values()) - 1.0) < 1e-9


def test_average_link_keeps_two_cohesive_groups_apart() -> None:
    members = [_member(i, {}) for i in "abcd"]
    vectors = [{"x": 1.0}, {"x": 0.9, "t": 0.1}, {"y": 1.0}, {"y": 0.9, "t": 0.1}]
    assert average_link(members, vectors, threshold=0.5, max_gap_days=0) == [[0, 1], [2, 3]]
    assert average_link(members, vectors, threshold=0.002, max_gap_days=0) == [[0, 1, 2, 3]]


# A joining rule so lax that every article joins the first event: only regrouping can split it.
_LAX = {"name_bars": (0.01,), "date_conflict_threshold": 0.01, "people_conflict_margin": 0.0}


def test_without_regrouping_the_lax_rule_mixes_the_two_events() -> None:
    state = DedupState(DedupConfig(regroup_min_articles=0, **_LAX))
    for article in _articles():
        merge(state, article, NOW)
    assert len(state.clusters) == 1


def test_regrouping_splits_a_mixed_event_and_the_state_stays_consistent() -> None:
    state = DedupState(DedupConfig(regroup_min_articles=4, **_LAX))
    latest = {}
    for n, article in enumerate(_articles()):
        for event in merge(state, article, NOW + timedelta(minutes=n)):
            latest[event.event_id] = event
        retired = set(state.retired)
        state.retired.clear()
        for event_id in retired:
            assert event_id not in state.clusters
            latest.pop(event_id, None)
        # Every article seen so far is in exactly one live event, and the lookup agrees.
        placed = [m.id for c in state.clusters.values() for m in c.members]
        assert sorted(placed) == sorted(a.id for a in _articles()[: n + 1])
        assert all(state.clusters[state.event_of_article[a]] for a in placed)
    groups = {frozenset(m.id[0] for m in c.members) for c in state.clusters.values()}
    assert groups == {frozenset("m"), frozenset("q")}
    # What the caller holds (latest versions minus tombstones) is what the state holds.
    assert {e: sorted(a.id for a in ev.articles) for e, ev in latest.items()} == \
        {e: sorted(m.id for m in c.members) for e, c in state.clusters.items()}
    restored = DedupState.restore(state.snapshot(e) for e in state.clusters)
    assert restored.event_of_article == state.event_of_article
