"""The deduper's knobs, in one place: one fixed configuration serves every stream."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DedupConfig:
    #: Events with no new article for this long are dropped from the state by `expire`.
    window_days: float = 7.0
    #: The ids of events that aged out stay taken this long after the event's last article (a
    #: small marker each, in the state and its changelog): an article of theirs coming back
    #: starts an event under another id, since subscribers and the sink hold the old id at a
    #: version a new event would start below.
    remember_expired_days: float = 90.0
    #: The average cosine an article needs to join an event, by how many of the two sides' two
    #: leading names the other side lacks (0..4); see docs/dedup.md for the measurement behind it.
    name_bars: tuple[float, ...] = (0.12, 0.16, 0.22, 0.3, 0.45)
    #: Two events whose articles reach the same bar plus this margin, pair by pair on average,
    #: become one (online average-link agglomeration: early splits heal as evidence comes in).
    merge_margin: float = 0.03
    #: Rounds of event merging after one article (each round merges one pair).
    merge_rounds: int = 0
    #: Extra similarity demanded when the article's event type differs from the event's. Zero by
    #: default: extracted types disagree within one story too often (measured, docs/dedup.md).
    type_conflict_margin: float = 0.0
    #: Extra similarity demanded when both name people and none of them is shared.
    people_conflict_margin: float = 0.05
    #: The bar when the article's own event date differs from the event's: same people or place
    #: on another day is another event unless the texts are clearly about one thing.
    date_conflict_threshold: float = 0.4
    #: Publication dates further apart than this (days) also ask for `date_conflict_threshold`.
    max_gap_days: float = 10.0
    #: Estimated shingle Jaccard at or above which an article is reported as a copy of another.
    duplicate_jaccard: float = 0.7
    #: Terms kept per article vector (the heaviest ones): bounds memory and scoring time.
    terms_per_article: int = 80
    #: Terms of an event's centroid put in the inverted index.
    index_terms: int = 24
    #: Terms of an incoming article used to look candidates up.
    query_terms: int = 16
    #: Entries read per posting list in a lookup, the most recently indexed events first: a term
    #: thousands of events share costs no more than a rare one (no list is cut: see candidate_index).
    posting_scan: int = 64
    #: Candidates scored in full per article.
    max_candidates: int = 12
    #: Events scored for merging with the event an article just changed.
    max_merge_candidates: int = 12
    #: Articles kept per event; further near-copies are counted, not listed.
    max_articles: int = 200
    #: Candidates at least this similar (average cosine) form the article's block with its event.
    block_floor: float = 0.05
    #: A block of this many articles or more is regrouped with block-local weights (0: never).
    regroup_min_articles: int = 8
    #: Larger blocks are not regrouped (bounds the cost: agglomeration is cubic in the block).
    regroup_max_articles: int = 30
    #: Average local-weighted cosine at which regrouping joins two groups.
    regroup_threshold: float = 0.09
    #: ... and at least this average plain cosine, the lowest bar of the joining rule (0: none).
    regroup_plain_floor: float = 0.12
    #: Local weights: (log((n + 1) / block df) + local_floor) ** local_alpha.
    local_alpha: float = 0.5
    local_floor: float = 0.1
    #: Groups whose dates lie further apart than this (days) are not joined by regrouping (0: no
    #: date check; extracted dates are noisy enough that the check costs more than it saves).
    regroup_max_gap_days: float = 0.0
    #: Two groups whose extracted event dates (each group's majority) differ are joined by
    #: regrouping only at this average plain cosine: the same people in the same city on another
    #: day is another event unless the texts say otherwise (docs/dedup.md, "Regrouping and dates").
    regroup_date_floor: float = 0.25
    #: Characters of text used for features (a 1 MB article costs as much as a long one).
    max_feature_chars: int = 60_000

    def __post_init__(self) -> None:
        if self.remember_expired_days < self.window_days:
            raise ValueError(f"remember_expired_days ({self.remember_expired_days}) must be at least "
                             f"window_days ({self.window_days}): an id must stay taken while its event lives")
