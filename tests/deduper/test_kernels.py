"""The C kernels give what their Python versions give, bit for bit, on the deduper's plain input;
they refuse other input cleanly and never crash, whatever the input does while they run."""

from __future__ import annotations

import collections
import math
import os
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.deduper import kernels
from newsdesk.deduper.term_arrays import pack

native = kernels._kernels
needs_c = pytest.mark.skipif(native is None and os.environ.get("CI") != "true",
                             reason="the C kernels are not built (no compiler at install time)")


def bits(x: float) -> bytes:
    return struct.pack("<d", x)  # == would take -0.0 for 0.0


TERMS = [f"term{i}" for i in range(150)]
#: Rounded weights as the state holds them, plus exact ties, zeros of both signs and any finite float.
weights = st.one_of(st.sampled_from([0.1, 0.25, 0.5, 1.0, 0.0, -0.0]),
                    st.floats(0, 1).map(lambda w: round(w, 5)),
                    st.floats(-1e6, 1e6, allow_nan=False))
vectors = st.dictionaries(st.sampled_from(TERMS), weights, max_size=120)


def test_the_c_kernels_are_built_where_ci_runs() -> None:
    # CI installs with a compiler: a silent fall-back there would leave the C code untested.
    if os.environ.get("CI") == "true":
        assert native is not None and kernels.NATIVE


@needs_c
@settings(max_examples=500, deadline=None)
@given(vectors)
def test_pack_matches(vector: dict[str, float]) -> None:
    assert native.pack(vector) == kernels.pack_py(vector)


def dict_dot(a: dict[str, float], b: dict[str, float]) -> float:
    """What a packed dot product means: fsum of the products over the terms both dicts hold."""
    return math.fsum(a[t] * b[t] for t in a.keys() & b.keys())


def packed_dot_both(a: dict[str, float], b: dict[str, float]) -> object:
    """The dot product by the C kernel, the Python version and the dicts' definition, in both
    argument orders: one value (as bits) when all agree, else everything each gave."""
    results = []
    for x, y in ((a, b), (b, a)):
        for dot in (native.packed_dot, kernels.packed_dot_py):
            try:
                results.append(bits(dot(pack(x), pack(y))))
            except (OverflowError, ValueError) as exc:
                results.append(type(exc))
    try:
        results.append(bits(dict_dot(a, b)))
    except (OverflowError, ValueError) as exc:
        results.append(type(exc))
    return results[0] if len(set(results)) == 1 else results


@needs_c
@settings(max_examples=500, deadline=None)
@given(vectors, vectors)
def test_packed_dot_matches(a: dict[str, float], b: dict[str, float]) -> None:
    assert packed_dot_both(a, b) == bits(dict_dot(a, b))


@needs_c
def test_packed_dot_of_many_shared_terms_rounds_once() -> None:
    # More products than the C side first makes room for, summed where plain addition would drift.
    a = {t: (1e16 if i % 2 else 1.0) for i, t in enumerate(TERMS)}
    b = {t: (-1.0 if i % 4 == 1 else 1.0) for i, t in enumerate(TERMS)}
    assert packed_dot_both(a, b) == bits(dict_dot(a, b))


@needs_c
@settings(max_examples=500, deadline=None)
@given(st.lists(st.floats(-1e300, 1e300), max_size=150),
       st.lists(st.sampled_from([1.0, -1.0, 0.5, 2.0, 1e-300]), min_size=150, max_size=150))
def test_packed_dot_sums_as_fsum_does_over_any_magnitudes(values: list[float], scale: list[float]) -> None:
    # The C side sums the products itself, with fsum's algorithm: cancellations, values far
    # apart in magnitude (down to subnormal) and halfway cases across partials must round as fsum
    # rounds. (Bounded so that no order of the products overflows: where fsum overflows depends
    # on the order.)
    a = dict(zip(TERMS, values, strict=False))
    b = dict(zip(TERMS, scale, strict=False))
    assert packed_dot_both(a, b) == bits(dict_dot(a, b))


@needs_c
@pytest.mark.parametrize("values", [[1e-16, 1.0, 1e16], [1.0, 1e100, 1.0, -1e100], [2.0 ** 53, 1.0, -2.0 ** -52],
                                    [0.1] * 10, [-0.0, -0.0], [5e-324, 5e-324, -1e-300, 1e-300]])
def test_packed_dot_rounds_the_classic_fsum_cases_as_fsum(values: list[float]) -> None:
    a = {TERMS[i]: v for i, v in enumerate(values)}
    assert packed_dot_both(a, dict.fromkeys(a, 1.0)) == bits(dict_dot(a, dict.fromkeys(a, 1.0)))


@needs_c
@pytest.mark.parametrize(("a", "b"), [({"t": -0.0}, {"t": 1.0}), ({"t": -1.0, "u": 0.0}, {"t": 0.0, "u": 1.0}),
                                      ({"t": 1e200}, {"t": 1e200}), ({"t": 1e308, "u": 1e308}, {"t": 2.0, "u": 2.0}),
                                      ({"t": 1e300, "u": -1e300}, {"t": 1e300, "u": 1e300})])
def test_packed_dot_at_the_edges_of_fsum(a, b) -> None:
    # Products that overflow, and sums that do: whatever fsum gives or raises, both versions do.
    got = packed_dot_both(a, b)
    assert not isinstance(got, list), got


@needs_c
def test_packed_dot_counts_every_pair_of_terms_sharing_a_hash() -> None:
    # Two terms of one vector with one 64-bit hash: never seen, but defined alike on both sides.
    def packed(pairs: list[tuple[int, float]]) -> bytes:
        return np.array(pairs, dtype=kernels.PAIR).tobytes()

    a = packed([(-5, 0.5), (3, 0.25), (3, 0.125), (9, 1.0)])
    b = packed([(3, 2.0), (3, 4.0), (9, 0.5), (11, 7.0)])
    expected = math.fsum([0.25 * 2.0, 0.25 * 4.0, 0.125 * 2.0, 0.125 * 4.0, 1.0 * 0.5])
    assert native.packed_dot(a, b) == kernels.packed_dot_py(a, b) == expected
    assert native.packed_dot(b, a) == kernels.packed_dot_py(b, a) == expected
    assert native.packed_dot(a, b"") == kernels.packed_dot_py(a, b"") == 0.0


@needs_c
@pytest.mark.parametrize("dot", [lambda a, b: native.packed_dot(a, b), kernels.packed_dot_py])
def test_packed_dot_refuses_unsorted_or_cut_vectors(dot) -> None:
    good = pack({"a": 0.5, "b": 0.25})
    unsorted = good[16:] + good[:16] if good[:8] != good[16:24] else None
    with pytest.raises(ValueError):
        dot(good, good[:-1])  # not whole pairs
    if unsorted is not None:
        with pytest.raises(ValueError):
            dot(unsorted, good)
        with pytest.raises(ValueError):
            dot(good, unsorted)


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
def test_candidates_read_only_the_newest_of_long_lists_either_way() -> None:
    # A list longer than 16 x scan is read backwards, a shorter one walked: both give the newest.
    long = dict.fromkeys(f"old-{i}" for i in range(200))
    query = {"t": 1.0, "u": 0.5}
    # One event, one string object (as the index keeps it): the C tally compares ids by identity.
    lists = {"t": long, "u": list(long)[-1]}
    for scan in (3, 20):
        got = native.candidates(lists, ["t", "u"], query, scan, 4)
        assert got == kernels.candidates_py(lists, ["t", "u"], query, scan, 4)
        assert got[0] == "old-199"
    assert native.candidates({"t": long}, ["t"], query, 2**62, 3) == ["old-0", "old-1", "old-2"]


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
    assert [(t, bits(w)) for t, w in got.items()] == [(t, bits(w)) for t, w in expected.items()]
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


@needs_c
@pytest.mark.parametrize(("call", "error"), [
    (lambda: native.packed_dot(pack({"a": 1.0}), bytearray(pack({"a": 1.0}))), TypeError),
    (lambda: native.packed_dot(pack({"a": 1.0})), TypeError),
    (lambda: native.pack({"a": 1}), TypeError),  # weights are floats
    (lambda: native.pack({"a": float("nan")}), ValueError),
    (lambda: native.pack({"a": float("inf")}), ValueError),
    # NaN and inf from the Python pack: two NaNs multiplied give either one back, by operand order.
    (lambda: native.packed_dot(kernels.pack_py({"t": float("nan")}), kernels.pack_py({"t": 1.0})), ValueError),
    (lambda: native.packed_dot(kernels.pack_py({"t": 1.0}), kernels.pack_py({"t": float("-inf")})), ValueError),
    (lambda: native.pack({1: 1.0}), TypeError),
    (lambda: native.pack([("a", 1.0)]), TypeError),
    (lambda: native.top_terms({"a": 1.0, "b": float("inf")}, 1), ValueError),
    (lambda: native.top_terms({"a": 1.0}, "2"), TypeError),
    (lambda: native.candidates({"a": "ev-1"}, ["a"], {}, 4, 3), KeyError),
    (lambda: native.candidates({"a": collections.OrderedDict(x=None)}, ["a"], {"a": 1.0}, 4, 3), TypeError),
    (lambda: native.candidates({"a": "ev-1"}, ["a"], {"a": 1.0}, -1, 3), ValueError),
    (lambda: native.weigh({"a": 2.0}, {"a": -1}, 10, 5, {}, 0), ValueError),
    (lambda: native.weigh({"a": 2.0}, {"a": 1.5}, 10, 5, {}, 0), TypeError),
    (lambda: native.weigh({"a": 2.0}, {}, 0, 5, {}, 0), ValueError),
])
def test_input_the_deduper_never_gives_is_refused(call, error) -> None:
    with pytest.raises(error):
        call()


#: Input that changes what a kernel is reading while it runs: str keys whose __eq__ empties the
#: other dicts, weights whose __float__ grows or frees them, fresh equal ids from a subclass.
#: Each call must return or raise; Python's debug mode (-X dev) turns a use-after-free into a crash.
HOSTILE = textwrap.dedent('''
    from newsdesk.deduper import _kernels as K
    victims = []
    class Clears(str):
        def __hash__(self): return str.__hash__(self)
        def __eq__(self, other):
            for v in victims: v.clear()
            return str.__eq__(self, other)
    class Grows(float):
        def __float__(self):
            for v in victims: v.update({f"k{i}": 1.0 for i in range(500)})
            return 1.0
    class Fresh(dict):
        def __reversed__(self): return iter(["".join(["e", str(i)]) for i in range(20)])
    def fresh(text): return "".join(list(text))
    cases = [
        lambda: K.top_terms({"a": Grows(1.0), "b": 2.0, "c": 3.0}, 1),
        lambda: K.weigh({fresh("t" * 50): 3.0, "u": 2.0}, {Clears("t" * 50): 4}, 10, 5, {}, 0),
        lambda: K.weigh({"t": 3.0}, {}, 10, 5, {Grows(1.0): 1.0}, 9),
        lambda: K.candidates({"a": {fresh("ev-1"): None, fresh("ev-2"): None}}, ["a"], {Clears("a"): 1.0}, 5, 5),
        lambda: K.candidates({"a": fresh("ev-1"), "b": "ev-2"}, ["a", "b"], {"a": 1.0, Clears("b"): 1.0}, 5, 5),
        lambda: K.candidates({"a": Fresh.fromkeys(f"e{i}" for i in range(20))}, ["a"], {"a": 1.0}, 1, 5),
        lambda: K.candidates({"a": dict.fromkeys(["e1", "e2", "e3"])}, ["a"], {"a": 1.0}, 2**61, 5),
    ]
    for i, case in enumerate(cases):
        victims.clear()
        for _ in range(50):
            try:
                case()
            except (TypeError, ValueError, KeyError, RuntimeError):
                pass
    print("survived", len(cases))
''')


def run_in_child(tmp_path, source: str) -> str:
    """Runs a script under `python -X dev` (debug allocator hooks) in a child process, so that a
    crash fails the test instead of ending the test run; returns its output."""
    script = tmp_path / "hostile.py"
    script.write_text(source)
    done = subprocess.run([sys.executable, "-X", "dev", str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@needs_c
def test_hostile_input_never_crashes_the_interpreter(tmp_path) -> None:
    assert "survived 7" in run_in_child(tmp_path, HOSTILE)


def _block(n: int, vocabulary: int, data: st.DataObject) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    terms, units, rows = [], [], []
    for i in range(n):
        chosen = data.draw(st.lists(st.integers(0, vocabulary - 1), unique=True, max_size=40))
        for t in chosen:
            terms.append(hash(f"term{t}"))
            units.append(data.draw(st.sampled_from([0, 1, 7, 100_000]) | st.integers(0, 100_000)))
            rows.append(i)
    return (np.array(terms, dtype=np.int64), np.array(units, dtype=np.int32), np.array(rows, dtype=np.int64))


def _products(fn, terms, units, rows, weight2) -> tuple[bytes, bytes, bytes]:
    n = len(weight2) - 1
    plain, local, by_df = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n + 1))
    fn(terms, units, rows, weight2, plain, local, by_df)
    return plain.tobytes(), local.tobytes(), by_df.tobytes()


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.integers(1, 30), st.integers(1, 120), st.floats(0.5, 3.0), st.data())
def test_block_products_match(n: int, vocabulary: int, alpha: float, data: st.DataObject) -> None:
    terms, units, rows = _block(n, vocabulary, data)
    weight2 = np.array([0.0] + [(math.log((n + 1) / d) + 0.3) ** (2 * alpha) for d in range(1, n + 1)])
    assert _products(native.block_products, terms, units, rows, weight2) == \
        _products(kernels.block_products_py, terms, units, rows, weight2)


@needs_c
@pytest.mark.parametrize(("change", "error"), [
    (lambda a: {**a, "rows": a["rows"][::-1].copy()}, ValueError),
    (lambda a: {**a, "units": np.full_like(a["units"], -1)}, ValueError),
    (lambda a: {**a, "units": a["units"].astype(np.int64)}, TypeError),
    (lambda a: {**a, "terms": a["terms"][:-1].copy()}, ValueError),
    (lambda a: {**a, "terms": np.full(5, 9, dtype=np.int64)}, ValueError),  # more entries than articles
    (lambda a: {**a, "plain": np.ones((3, 3))}, ValueError),
    (lambda a: {**a, "local": np.zeros((3, 3)).T.copy()[:, :2]}, (ValueError, BufferError, TypeError)),
    (lambda a: {**a, "by_df": np.zeros((3, 4), dtype=np.float32)}, TypeError),
])
def test_block_products_refuse_what_regrouping_never_gives(change, error) -> None:
    args = {"terms": np.array([5, 6, 5, 7, 6], dtype=np.int64), "units": np.array([1, 2, 3, 4, 5], dtype=np.int32),
            "rows": np.array([0, 0, 1, 1, 2], dtype=np.int64), "weight2": np.array([0.0, 1.0, 0.5, 0.25]),
            "plain": np.zeros((3, 3)), "local": np.zeros((3, 3)), "by_df": np.zeros((3, 4))}
    native.block_products(*args.values())  # the unchanged arguments are fine
    args = {**args, "plain": np.zeros((3, 3)), "local": np.zeros((3, 3)), "by_df": np.zeros((3, 4))}
    with pytest.raises(error):
        native.block_products(*change(args).values())


#: Arrays that share memory or lie about their size: refused before anything is written.
HOSTILE_BLOCKS = textwrap.dedent("""
    import numpy as np
    from newsdesk.deduper import _kernels as native

    def i64(*v): return np.array(v, dtype=np.int64)

    def i32(*v): return np.array(v, dtype=np.int32)

    def cases():
        by_df = np.zeros((3, 4))
        rows = by_df.reshape(-1).view(np.int64)[:3]  # an input that is a view of an output
        yield i64(5, 6, 7), i32(1, 1, 1), rows, np.zeros(4), np.zeros((3, 3)), np.zeros((3, 3)), by_df
        shared = np.zeros(12)  # two outputs over one buffer
        yield (i64(5, 6, 5), i32(1, 2, 3), i64(0, 1, 2), np.ones(4), shared[:9].reshape(3, 3), np.zeros((3, 3)),
               shared.reshape(3, 4))
        plain = np.zeros((2, 2))  # the same array twice
        yield i64(5, 5), i32(1, 1), i64(0, 1), np.ones(3), plain, plain, np.zeros((2, 3))
        yield i64(5, 6), i32(1, 2), i64(0, 1), np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 3))
        yield i64(5), i32(1), i64(0), np.zeros(2), np.zeros(1), np.zeros(1), np.zeros(2)

    survived = 0
    for args in cases():
        try:
            native.block_products(*args)
        except (TypeError, ValueError, BufferError):
            survived += 1
    print("survived", survived)
""")


@needs_c
def test_block_products_refuse_shared_memory_and_wrong_shapes_without_crashing(tmp_path) -> None:
    assert "survived 5" in run_in_child(tmp_path, HOSTILE_BLOCKS)


@needs_c
@pytest.mark.parametrize("outputs", [
    (np.full((2, 2), -0.0), np.zeros((2, 2)), np.zeros((2, 3))),  # -0.0 would stay where no pair adds
    (np.zeros((2, 2)), np.zeros((2, 2)), np.full((2, 3), 0.5)),   # by_df added to, not set
])
def test_block_products_want_outputs_of_plus_zero(outputs) -> None:
    with pytest.raises(ValueError, match=r"\+0\.0"):
        native.block_products(np.array([5, 6], dtype=np.int64), np.array([1, 2], dtype=np.int32),
                              np.array([0, 1], dtype=np.int64), np.array([0.0, 1.0, 0.5]), *outputs)


@needs_c
def test_block_products_refuse_what_could_not_be_summed_exactly() -> None:
    n, entries = 2, 1_000_000  # each article's squared units sum to 1e16 > 2**53
    args = (np.tile(np.arange(entries, dtype=np.int64), n), np.full(n * entries, 100_000, dtype=np.int32),
            np.repeat(np.arange(n, dtype=np.int64), entries), np.ones(n + 1))
    with pytest.raises(ValueError, match="2\\*\\*53"):
        native.block_products(*args, np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n + 1)))
    with pytest.raises(ValueError, match="finite"):
        native.block_products(np.array([5, 5], dtype=np.int64), np.array([1, 1], dtype=np.int32),
                              np.array([0, 1], dtype=np.int64), np.array([0.0, 1.0, np.nan]),
                              np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 3)))
