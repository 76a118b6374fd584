"""Text features whose values live in snapshots: they must not change between versions."""

from __future__ import annotations

import os
import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.corpus.build import generate
from newsdesk.deduper import text_features as text_features_module
from newsdesk.deduper.text_features import SKETCH_SIZE, features_py, sketch, words


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


# The tokeniser's C twin (_text.c) against features_py: the same dicts in the same order, the same
# floats and the same sketch, on any text.

native_text = text_features_module._text
needs_c = pytest.mark.skipif(native_text is None and os.environ.get("CI") != "true",
                             reason="the C tokeniser is not built (no compiler at install time)")

#: Pieces that reach every branch: names after and not after breaks, possessives with both
#: apostrophes, joined tokens, digits of other scripts, case mappings that change length or
#: leave ASCII (İ, K), compatibility forms NFKD rewrites (ﬁ, ²), accents, stop words, lone
#: surrogates, and each break character with spaces and tabs around it.
PIECES = ["Blinken", "blinken", "BLINKEN", "Lavrov's", "Lavrov’s", "lavrov", "Reykjavík", "Reykjavik", "Zürich",
          "İstanbul", "\u212aelvin", "ﬁnal", "x²", "straße", "٣٤", "2021", "1,200", "talks", "the", "The", "A", "a",
          "s", "'s", "’s", "co-operate", "rock'n'roll", "-", "'", "’", "_", "_x", "x_", "\udcff", "日本", "Ωmega",
          ".", "!", "?", "\n", "\"", "“", "”", ":", ";", ",", "(", ")", " ", " ", " ", "\t", "\u00a0", "\u2028"]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join) | st.text(max_size=80)


def same_features(title: str, body: str) -> None:
    expected = features_py(title, body)
    got = native_text.features(title, body, text_features_module._SETTINGS)
    # Lists of items: dict equality would let the insertion order differ.
    assert [list(d.items()) for d in got[:2]] == [list(d.items()) for d in expected[:2]]
    assert got[2] == expected[2]


@needs_c
@settings(max_examples=1500, deadline=None)
@given(texts, texts)
def test_c_tokeniser_matches_on_any_text(title: str, body: str) -> None:
    same_features(title, body)


@needs_c
def test_c_tokeniser_matches_on_generated_news() -> None:
    corpus = generate(events=12, seed=3)
    for article in corpus.articles:
        story = article.story
        same_features(story.headline, story.text)
        same_features(story.headline.title(), story.text.replace("'", "’"))


@needs_c
def test_c_tokeniser_matches_on_a_long_text() -> None:
    body = ("Ministers from Finland met in Astana's old town. “We agreed,” Harjula said; the talks "
            "ran late.\n") * 12_000  # about 1 MB
    same_features("Finland and Kazakhstan Agree", body)


def test_the_c_tokeniser_is_built_where_ci_runs() -> None:
    # CI installs with a compiler: a silent fall-back there would leave the C code untested.
    if os.environ.get("CI") == "true":
        assert native_text is not None and text_features_module.NATIVE


@needs_c
@pytest.mark.parametrize(("args", "error"), [
    ((b"title", "body", text_features_module._SETTINGS), TypeError),
    (("title", None, text_features_module._SETTINGS), TypeError),
    (("title", "body", ()), TypeError),
    (("title", "body", list(text_features_module._SETTINGS)), TypeError),
    (("title", "body", (set(), *text_features_module._SETTINGS[1:])), TypeError),
    (("title", "body", (*text_features_module._SETTINGS[:7], (1, 2))), TypeError),
    (("title", "body", (*text_features_module._SETTINGS[:7], (1, 2, 2**40))), ValueError),
    (("title", "body", (*text_features_module._SETTINGS[:5], -1, *text_features_module._SETTINGS[6:])), ValueError),
    (("title", "body", (*text_features_module._SETTINGS[:5], 0, *text_features_module._SETTINGS[6:])), ValueError),
    (("title", "Café talks", (text_features_module._SETTINGS[0], len, *text_features_module._SETTINGS[2:])),
     TypeError),
])
def test_c_tokeniser_refuses_what_it_cannot_take(args: tuple, error: type[Exception]) -> None:
    with pytest.raises(error):
        native_text.features(*args)


@needs_c
def test_c_tokeniser_passes_on_what_fold_raises() -> None:
    def fold(token: str) -> str:
        raise LookupError(token)

    settings_ = (text_features_module._SETTINGS[0], fold, *text_features_module._SETTINGS[2:])
    with pytest.raises(LookupError, match="Café"):
        native_text.features("", "Talks in the Café", settings_)
    assert native_text.features("", "Talks in the cafe", settings_)[0] == {"talks": 1.0, "cafe": 1.0}
