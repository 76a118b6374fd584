"""Regrouping a block with block-local weights: two events of one kind end up apart, and the
state stays consistent (every article in exactly one live event, retired ids gone, restore works)."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np

from newsdesk.deduper import DedupConfig, DedupState, core, merge
from newsdesk.deduper.model import Member
from newsdesk.deduper.regroup import RegroupRule, block_cosines, partition
from newsdesk.deduper.term_arrays import PAIR, unpack
from newsdesk.records import ExtractedArticle

NOW = datetime(2031, 5, 2, 8, tzinfo=UTC)

def _member(id: str, vec: dict[str, float], names: tuple[str, ...] = (), date: str | None = None) -> Member:
    return Member(id=id, hash=id, vec=vec, sketch=[], names=list(names), date=date)


_RULE = RegroupRule(threshold=0.09, plain_floor=0.12, strangers_floor=0.45, max_gap_days=0, date_conflict_floor=0.25,
                    alpha=0.5, floor=0.1)


def _reference(members: list[Member], rule: RegroupRule) -> list[list[int]]:
    """The rule spelt out the slow way: local unit vectors, then average-link over all pairs."""
    n = len(members)
    df = Counter(t for m in members for t in m.vec)
    local = []
    for m in members:
        scaled = {t: w * (math.log((n + 1) / df[t]) + rule.floor) ** rule.alpha for t, w in m.vec.items()}
        norm = math.sqrt(sum(w * w for w in scaled.values())) or 1.0
        local.append({t: w / norm for t, w in scaled.items()})

    def cos(a: dict[str, float], b: dict[str, float]) -> float:
        return sum(w * b[t] for t, w in a.items() if t in b)

    def lead(group: list[int]) -> list[str]:
        return [name for name, _ in Counter(x for i in group for x in members[i].names[:2]).most_common(2)]

    def day(group: list[int]) -> str | None:
        dates = [members[i].date for i in sorted(group) if members[i].date]
        counts = Counter(dates)
        return max(dates, key=lambda d: (counts[d], -dates.index(d))) if dates else None

    def strangers(a: list[int], b: list[int]) -> bool:
        lead_a, lead_b = lead(a), lead(b)
        terms_a = {t for i in a for t in members[i].vec}
        terms_b = {t for i in b for t in members[i].vec}
        return bool(lead_a and lead_b) and not any(x in terms_b for x in lead_a) \
            and not any(x in terms_a for x in lead_b)

    groups = [[i] for i in range(n)]
    blocked: set[tuple[int, int]] = set()
    while True:
        best = None
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                a, b = groups[x], groups[y]
                if (min(a), min(b)) in blocked:
                    continue
                score = sum(cos(local[i], local[j]) for i in a for j in b) / (len(a) * len(b))
                if score >= rule.threshold and (best is None or score > best[0]):
                    best = (score, x, y)
        if best is None:
            return sorted(groups, key=min)
        _, x, y = best
        a, b = groups[x], groups[y]
        plain = sum(cos(members[i].vec, members[j].vec) for i in a for j in b) / (len(a) * len(b))
        dates_differ = day(a) is not None and day(b) is not None and day(a) != day(b)
        if plain < rule.plain_floor or (plain < rule.strangers_floor and strangers(a, b)) or \
                (plain < rule.date_conflict_floor and dates_differ):
            blocked.add((min(a), min(b)))
            continue
        groups[x] = a + b
        del groups[y]
        blocked = {p for p in blocked if min(a) not in p and min(b) not in p}


def test_pair_cosines_use_weights_local_to_the_block() -> None:
    members = [_member("a", {"bridge": 0.6, "marlow": 0.8}), _member("b", {"bridge": 0.6, "marlow": 0.8}),
               _member("c", {"bridge": 0.6, "quenby": 0.8})]
    scores = block_cosines(members, alpha=0.5, floor=0.1)
    plain_ab, local_ab = scores.pair(0, 1)
    plain_ac, local_ac = scores.pair(0, 2)
    assert abs(plain_ab - 1.0) < 1e-9 and abs(local_ab - 1.0) < 1e-9
    # 'bridge' is in every article of the block: locally it says less than globally.
    assert abs(plain_ac - 0.36) < 1e-9 and local_ac < plain_ac / 2


def test_pair_cosines_do_not_depend_on_how_terms_are_numbered() -> None:
    # Each process numbers terms by its own string hash, so the block's columns come in another
    # order in another process: the cosines must still come out bit for bit the same, or a
    # restored worker could decide a tie differently from the one before it.
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(60)]
    members = []
    for i in range(25):
        vec = {t: rng.random() for t in rng.sample(vocabulary, rng.randrange(5, 40))}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        members.append(_member(f"m{i}", {t: round(w / norm, 5) for t, w in vec.items()}))
    before = block_cosines(members, alpha=0.5, floor=0.1)
    for m in members:  # another numbering: the same terms, sorted into another column order
        pairs = unpack(m.packed).copy()
        pairs["term"] ^= 0x5DEECE66D
        m.packed = np.sort(pairs, order="term").astype(PAIR).tobytes()
    after = block_cosines(members, alpha=0.5, floor=0.1)
    assert before.plain.tobytes() == after.plain.tobytes()
    assert before.local.tobytes() == after.local.tobytes()
    assert before.plain.max() > 0.2  # the block does share terms


def test_average_link_keeps_two_cohesive_groups_apart() -> None:
    members = [_member("a", {"x": 1.0}), _member("b", {"x": 0.9, "t": 0.1}),
               _member("c", {"y": 1.0}), _member("d", {"y": 0.9, "t": 0.1})]
    assert partition(members, _RULE) == [[0, 1], [2, 3]]
    loose = RegroupRule(threshold=0.002, plain_floor=0.0, strangers_floor=0.0, max_gap_days=0, date_conflict_floor=0.0,
                        alpha=0.5, floor=0.1)
    assert sorted(map(sorted, partition(members, loose))) == [[0, 1, 2, 3]]


def test_groups_naming_different_days_join_only_on_close_texts() -> None:
    # The same people in the same city, the next day: the texts share the names and the place
    # and little else (plain cosine 0.2 with each report), and each side names its own day.
    def unit(vec: dict[str, float]) -> dict[str, float]:
        norm = math.sqrt(sum(w * w for w in vec.values()))
        return {t: w / norm for t, w in vec.items()}

    shared = {"reykjavik": 0.32, "lavrov": 0.32}
    reports = [_member(f"r{i}", unit({**shared, "meeting": 0.7, f"own{i}": 0.55}), date=d)
               for i, d in enumerate(["2031-05-01", None, None])]
    next_day = _member("council", unit({**shared, "arctic": 0.7, "ministers": 0.55}), date="2031-05-02")
    members = [*reports, next_day]
    assert all(0.15 < block_cosines(members, 0.5, 0.1).pair(i, 3)[0] < 0.25 for i in range(3))
    # A low local threshold, so that only the date check can keep the two apart.
    dated = RegroupRule(threshold=0.01, plain_floor=0.12, strangers_floor=0.45, max_gap_days=0,
                        date_conflict_floor=0.25, alpha=0.5, floor=0.1)
    blind = RegroupRule(threshold=0.01, plain_floor=0.12, strangers_floor=0.45, max_gap_days=0,
                        date_conflict_floor=0.0, alpha=0.5, floor=0.1)
    assert partition(members, dated) == [[0, 1, 2], [3]]
    assert sorted(map(sorted, partition(members, blind))) == [[0, 1, 2, 3]]
    # Near-identical texts still join whatever the extracted days say (extractors err).
    retold = _member("retold", dict(reports[0].vec), date="2031-05-02")
    assert sorted(map(sorted, partition([*reports, retold], dated))) == [[0, 1, 2, 3]]


def test_partition_is_the_plain_average_link_on_random_blocks() -> None:
    # Blocks of two or three topics, with copies (ties) and shared names, under several rules:
    # the fast path (cells, best partners, pair sums) must give what the slow rule gives.
    rng = random.Random(5)
    vocabulary = [f"t{i}" for i in range(200)]
    rules = [_RULE, RegroupRule(0.2, 0.3, 0.5, 0, 0.0, 0.5, 0.1), RegroupRule(0.05, 0.0, 1.0, 0, 0.4, 0.6, 0.05)]
    for trial in range(80):
        topics = [rng.sample(vocabulary, 15) for _ in range(rng.randrange(1, 4))]
        members = []
        for i in range(rng.randrange(2, 18)):
            topic = rng.choice(topics)
            terms = rng.sample(topic, rng.randrange(3, 12)) + rng.sample(vocabulary, rng.randrange(0, 20))
            vec = {t: rng.random() for t in terms}
            norm = math.sqrt(sum(w * w for w in vec.values()))
            members.append(_member(f"m{i}", {t: round(w / norm, 5) for t, w in vec.items()},
                                   tuple(rng.sample(topic[:4], 2)),
                                   rng.choice([None, None, "2031-05-01", "2031-05-02"])))
        if trial % 4 == 0:
            members += [_member(f"copy{k}", dict(members[0].vec), tuple(members[0].names)) for k in range(2)]
        rule = rules[trial % len(rules)]
        assert sorted(map(sorted, partition(members, rule))) == sorted(map(sorted, _reference(members, rule)))


# A joining rule so lax that every article joins the first event: only regrouping can split it.
_LAX = {"name_bars": (0.01,), "date_conflict_threshold": 0.01, "people_conflict_margin": 0.0}


def test_without_regrouping_the_lax_rule_mixes_the_two_events(F) -> None:
    state = DedupState(DedupConfig(regroup_min_articles=0, **_LAX))
    for article in F.BRIDGE_COLLAPSES:
        merge(state, article, NOW)
    assert len(state.clusters) == 1


def test_regrouping_splits_a_mixed_event_and_the_state_stays_consistent(F) -> None:
    state = DedupState(DedupConfig(regroup_min_articles=4, **_LAX))
    latest = {}
    for n, article in enumerate(F.BRIDGE_COLLAPSES):
        for event in merge(state, article, NOW + timedelta(minutes=n)):
            latest[event.event_id] = event
        retired = set(state.retired)
        state.retired.clear()
        for event_id in retired:
            assert event_id not in state.clusters
            latest.pop(event_id, None)
        # Every article seen so far is in exactly one live event, and the lookup agrees.
        placed = [m.id for c in state.clusters.values() for m in c.members]
        assert sorted(placed) == sorted(a.id for a in F.BRIDGE_COLLAPSES[: n + 1])
        assert all(state.clusters[state.event_of_article[a]] for a in placed)
    groups = {frozenset(m.id[0] for m in c.members) for c in state.clusters.values()}
    assert groups == {frozenset("m"), frozenset("q")}
    # What the caller holds (latest versions minus tombstones) is what the state holds.
    assert {e: sorted(a.id for a in ev.articles) for e, ev in latest.items()} == \
        {e: sorted(m.id for m in c.members) for e, c in state.clusters.items()}
    restored = DedupState.restore(state.snapshot(e) for e in state.clusters)
    assert restored.event_of_article == state.event_of_article


def test_an_article_like_no_other_article_does_not_regroup_the_events_around_it(F, monkeypatch) -> None:
    state = DedupState(DedupConfig(regroup_min_articles=4))
    for n, article in enumerate(F.BRIDGE_COLLAPSES):
        merge(state, article, NOW + timedelta(minutes=n))
    before = {e: (c.version, [m.id for m in c.members]) for e, c in state.clusters.items()}
    assert len(before) == 2
    regroupings = []
    monkeypatch.setattr(core, "partition", lambda *args: regroupings.append(args) or partition(*args))
    # Of the same kind as both events (river, divers, rescue) but close to none of their articles.
    festival = ExtractedArticle(id="z1", text="River festival\nThe river festival drew crowds for the morning boat "
                                "race, and divers gave a rescue display near the water while the orchestra played.")
    changed = merge(state, festival, NOW + timedelta(hours=1))
    assert [e.event_id for e in changed] == [state.event_of_article["z1"]]
    assert state.event_of_article["z1"] not in before
    # An arrival that resembles nothing must not be what splits or joins the events around it.
    assert regroupings == []
    assert {e: (c.version, [m.id for m in c.members]) for e, c in state.clusters.items() if e in before} == before
    # An article close to one of them does regroup its block.
    marlow = ExtractedArticle(id="m9", text="Bridge collapse\nIn Marlow, Ilse Brandt said divers had found the "
                              "Kessel Viaduct deck downstream; the bridge collapsed during the morning traffic.")
    merge(state, marlow, NOW + timedelta(hours=2))
    assert len(regroupings) == 1


def test_an_event_id_merged_away_never_returns_with_lower_versions() -> None:
    # Ten towns opening libraries, 48 stories each: regrouping splits and joins each town's events
    # over and over, so a town's event absorbs far more than a few ids. A new event given one of
    # them (ids derive from founding articles) would restart its versions below what the sink
    # holds, and the sink would ignore it.
    from town_stories import articles

    from newsdesk.cleaner import clean
    from newsdesk.extractor import extract

    state = DedupState()
    highest: dict[str, int] = {}
    for i, raw in enumerate(articles(480)):
        for event in merge(state, extract(clean(raw)), NOW):
            assert event.version > highest.get(event.event_id, 0), (i, event.event_id, event.version)
            highest[event.event_id] = event.version
        state.retired.clear()
    assert max(len(c.absorbed) for c in state.clusters.values()) > 32
