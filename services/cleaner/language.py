"""A language guess for text whose page did not say: the share of each language's commonest words.

Good enough to tell the major European languages apart on a paragraph or more (news text is
full of function words); it answers None rather than guess on short or mixed text.
"""

from __future__ import annotations

import re

_STOPWORDS = {
    "en": "the of and to in a is that for on with as was by at he it from his said are be has have",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch",
    "fr": "de la le et les des en un une du est que pour dans qui au sur par pas plus il",
    "es": "de la que el en y los del se las por un para con una su al es lo como más",
    "it": "di e il la che in per un del della è una non con le si da al sono gli",
    "pt": "de a o que e do da em um para com não uma os no se na por mais as dos",
    "nl": "de het een van en in is dat op te voor met zijn niet aan er die ook om",
    "sv": "och i att det som en på är av för med till den har inte om ett de var",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: Below this many words, or this share of stopwords for the best language, no guess.
MIN_WORDS = 30
MIN_SHARE = 0.12


def guess_language(text: str) -> str | None:
    sample = text[:4000]
    words = _TOKEN.findall(sample)
    if _CYRILLIC.search(sample):
        letters = sum(map(len, words))
        if letters and len(_CYRILLIC.findall(sample)) / letters > 0.5:
            return "ru" if any(ch in sample for ch in "ыэъ") else None
    tokens = [t.lower() for t in words[:800]]
    if len(tokens) < MIN_WORDS:
        return None
    scores = {lang: sum(1 for t in tokens if t in words) for lang, words in _WORDS.items()}
    best = max(scores, key=scores.__getitem__)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < MIN_SHARE * len(tokens) or ranked[0] < 1.3 * ranked[1]:
        return None
    return best


def normalise_language(lang: str | None) -> str | None:
    """'en-US', 'en_GB', 'EN' -> 'en'. Only the primary subtag: that is what downstream models key on."""
    if not lang:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:$|[-_\s])", lang)
    return m[1].lower() if m else None
