"""Publication order across sources: the order the fetcher fetches a backlog in."""

from newsdesk.fetcher.backlog import oldest_first, published_timestamp


def test_offsets_are_compared_as_instants_and_naive_times_as_utc():
    items = ["2026-11-23T08:30:00+00:00", "2026-11-23T09:00:00+01:00", "2026-11-23T08:45:00", "2026-11-23"]
    assert oldest_first(items, lambda d: d) == [
        "2026-11-23", "2026-11-23T09:00:00+01:00", "2026-11-23T08:30:00+00:00", "2026-11-23T08:45:00"]


def test_undated_and_unreadable_items_follow_in_their_own_order():
    items = [("a", None), ("b", "yesterday"), ("c", "2026-11-24"), ("d", ""), ("e", "2026-11-23")]
    assert [k for k, _ in oldest_first(items, lambda i: i[1])] == ["e", "c", "a", "b", "d"]


def test_ties_keep_the_given_order():
    items = [("x", "2026-11-23T08:00:00Z"), ("y", "2026-11-23T08:00:00+00:00"), ("z", "2026-11-22")]
    assert [k for k, _ in oldest_first(items, lambda i: i[1])] == ["z", "x", "y"]


def test_timestamps():
    assert published_timestamp("1970-01-01T00:01:00Z") == 60.0
    assert published_timestamp(" 1970-01-01T01:00:00+01:00 ") == 0.0
    assert published_timestamp("Mon, 23 Nov 2026") is None
