"""Paragraph and sentence spans of a clean text (one paragraph per line)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from newsdesk.extractor.gazetteer import words_of

_BOUNDARY = re.compile(r"[.!?]+[”\"’')\]]*[ \t]+(?=[“\"‘'(\[]?[A-Z0-9À-Þ])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(words_of("""
mr mrs ms dr sen rep gov gen lt col sgt capt prof st jr sr rev adm maj cmdr supt det insp atty
jan feb mar apr jun jul aug sep sept oct nov dec no vs v etc inc corp ltd co mt ft
u.s u.k u.n e.u d.c a.m p.m i.e e.g
"""))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            spans.append((pos, end))
        pos = end + 1
    return spans


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end]; a full stop after an abbreviation or an initial is not an end."""
    return _split(text, start, end, _BOUNDARY.finditer(text, start, end))


def all_sentence_spans(text: str, paragraphs: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[int]]:
    """The sentences of every paragraph and the paragraph of each, from one scan of the text
    (a boundary never spans a line, so this is sentence_spans paragraph by paragraph, faster)."""
    ends: dict[int, list[re.Match[str]]] = {}
    starts = [ps for ps, _ in paragraphs]
    for m in _BOUNDARY.finditer(text):
        ends.setdefault(bisect_right(starts, m.start()) - 1, []).append(m)
    spans: list[tuple[int, int]] = []
    para_of: list[int] = []
    for pi, (ps, pe) in enumerate(paragraphs):
        for span in _split(text, ps, pe, ends.get(pi, ())):
            spans.append(span)
            para_of.append(pi)
    return spans, para_of


def _split(text: str, start: int, end: int, boundaries: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    spans = []
    cur = start
    for m in boundaries:
        if text[m.start()] == ".":
            w = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start())
            word = (w.group(1) if w else "").lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        spans.append((cur, m.end()))
        cur = m.end()
    if cur < end:
        spans.append((cur, end))
    return spans
