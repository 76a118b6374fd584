"""Text features whose values live in snapshots: they must not change between versions."""

from __future__ import annotations

import random
import zlib

from newsdesk.deduper.text_features import SKETCH_SIZE, sketch, words


def _reference_sketch(tokens: list[str]) -> list[int]:
    """The sketch spelt out one shingle at a time."""
    k1, k2, k3, mask = 0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0xFFFFFFFF
    codes = [zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in tokens[:300]]
    codes += [0] * (4 - len(codes))
    shingles = {(codes[i] * k1 ^ codes[i + 1] * k2 ^ codes[i + 2] * k3 ^ codes[i + 3]) & mask
                for i in range(len(codes) - 3)}
    return sorted(shingles)[:SKETCH_SIZE]


def test_sketch_is_the_bottom_k_of_the_shingle_hashes() -> None:
    rng = random.Random(2)
    vocabulary = ["talks", "café", "naïve", "x\udcff", "reykjavik", "2021", "лавров", "the", "of"]
    for n in [0, 1, 3, 4, 5, 40, 299, 300, 301, 900]:
        tokens = [rng.choice(vocabulary) + str(rng.randrange(30)) for _ in range(n)]
        assert sketch(tokens) == _reference_sketch(tokens)


def test_sketch_values_stay_what_snapshots_hold() -> None:
    # Snapshots written by earlier versions hold these numbers (computed by the pure-Python
    # sketch of 1ecd1e9); a new version must agree, or copies would no longer be recognised.
    tokens = words("Blinken and Lavrov met in Reykjavik on Wednesday for their first talks.", 100)
    assert sketch(tokens)[:3] == [254694205, 268866553, 446064393]
