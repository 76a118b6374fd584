"""Extraction speed and memory on ~5 KB articles, one process (one core).

usage: .venv/bin/python bench/extractor/speed.py [N]
Articles: PolNeAR texts from ../shared (cut or repeated to 5 KB) when present, else the
project's own items in bench/extractor/data repeated to 5 KB. Reports articles/s and ms per
article by wall clock and by the process's CPU time (the per-core figure when other jobs share
the machine), the peak Python allocation during extraction (tracemalloc) and the process's max RSS.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from newsdesk.extractor import extract
from newsdesk.records import CleanArticle

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared" / "datasets" / "polnear-quotes" / "dev" / "text"
SIZE = 5000


def to_size(text: str) -> str:
    while len(text) < SIZE:
        text = text + "\n" + text
    cut = text.rfind("\n", 0, SIZE)
    return text[: cut if cut > SIZE // 2 else SIZE]


def articles(n: int) -> tuple[str, list[CleanArticle]]:
    if SHARED.exists():
        texts = [p.read_text(errors="replace") for p in sorted(SHARED.glob("*.txt"))]
        source = "PolNeAR dev texts"
    else:
        texts = [json.loads(line)["text"] for line in (HERE / "data" / "events.jsonl").read_text().splitlines()]
        source = "bench/extractor/data items"
    texts = [to_size(t) for t in texts if t.strip()]
    return source, [CleanArticle(id=f"a{i}", text=texts[i % len(texts)], published_at="2016-03-01")
                    for i in range(n)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    source, docs = articles(n)
    for d in docs[:20]:  # warm-up: regex compilation, caches
        extract(d)
    start, cpu_start = time.perf_counter(), time.process_time()
    for d in docs:
        extract(d)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start  # per core: other jobs on a shared machine do not count
    tracemalloc.start()
    for d in docs[:200]:
        extract(d)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    avg = sum(len(d.text) for d in docs) / len(docs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"source={source} articles={n} avg_chars={avg:.0f}")
    print(f"articles_per_s={n / wall:.0f} ms_per_article={1000 * wall / n:.2f} (one process, wall clock)")
    print(f"articles_per_cpu_s={n / cpu:.0f} cpu_ms_per_article={1000 * cpu / n:.2f} (CPU time of this process)")
    print(f"peak_python_alloc_during_extract_MB={peak / 1e6:.2f} max_rss_MB={rss:.0f}")
    print(f"reproduce: .venv/bin/python bench/extractor/speed.py {n}")


if __name__ == "__main__":
    main()
