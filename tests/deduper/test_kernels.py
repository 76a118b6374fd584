"""The C kernels give what their Python versions give, bit for bit, ties and errors included."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.deduper import kernels

native = kernels._kernels
needs_c = pytest.mark.skipif(native is None and os.environ.get("CI") != "true",
                             reason="the C kernels are not built (no compiler at install time)")

TERMS = [f"term{i}" for i in range(150)]
#: Rounded weights as the state holds them, plus a few exact ties; any finite float besides.
weights = st.one_of(st.sampled_from([0.1, 0.25, 0.5, 1.0]),
                    st.floats(0, 1).map(lambda w: round(w, 5)),
                    st.floats(-1e6, 1e6, allow_nan=False))
vectors = st.dictionaries(st.sampled_from(TERMS), weights, max_size=120)


def test_the_c_kernels_are_built_where_ci_runs() -> None:
    # CI installs with a compiler: a silent fall-back there would leave the C code untested.
    if os.environ.get("CI") == "true":
        assert native is not None and kernels.NATIVE


@needs_c
@settings(max_examples=400, deadline=None)
@given(vectors, vectors)
def test_dot_matches(a: dict[str, float], b: dict[str, float]) -> None:
    expected = kernels.dot_py(a, b)
    assert native.dot(a, b) == expected and native.dot(b, a) == expected


@needs_c
def test_dot_of_many_shared_terms_rounds_once() -> None:
    # More products than the C side keeps on its stack, summed where plain addition would drift.
    a = {t: (1e16 if i % 2 else 1.0) for i, t in enumerate(TERMS)}
    b = {t: (-1.0 if i % 4 == 1 else 1.0) for i, t in enumerate(TERMS)}
    assert native.dot(a, b) == kernels.dot_py(a, b)


@needs_c
@settings(max_examples=400, deadline=None)
@given(vectors, st.integers(-1, 130))
def test_top_terms_match(vector: dict[str, float], n: int) -> None:
    assert native.top_terms(vector, n) == kernels.top_terms_py(vector, n)


EVENTS = [f"ev-{i}" for i in range(30)]
postings = st.dictionaries(
    st.sampled_from(TERMS[:20]),
    st.one_of(st.sampled_from(EVENTS),
              st.lists(st.sampled_from(EVENTS), min_size=2, max_size=25, unique=True).map(dict.fromkeys)))


@needs_c
@settings(max_examples=400, deadline=None)
@given(postings, st.lists(st.sampled_from(TERMS[:25]), max_size=20), st.integers(0, 8), st.integers(-1, 15),
       st.dictionaries(st.sampled_from(TERMS[:25]), st.sampled_from([0.1, 0.2, 0.3, 0.7]), min_size=25, max_size=25),
       st.booleans())
def test_candidates_match(posting_lists, terms, scan, limit, query, as_tuple) -> None:
    terms = tuple(terms) if as_tuple else terms
    assert native.candidates(posting_lists, terms, query, scan, limit) == \
        kernels.candidates_py(posting_lists, terms, query, scan, limit)


@needs_c
def test_bad_arguments_raise_like_python() -> None:
    with pytest.raises(KeyError):
        native.candidates({"a": "ev-1"}, ["a"], {}, 4, 3)
    with pytest.raises(KeyError):
        kernels.candidates_py({"a": "ev-1"}, ["a"], {}, 4, 3)
    with pytest.raises(TypeError):
        native.dot({"a": 1.0}, ["a"])
    with pytest.raises(TypeError):
        native.dot({"a": "x"}, {"a": 1.0})
    with pytest.raises(TypeError):
        native.top_terms({"a": 1.0}, "2")
    with pytest.raises(TypeError):
        native.candidates({"a": 3}, ["a"], {"a": 1.0}, 4, 3)


counts = st.dictionaries(st.sampled_from(TERMS), st.one_of(st.sampled_from([0.5, 1.0, 2.0, 3.0, 4.5]),
                                                           st.floats(0, 50, allow_nan=False)), max_size=150)
frequencies = st.dictionaries(st.sampled_from(TERMS), st.integers(1, 10_000), max_size=150)


@needs_c
@settings(max_examples=400, deadline=None)
@given(counts, frequencies, st.integers(1, 20_000), st.integers(-1, 160), st.integers(0, 3))
def test_weigh_matches(counts, df, docs, keep, room) -> None:
    shared_py: dict[float, float] = {0.5: 0.5}
    shared_c = dict(shared_py)
    expected = kernels.weigh_py(counts, df, docs, keep, shared_py, 1 + room)
    got = native.weigh(counts, df, docs, keep, shared_c, 1 + room)
    assert list(got.items()) == list(expected.items())  # same terms, order and weights
    assert shared_c == shared_py
    # Weights come from the memo when it holds their value, and terms are interned.
    assert all(w is shared_c[w] for w in got.values() if w in shared_c)
    assert all(t is sys.intern(t) for t in got)


@needs_c
def test_weigh_rounds_like_round_across_a_sweep() -> None:
    # 20,000 two- and three-term vectors: many weights land near a rounding boundary.
    for i in range(20_000):
        counts = {"a": 1.0 + i % 7, "b": 1.0 + i % 13 / 2, "c": 1.0 + i % 3}
        df = {"a": i % 101, "b": i % 37, "c": 1 + i % 5}
        keep = 2 + i % 2
        assert native.weigh(counts, df, 50 + i, keep, {}, 0) == kernels.weigh_py(counts, df, 50 + i, keep, {}, 0)
