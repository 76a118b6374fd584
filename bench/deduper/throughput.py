"""Merge throughput with a large state, and memory per event of state (synthetic data).

Builds N events (default 100,000) of synthetic articles, restores them into a `DedupState` the way
the stream agent does after a restart, then merges fresh articles one by one: half are new
reports of events already in the state, half are about new events. Usage, from the repo root:
    .venv/bin/python bench/deduper/throughput.py [EVENTS] [ARTICLES]
"""

from __future__ import annotations

import gc
import json
import random
import sys
import time
from datetime import UTC, datetime

from newsdesk.deduper import DedupState, merge
from newsdesk.deduper.core import event_id_for
from newsdesk.records import ArticleEvent, Entity, ExtractedArticle

WORDS = 200_000
rng = random.Random(7)


def word(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    i += 30
    while i:
        i, r = divmod(i, 26)
        out += letters[r]
    return out


VOCABULARY = [word(i) for i in range(WORDS)]


def zipf_word() -> str:
    # Heavy-tailed choice: a few words everywhere, most words rare, as in news text.
    return VOCABULARY[min(WORDS - 1, int(rng.paretovariate(0.8)) - 1)]


def story(seed: int) -> tuple[list[str], list[str]]:
    local = random.Random(seed)
    names = [VOCABULARY[local.randrange(WORDS)].capitalize() for _ in range(6)]
    return names, [VOCABULARY[local.randrange(WORDS)] for _ in range(40)]


def article_text(seed: int, variant: int) -> str:
    names, topic = story(seed)
    local = random.Random(seed * 1000 + variant)
    sentences = []
    for _ in range(25):
        picks = [local.choice(topic) if local.random() < 0.4 else zipf_word() for _ in range(12)]
        picks.insert(local.randrange(12), f"{local.choice(names)} {local.choice(names)}")
        sentences.append("The " + " ".join(picks) + ".")
    return "\n".join(sentences)


def make_article(seed: int, variant: int) -> ExtractedArticle:
    names, _ = story(seed)
    return ExtractedArticle(
        id=f"a{seed}-{variant}", url=f"https://example.org/{seed}/{variant}", outlet=f"Outlet {variant % 7}",
        title=f"{names[0]} and {names[1]} meet in {names[2]}", published_at="2024-03-01",
        text=article_text(seed, variant),
        entities=[Entity(name=f"{names[0]} {names[1]}", type="person"), Entity(name=names[2], type="place")],
        events=[ArticleEvent(type="meeting", when="2024-03-01")],
    )


def synthetic_snapshot(seed: int, now: datetime) -> dict:
    names, topic = story(seed)
    local = random.Random(seed)
    weights = {n.lower(): 0.3 for n in names}
    weights.update({t: 0.12 for t in topic[:30]})
    for filler in local.sample(VOCABULARY, 50)[: 80 - len(weights)]:
        weights.setdefault(filler, 0.04)
    norm = sum(w * w for w in weights.values()) ** 0.5
    article = ExtractedArticle(id=f"a{seed}-0", url=f"https://example.org/{seed}/0", outlet="Outlet 0",
                               title=f"{names[0]} and {names[1]} meet in {names[2]}", published_at="2024-03-01",
                               text=" ".join(topic) * 2)
    member = {
        "id": article.id, "hash": f"{seed:024x}", "vec": {t: round(w / norm, 5) for t, w in weights.items()},
        "sketch": sorted(local.getrandbits(32) for _ in range(48)), "url": article.url, "source": None,
        "outlet": article.outlet, "title": article.title, "published_at": article.published_at,
        "pub_date": "2024-03-01", "date": "2024-03-01", "type": "meeting", "lead": article.text[:300],
        "people": [{"name": f"{names[0]} {names[1]}", "key": f"{names[1].lower()} {names[0][:2].lower()}",
                    "aliases": [], "role": None, "country": None}],
        "places": [{"name": names[2], "country": None, "aliases": [], "main": False}],
        "quotes": [], "claims": {}, "names": [n.lower() for n in names[:4]], "agencies": [],
    }
    stamp = now.isoformat()
    return {"event_id": event_id_for(article.id), "version": 1, "first_seen": stamp, "updated_at": stamp,
            "overflow": 0, "members": [member]}


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def main(argv: list[str]) -> None:
    n_events = int(argv[0]) if argv else 100_000
    n_articles = int(argv[1]) if len(argv) > 1 else 2_000
    now = datetime(2024, 3, 1, 12, tzinfo=UTC)

    # Snapshots as the Faust table would hold them, written directly (featurising 100,000 texts
    # first would only slow the bench down): one member per event, its terms drawn like an article's.
    t0 = time.perf_counter()
    snapshots = [synthetic_snapshot(seed, now) for seed in range(n_events)]
    built = time.perf_counter() - t0
    snapshot_bytes = sum(len(json.dumps(s)) for s in snapshots[:1000]) / max(1, min(1000, len(snapshots)))

    gc.collect()
    before = rss_bytes()
    t0 = time.perf_counter()
    state = DedupState.restore(snapshots)
    restored = time.perf_counter() - t0
    del snapshots
    gc.collect()
    per_event = (rss_bytes() - before) / max(1, len(state.clusters))

    articles = []
    for i in range(n_articles):
        if i % 2:
            articles.append(make_article(rng.randrange(n_events), 1 + i))  # another report of a known event
        else:
            articles.append(make_article(n_events + i, 0))  # a new event
    t0 = time.perf_counter()
    for article in articles:
        merge(state, article, now)
    elapsed = time.perf_counter() - t0
    # Where each article ended up (regrouping may have moved it after its own merge).
    joined = sum(state.event_of_article.get(a.id) != event_id_for(a.id) for a in articles)

    print(f"events_in_state={len(state.clusters) - n_articles // 2} built_in_s={built:.1f} restore_s={restored:.1f}")
    print(f"snapshot_json_bytes_per_event={snapshot_bytes:.0f} rss_bytes_per_event={per_event:.0f}")
    print(f"merged={n_articles} joined_existing={joined} (expected {n_articles // 2}) "
          f"articles_per_s={n_articles / elapsed:.0f} events_merged_away={len(state.retired)}")
    print("reproduce: .venv/bin/python bench/deduper/throughput.py " + " ".join(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
