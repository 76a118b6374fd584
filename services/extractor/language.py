"""Is a text English? The rules and lexicons are English-only: on other languages they would
make capitalised nouns into people and the lead sentence into an event, so such a text is
recognised and left unextracted.

The test compares the most frequent function words of English with those of the other common
European languages, and counts letters outside the Latin script; it reads the first 1,200
characters only.
"""

from __future__ import annotations

import re

from newsdesk.extractor.gazetteer import words_of

_SAMPLE = 1200
_LETTERS = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")
_NON_LATIN = re.compile(r"[^\W\d_A-Za-zÀ-ÖØ-öø-ɏ]")

_ENGLISH = frozenset(words_of("""
the of and to in is that for on it with as was he she said by at from his her be are have has
not this but they an will were their who would been which
"""))
# Function words of German, French, Spanish, Italian, Portuguese and Dutch that are not English
# words, nor parts of names common in English news ('Los Angeles', 'Van Dyke').
_OTHER = frozenset(words_of("""
der das und den dem des ist nicht mit sich auf ein eine einen für von zu im auch sagte wir le la
les et est une pas dans pour du au qui sur avec sont il elle nous été dit el y que del se por
una con su para como dijo fue está di che della sono gli alla nel anche ha detto da dos não uma
em foi disse são het een en dat niet zijn voor ook werd zei
"""))


def looks_english(text: str) -> bool:
    """False for text mostly in another script, or whose function words are mostly another
    language's; True when unsure (short or wordless text)."""
    sample = text[:_SAMPLE]
    if sample.count(" the ") >= 4:
        return True  # most English news, decided at once (this runs on every article)
    if not sample.isascii():  # ASCII is Latin script: the counts below are for the rest
        other_script = len(_NON_LATIN.findall(sample))
        if other_script >= 16 and other_script > len(_LATIN.findall(sample)):
            return False  # Cyrillic, Greek, Arabic, Chinese...
    words = _LETTERS.findall(sample.lower())
    if len(words) < 8:
        return True
    other = sum(w in _OTHER for w in words)
    if other < 3:
        return True
    return other <= 2 * sum(w in _ENGLISH for w in words)
