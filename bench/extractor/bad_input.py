"""Time and output of extract() on hostile texts (bounded time, valid output, never an exception).

usage: .venv/bin/python bench/extractor/bad_input.py
Each line: seconds, characters, quotes kept, warnings, case. The texts are generated here; the
largest are cut to the extractor's 200,000-character limit.
"""

from __future__ import annotations

import time

from newsdesk.extractor import extract
from newsdesk.records import CleanArticle, ExtractedArticle

CASES = {
    "5,000 quotation marks only": '"' * 5000,
    "5,000 quotation marks between words": 'word " ' * 5000,
    "5,000 marks, quotes and names, one paragraph": 'Anna Berg said "yes" and "no" ' * 1250,
    "5,000 marks, one quote per line": "\n".join(['Anna Berg said "yes" and "no".'] * 1250),
    "unbalanced curly marks": ("“open " * 2500) + ("close” " * 2500),
    "one endless sentence of names and quotes": " ".join(['Anna Berg told Karl Dorn that "it works" while'] * 3000),
    "names, no punctuation, 200,000 chars": "Anna Berg " * 20000,
    "3,000 pronoun-attributed quotes": " ".join(['"We will win," he said.'] * 3000),
    "all caps": 'THE MINISTER SAID "WE WILL WIN". ' * 500,
    "German": "Der Minister sagte am Mittwoch in Berlin: „Wir werden gewinnen“. " * 300,
    "Russian": "Министр сказал в среду: «Мы победим». " * 300,
    "no sentences": "— — — ... !!! ??? " * 2000,
    "10 MB body": "Officials met in Geneva on Monday. \"We will continue,\" Anna Berg said.\n" * 150_000,
}


def main() -> None:
    worst = 0.0
    for name, text in CASES.items():
        start = time.perf_counter()
        out = extract(CleanArticle(id="bad", text=text))
        took = time.perf_counter() - start
        worst = max(worst, took)
        ExtractedArticle.model_validate(out.model_dump())  # valid output, or this raises
        print(f"{took:7.3f}s {len(text):9d} chars quotes={len(out.quotes):5d} warnings={out.warnings} | {name}")
    print(f"worst={worst:.3f}s")
    print("reproduce: .venv/bin/python bench/extractor/bad_input.py")


if __name__ == "__main__":
    main()
