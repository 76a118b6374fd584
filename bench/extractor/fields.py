"""Who/what/where/when on the project's own annotated news items (bench/extractor/data/).

usage: .venv/bin/python bench/extractor/fields.py [-v]
The items were written for this bench (see docs/extraction.md for the annotation guideline):
events.jsonl while the rules were developed, events_heldout.jsonl afterwards and never used to
tune them; each set is reported on its own. For the main event (events[0]): type accuracy, who
and where precision/recall (names compared with newsdesk.extractor.names), when accuracy (an
unresolved date is right only when the gold is null), and quote recall / speaker accuracy over
the gold quotes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsdesk.extractor import extract
from newsdesk.extractor.names import same_name, same_person
from newsdesk.records import CleanArticle

DATA = Path(__file__).parent / "data"
SETS = (("development", "events.jsonl"), ("held-out", "events_heldout.jsonl"))


def prf(pred: list[str], gold: list[str], same) -> tuple[int, int, int]:
    """(true positives, predicted, gold)."""
    tp = sum(any(same(p, g) for g in gold) for p in pred)
    return tp, len(pred), len(gold)


def score(name: str, path: Path, verbose: bool) -> None:
    items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    n = len(items)
    type_ok = when_ok = 0
    who = [0, 0, 0]
    where = [0, 0, 0]
    q_found = q_total = spk_ok = 0
    for item in items:
        gold = item.pop("gold")
        out = extract(CleanArticle(**item))
        ev = out.events[0] if out.events else None
        p_type = ev.type if ev else None
        p_who = [p.name for p in ev.who] if ev else []
        p_where = [p.name for p in ev.where] if ev else []
        p_when = ev.when if ev else None
        type_ok += p_type == gold["type"]
        when_ok += p_when == gold["when"]
        for acc, (pred, g, same) in ((who, (p_who, gold["who"], same_person)),
                                     (where, (p_where, gold["where"], same_name))):
            tp, np_, ng = prf(pred, g, same)
            acc[0] += tp
            acc[1] += np_
            acc[2] += ng
        for gq in gold["quotes"]:
            q_total += 1
            hit = next((q for q in out.quotes if gq["contains"].lower() in q.text.lower()), None)
            if hit:
                q_found += 1
                spk_ok += bool(hit.speaker and same_person(hit.speaker, gq["speaker"]))
        if verbose:
            print(f"{item['id']}: type={p_type}/{gold['type']} when={p_when}/{gold['when']}\n"
                  f"   who={p_who} gold={gold['who']}\n   where={p_where} gold={gold['where']}\n"
                  f"   what={ev.what if ev else ''!r}\n   quotes={[(q.speaker, q.text[:40]) for q in out.quotes]}")

    def pr(acc: list[int]) -> str:
        p = acc[0] / acc[1] if acc[1] else 0.0
        r = acc[0] / acc[2] if acc[2] else 0.0
        return f"precision={p:.2f} recall={r:.2f}"

    print(f"{name} items ({path.name}): {n}")
    print(f"type accuracy={type_ok / n:.2f}")
    print(f"who  {pr(who)}")
    print(f"where {pr(where)}")
    print(f"when accuracy={when_ok / n:.2f}")
    print(f"quotes recall={q_found / max(1, q_total):.2f} speaker_accuracy={spk_ok / max(1, q_found):.2f}")


def main() -> None:
    for name, file in SETS:
        score(name, DATA / file, "-v" in sys.argv)
    print("reproduce: .venv/bin/python bench/extractor/fields.py")


if __name__ == "__main__":
    main()
