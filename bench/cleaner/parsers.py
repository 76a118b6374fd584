"""Which HTML parser: CPU time to parse (and to visit every node of) the 181 benchmark pages.

usage: .venv/bin/python bench/cleaner/parsers.py
Measures selectolax's lexbor backend (what the cleaner uses) and, when installed, lxml.html and
resiliparse; best of 3 runs of process CPU time, so other load on the machine matters less.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "article-extraction"


def best_of(runs: int, pages: list[str], fn: Callable[[str], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        for page in pages:
            fn(page)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    if not DATASET.exists():
        print(f"skipped: {DATASET} is absent")
        return
    truth = json.loads((DATASET / "ground-truth.json").read_text())
    pages = [gzip.decompress((DATASET / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
             for pid in truth]
    candidates: list[tuple[str, Callable[[str], object]]] = []
    from selectolax.lexbor import LexborHTMLParser

    candidates.append(("selectolax lexbor parse", LexborHTMLParser))
    candidates.append(("selectolax lexbor parse+visit",
                       lambda p: sum(1 for _ in LexborHTMLParser(p).root.traverse(include_text=True))))
    try:
        import lxml.html

        candidates.append(("lxml.html parse", lxml.html.document_fromstring))
        candidates.append(("lxml.html parse+visit", lambda p: sum(1 for _ in lxml.html.document_fromstring(p).iter())))
    except ImportError:
        print("lxml not installed: skipped")
    try:
        from resiliparse.parse.html import HTMLTree

        candidates.append(("resiliparse parse", HTMLTree.parse))
    except ImportError:
        print("resiliparse not installed: skipped")
    for name, fn in candidates:
        print(f"{name:32s} {best_of(3, pages, fn):.3f} s CPU for {len(pages)} pages")
    print("reproduce: .venv/bin/python bench/cleaner/parsers.py")


if __name__ == "__main__":
    main()
