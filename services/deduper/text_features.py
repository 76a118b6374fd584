"""Per-article text features, computed once per article: terms for TF-IDF, a sketch for copies.

Terms are lower-cased word tokens without function words. Capitalised words inside a sentence
(names of people, places, organisations) and numbers (years, tolls, scores) are what tells two
events of the same kind apart, so they weigh more than topic words.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Sequence
from operator import methodcaller
from types import ModuleType

import numpy as np

from newsdesk.deduper.kernels import PURE_PYTHON
from newsdesk.deduper.stopwords import STOPWORDS

# A token with, captured separately, a sentence end right before it (then it is no name). Letter
# and digit runs joined by an apostrophe or hyphen; linear time, no backtracking traps.
_TOKEN = re.compile(r"([.!?\n\"“”:;]?)[ \t]*([^\W_]+(?:['’\-][^\W_]+)*)")
# The same tokens alone, and those right after a sentence end (the same set of break characters).
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_AFTER_BREAK = re.compile(r"[.!?\n\"“”:;][ \t]*([^\W_]+(?:['’\-][^\W_]+)*)")

NAME_BOOST = 2.5
NUMBER_BOOST = 1.3
TITLE_WEIGHT = 2.0
SKETCH_SIZE = 48
SHINGLE = 4
#: Copies are recognised on their first words; a 1 MB text costs no more than a long article.
MAX_SHINGLE_TOKENS = 300


def fold(token: str) -> str:
    """Lower case without accents: outlets write 'Valparaíso' and 'Valparaiso' for one place."""
    low = token.lower()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


def words(text: str, limit: int) -> list[str]:
    """The first `limit` lower-cased tokens of a text."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        out.append(match.group(0).lower())
        if len(out) >= limit:
            break
    return out


def _fold_possessive(counts: Counter[str]) -> None:
    for token in [t for t in counts if t.endswith(("'s", "’s"))]:
        counts[token[:-2]] += counts.pop(token)


def _chunk_counts(text: str, at_start: bool) -> tuple[Counter[str], Counter[str], list[str]]:
    """All tokens, and the capitalised ones not opening a sentence (most likely parts of names).

    Two C-level scans instead of one Python-level pass per token: every token, then the tokens
    right after a sentence end; a name count is the capitalised occurrences minus the latter.
    """
    tokens = _WORD.findall(text)
    if not tokens:
        return Counter(), Counter(), []
    to_term = str.lower if text.isascii() else fold
    lowered = list(map(to_term, tokens))
    counts = Counter(lowered)
    names = Counter([to_term(t) for t in tokens if t[0].isupper()])
    names.subtract([to_term(t) for t in _AFTER_BREAK.findall(text) if t[0].isupper()])
    if at_start:
        first = _TOKEN.search(text)
        if first is not None and not first[1] and first[2][0].isupper():
            names[lowered[0]] -= 1  # the text's first word opens a sentence
    if "'" in text or "’" in text:
        _fold_possessive(counts)
        _fold_possessive(names)
    return counts, +names, lowered


def term_counts(title: str, text: str) -> tuple[dict[str, float], dict[str, float], list[str]]:
    """Weighted term frequencies (title terms count double, names and numbers get a boost), the
    counts of the name-like terms alone (protagonists, places, organisations), and the body's
    lower-cased tokens (for the copy sketch, so the text is tokenised once)."""
    counts: dict[str, float] = {}
    names: dict[str, float] = {}
    # The body first: its names tell which words of a headline are names. A Title Case headline
    # capitalises every word, and any headline capitalises its first one.
    body_counts, body_names, lowered = _chunk_counts(text, at_start=True)
    title_counts, title_names, _ = _chunk_counts(title, at_start=True)
    title_words = _WORD.findall(title)
    title_case = sum(1 for t in title_words if t[0].isupper()) > 0.6 * max(1, len(title_words))
    if title_case:
        title_names = Counter()
    for tok in title_words:
        low = tok.lower()
        if tok[0].isupper() and low in body_names and low not in title_names:
            title_names[low] = title_counts[low]
    for weight, chunk_counts, chunk_names in ((TITLE_WEIGHT, title_counts, title_names),
                                              (1.0, body_counts, body_names)):
        for token, n in chunk_counts.items():
            if len(token) < 2 or token in STOPWORDS:
                continue
            named = chunk_names.get(token, 0)
            boost = NUMBER_BOOST if token.isdigit() else 1.0
            counts[token] = counts.get(token, 0.0) + weight * boost * (n + (NAME_BOOST - 1.0) * named)
            if named:
                names[token] = names.get(token, 0.0) + weight * named
    return counts, names, lowered


_MASK = 0xFFFFFFFF
_MIX = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D)
_ENCODE = methodcaller("encode", "utf-8", "surrogatepass")


def sketch(tokens: list[str]) -> list[int]:
    """Bottom-k hashes of word 4-shingles: Jaccard of two texts is estimated from these alone.

    crc32 rather than hash(): the values live in snapshots and must agree across processes.
    A shingle's hash is (a*K1 & mask) ^ (b*K2 & mask) ^ (c*K3 & mask) ^ d over its words' crc32
    codes, the same value as (a*K1 ^ b*K2 ^ c*K3 ^ d) & mask; as uint64 arrays no product
    overflows (both factors are below 2**32), and the shingles cost no Python step each.
    """
    head = tokens[:MAX_SHINGLE_TOKENS]
    if len(head) < SHINGLE:
        codes = [zlib.crc32(_ENCODE(t)) for t in head] + [0] * (SHINGLE - len(head))
        a, b, c, d = codes
        return [(a * _MIX[0] ^ b * _MIX[1] ^ c * _MIX[2] ^ d) & _MASK]
    code = np.fromiter(map(zlib.crc32, map(_ENCODE, head)), dtype=np.uint64, count=len(head))
    mask = np.uint64(_MASK)
    k1, k2, k3 = (np.uint64(k) for k in _MIX)
    shingles = ((code[:-3] * k1) & mask) ^ ((code[1:-2] * k2) & mask) ^ ((code[2:-1] * k3) & mask) ^ code[3:]
    # np.unique's result, at a third of its cost (its generic path dominated for a few hundred values).
    shingles.sort()
    first = np.empty(len(shingles), dtype=bool)
    first[:1] = True
    np.not_equal(shingles[1:], shingles[:-1], out=first[1:])
    return shingles[first][:SKETCH_SIZE].tolist()


def features_py(title: str, body: str) -> tuple[dict[str, float], dict[str, float], list[int]]:
    """A headline and body tokenised once: the weighted terms and name counts of `term_counts`,
    and the body's copy `sketch`."""
    counts, names, tokens = term_counts(title, body)
    return counts, names, sketch(tokens)


_text: ModuleType | None
try:
    from newsdesk.deduper import _text
except ImportError:  # built without a C compiler: the Python version serves
    _text = None

#: Whether `features` runs the C twin of `features_py` (_text.c: the same results, several times
#: faster); NEWSDESK_PURE_PYTHON=1 turns it off, as it does the kernels.
NATIVE = _text is not None and not PURE_PYTHON
_SETTINGS = (STOPWORDS, fold, TITLE_WEIGHT, NAME_BOOST, NUMBER_BOOST, SKETCH_SIZE, MAX_SHINGLE_TOKENS, _MIX)


def features(title: str, body: str) -> tuple[dict[str, float], dict[str, float], list[int]]:
    """See `features_py`."""
    if NATIVE and _text is not None:
        return _text.features(title, body, _SETTINGS)
    return features_py(title, body)


def sketch_jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Bottom-k estimate: among the k smallest hashes of the union, the share both sides hold."""
    if not a or not b:
        return 0.0
    k = min(SKETCH_SIZE, len(a), len(b))
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:k]
    return sum(1 for h in union if h in sa and h in sb) / k


def content_hash(*parts: str | None) -> str:
    """Identity of an article's content, to tell a redelivery from an update."""
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


#: A headline longer than this is cut: it is kept in the state and published with the event.
MAX_TITLE_CHARS = 1000


def headline_and_body(title: str | None, text: str, limit: int) -> tuple[str, str]:
    """The title, or the text's first line when it looks like a headline (short, no final stop)."""
    body = text[:limit]
    if title and title.strip():
        return title.strip()[:MAX_TITLE_CHARS], body
    first, _, rest = body.lstrip().partition("\n")
    first = first.strip()
    if first and len(first) <= 160 and not first.endswith((".", "\"", "”")) and rest.strip():
        return first, rest
    return "", body
