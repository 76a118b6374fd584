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

from newsdesk.deduper.stopwords import STOPWORDS

# A token with, captured separately, a sentence end right before it (then it is no name). Letter
# and digit runs joined by an apostrophe or hyphen; linear time, no backtracking traps.
_TOKEN = re.compile(r"([.!?\n\"“”:;]?)[ \t]*([^\W_]+(?:['’\-][^\W_]+)*)")

NAME_BOOST = 2.5
NUMBER_BOOST = 1.3
TITLE_WEIGHT = 2.0
SKETCH_SIZE = 48
SHINGLE = 4
#: Copies are recognised on their first words; a 1 MB text costs no more than a long article.
MAX_SHINGLE_TOKENS = 300


def _tokens(text: str) -> list[tuple[str, str]]:
    return _TOKEN.findall(text)


def fold(token: str) -> str:
    """Lower case without accents: outlets write 'Valparaíso' and 'Valparaiso' for one place."""
    low = token.lower()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


def words(text: str, limit: int) -> list[str]:
    """The first `limit` lower-cased tokens of a text."""
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        out.append(match.group(2).lower())
        if len(out) >= limit:
            break
    return out


def _fold_possessive(counts: Counter[str]) -> None:
    for token in [t for t in counts if t.endswith(("'s", "’s"))]:
        counts[token[:-2]] += counts.pop(token)


def _chunk_counts(text: str, at_start: bool) -> tuple[Counter[str], Counter[str], list[str]]:
    """All tokens, and the capitalised ones not opening a sentence (most likely parts of names)."""
    pairs = _tokens(text)
    lowered = [fold(tok) for _, tok in pairs]
    counts = Counter(lowered)
    names = Counter(low for (before, tok), low in zip(pairs, lowered, strict=True)
                    if not before and tok[0].isupper())
    if at_start and pairs and not pairs[0][0] and pairs[0][1][0].isupper():
        names[lowered[0]] -= 1  # the text's first word opens a sentence
    _fold_possessive(counts)
    _fold_possessive(names)
    return counts, +names, lowered


def term_counts(title: str, text: str) -> tuple[Counter[str], Counter[str], list[str]]:
    """Weighted term frequencies (title terms count double, names and numbers get a boost), the
    counts of the name-like terms alone (protagonists, places, organisations), and the body's
    lower-cased tokens (for the copy sketch, so the text is tokenised once)."""
    counts: Counter[str] = Counter()
    names: Counter[str] = Counter()
    # The body first: its names tell which words of a headline are names. A Title Case headline
    # capitalises every word, and any headline capitalises its first one.
    body_counts, body_names, lowered = _chunk_counts(text, at_start=True)
    title_counts, title_names, _ = _chunk_counts(title, at_start=True)
    title_words = [tok for _, tok in _tokens(title)]
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
            counts[token] += weight * boost * (n + (NAME_BOOST - 1.0) * named)
            if named:
                names[token] += weight * named
    return counts, names, lowered


def sketch(tokens: list[str]) -> list[int]:
    """Bottom-k hashes of word 4-shingles: Jaccard of two texts is estimated from these alone.

    crc32 rather than hash(): the values live in snapshots and must agree across processes.
    """
    head = tokens[:MAX_SHINGLE_TOKENS]
    codes = {t: zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in set(head)}  # each word once
    hashed = [codes[t] for t in head]
    if len(hashed) < SHINGLE:
        hashed += [0] * (SHINGLE - len(hashed))
    mask = 0xFFFFFFFF
    shingles = {
        (a * 0x9E3779B1 ^ b * 0x85EBCA77 ^ c * 0xC2B2AE3D ^ d) & mask
        for a, b, c, d in zip(hashed, hashed[1:], hashed[2:], hashed[3:], strict=False)
    }
    return sorted(shingles)[:SKETCH_SIZE]


def sketch_jaccard(a: list[int], b: list[int]) -> float:
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


def headline_and_body(title: str | None, text: str, limit: int) -> tuple[str, str]:
    """The title, or the text's first line when it looks like a headline (short, no final stop)."""
    body = text[:limit]
    if title and title.strip():
        return title.strip(), body
    first, _, rest = body.lstrip().partition("\n")
    first = first.strip()
    if first and len(first) <= 160 and not first.endswith((".", "\"", "”")) and rest.strip():
        return first, rest
    return "", body
