"""What the deduper keeps of an article: the parts with their own rules."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.deduper.article_features import _COUNT, _claims

#: The count pattern as first written, with a plain word boundary in front.
PLAIN_COUNT = re.compile(
    r"\b(\d{1,3}(?:,\d{3})+|\d{1,6})\s+(?:(?:people|persons|were|have|had|been)\s+){0,3}"
    r"(dead|killed|injured|wounded|arrested|missing|died|hurt|evacuated|detained)\b",
    re.IGNORECASE,
)
PIECES = ["1", "12", "123", "1234", "1,234", "12,345,678", "1,23", "a1", "_1", "x", " ", "  ", "\n", "killed",
          "KILLED", "people", "were", "been", "dead", "deadline", "é1", "٣", "1٣", ",", ".", "-", "died"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join) | st.text(max_size=40))
def test_count_pattern_finds_what_the_plain_word_boundary_form_finds(text: str) -> None:
    assert [(m.span(), m.groups()) for m in _COUNT.finditer(text)] == \
        [(m.span(), m.groups()) for m in PLAIN_COUNT.finditer(text)]


def test_claims_keep_the_first_figure_of_each_kind() -> None:
    text = "At least 1,200 people were killed and 45 injured; later 1,300 killed. Room 101 deadline."
    assert _claims(text) == {"killed": "1200", "injured": "45"}
