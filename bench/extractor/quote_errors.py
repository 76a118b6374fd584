"""Error analysis for quotes on a PolNeAR split (development aid, in-process).

usage: .venv/bin/python bench/extractor/quote_errors.py ../shared/datasets/polnear-quotes/train [N]
Prints the same figures as ../shared/scoring/score-quotes.py (same matching rules) and up to N
misattributed speakers / missed quotes. Skips malformed annotation lines instead of failing.

The scorer judges a gold quote's speaker on the first predicted quote that overlaps it, so a
short quote early in an article ('"rigged"') stands in for later, longer gold quotes of other
speakers. The last line also gives, as a diagnostic, the speaker accuracy against each gold
quote's best-overlapping prediction (the longest, closest match), which tells attribution errors
from that matching effect.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from newsdesk.extractor import extract
from newsdesk.extractor.core import analyse
from newsdesk.records import CleanArticle

_W = re.compile(r"\w+")
_STOP = {"the", "a", "an", "he", "she", "it", "they", "we", "i"}


def words(s: str) -> set[str]:
    return {w.lower() for w in _W.findall(s or "")}


def caps(s: str) -> set[str]:
    return {w for w in _W.findall(s or "") if w[:1].isupper() and w.lower() not in _STOP}


def overlap(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    return len(wa & wb) / max(1, min(len(wa), len(wb))) if wa and wb else 0.0


def closeness(a: str, b: str) -> float:
    """Overlap weighted by how alike the two lengths are: the prediction that is this gold quote."""
    la, lb = len(a), len(b)
    return overlap(a, b) * min(la, lb) / max(1, la, lb)


def gold(ann: str) -> list[dict[str, str]]:
    spans: dict[str, str] = {}
    out = []
    events = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) == 3:
            spans[parts[0]] = parts[2]
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    for e in events:
        content = spans.get(e.get("Content", ""), "")
        if re.search(r"[\"“”]", content):
            out.append({"text": content, "source": spans.get(e.get("Source", ""), "")})
    return out


def main() -> None:
    d = Path(sys.argv[1])
    show = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    per_rule: dict[str, list[int]] = {}
    n_gold = n_pred = hit_gold = hit_pred = ok = scored = best_ok = 0
    errors: list[str] = []
    for t in sorted((d / "text").glob("*.txt")):
        anns = sorted((d / "attributions").glob(t.stem + "*.ann"))
        if not anns:
            continue
        g = gold(anns[0].read_text(errors="replace"))
        body = t.read_text(errors="replace")
        out = extract(CleanArticle(id=t.stem, text=body))
        doc = analyse(body)  # again, for the name of the rule that found each speaker
        pairs = zip(doc.quotes, doc.speaker_rules, strict=True)
        rule_of = {body[q.inner_start:q.inner_end].strip(): r for q, r in pairs}
        p = [{**q.model_dump(), "rule": rule_of.get(q.text, "?")} for q in out.quotes]
        n_gold += len(g)
        n_pred += len(p)
        for q in p:
            if any(overlap(q["text"], x["text"]) >= 0.5 for x in g):
                hit_pred += 1
            elif len(errors) < show * 3:
                errors.append(f"FP  {t.stem[:30]} | {q['text'][:100]!r}")
        for x in g:
            m = [q for q in p if overlap(q["text"], x["text"]) >= 0.5]
            if not m:
                errors.append(f"FN  {t.stem[:30]} | {x['text'][:100]!r} src={x['source']!r}")
                continue
            hit_gold += 1
            if caps(x["source"]):
                scored += 1
                best = max(m, key=lambda q, x=x: closeness(q["text"], x["text"]))
                best_ok += bool(caps(best["speaker"] or "") & caps(x["source"]))
                good = bool(caps(m[0]["speaker"] or "") & caps(x["source"]))
                ok += good
                per_rule.setdefault(m[0].get("rule", "?"), []).append(good)
                if not good:
                    body = t.read_text(errors="replace")
                    at = body.find(m[0]["text"][:40])
                    ctx = body[max(0, at - 200): at + len(m[0]["text"]) + 120].replace("\n", " / ")
                    errors.append(f"SPK {t.stem[:30]} | gold={x['source']!r} pred={m[0]['speaker']!r} "
                                  f"| {m[0]['text'][:70]!r} [{m[0].get('rule')}]"
                                  + (f"\n      CTX {ctx}" if "-v" in sys.argv else ""))
    prec, rec = hit_pred / max(1, n_pred), hit_gold / max(1, n_gold)
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    kinds = sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] != "-v" else ["SPK", "FN", "FP"]
    for e in [e for e in errors if e.split()[0] in kinds][:show]:
        print(e)
    for rule, hits in sorted(per_rule.items(), key=lambda kv: -len(kv[1])):
        print(f"  rule {rule:14s} n={len(hits):5d} accuracy={sum(hits) / len(hits):.3f}")
    print(f"gold={n_gold} pred={n_pred} P={prec:.3f} R={rec:.3f} F1={f1:.3f} speaker={ok / max(1, scored):.3f}"
          f" (of {scored}) speaker_best_match={best_ok / max(1, scored):.3f}")


if __name__ == "__main__":
    main()
