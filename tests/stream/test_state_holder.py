"""When the deduper's state may outlive a rebalance (`StateHolder`)."""

from __future__ import annotations

from newsdesk.deduper import DedupState
from newsdesk.stream.deduper import StateHolder


def holding() -> tuple[StateHolder, DedupState]:
    holder, state = StateHolder(), DedupState()
    holder.state = state
    return holder, state


def test_a_partition_kept_with_the_changelog_unmoved_keeps_the_state() -> None:
    holder, state = holding()
    holder.park((41,))
    assert holder.state is None  # nothing merges into it while the group rebalances
    assert holder.resume((41,)) is state and holder.state is state


def test_a_changelog_that_moved_meanwhile_means_a_rebuild() -> None:
    # Another worker held the partition and wrote to it; the recovery read its records.
    holder, _ = holding()
    holder.park((41,))
    assert holder.resume((57,)) is None and holder.state is None


def test_a_partition_that_went_and_came_back_means_a_rebuild() -> None:
    # Its store forgot the offsets when the partition was revoked.
    holder, _ = holding()
    holder.park((41,))
    assert holder.resume((None,)) is None


def test_nothing_written_yet_or_nothing_drained_means_a_rebuild() -> None:
    holder, _ = holding()
    holder.park((None,))
    assert holder.resume((None,)) is None
    holder, _ = holding()
    holder.drop()  # the revocation could not publish everything merged
    assert holder.resume((41,)) is None


def test_a_state_is_resumed_once() -> None:
    holder, state = holding()
    holder.park((41,))
    assert holder.resume((41,)) is state
    holder.state = None  # the rebalance completed: a state built meanwhile is dropped
    assert holder.resume((41,)) is None


def test_two_revocations_in_a_row_keep_what_was_parked_first() -> None:
    holder, state = holding()
    holder.park((41,))
    holder.park((41,))
    assert holder.resume((41,)) is state
    holder, state = holding()
    holder.park((41,))
    holder.park((57,))  # written by another owner between the two
    assert holder.resume((57,)) is None
