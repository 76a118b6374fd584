"""Paragraph and sentence spans of a clean text (one paragraph per line)."""

from __future__ import annotations

import re

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
    spans = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
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
