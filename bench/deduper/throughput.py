"""Merge throughput with a large state, and memory per event of state (synthetic data).

Builds EVENTS one-article events, writes their snapshots to a file the way the Faust table holds
them, restores a `DedupState` from that file the way the stream agent does after a restart (memory
per event = the process's RSS growth over the restore / events), then merges ARTICLES fresh articles
one by one: half are new reports of events already in the state, half are about new events.

The state's articles are generated like the fresh ones and featurised by the deduper itself (in a
child process, so the parent's heap holds nothing but the restored state), so the document
frequencies after the restore are the ones the stream would have.

The text is calibrated on real news (ECB+, after the deduper's own featurising): two articles
about different stories share a median of 0 of their 80 vector terms (p90: 2) there. Words are
drawn from a heavy-tailed distribution over 200,000 words, without the head that stop words and
IDF take care of in real text, and each story belongs to one of 300 kinds whose words it partly
shares with the other stories of its kind (as two earthquakes share theirs): shared terms median
1, p90 3; about 155 distinct terms an article (ECB+: 100).

`--legacy` runs the first version of this bench instead: snapshots with hand-made vectors (80
terms drawn uniformly, no document frequencies beyond those terms) and text whose filler words
come 96% from the same 50 words (different stories then share a median of 16 vector terms, and
after the restore those words look rare, so fresh articles resemble each other far more than news
does). Kept to compare with the figures measured before.

Usage, from the repo root:
    .venv/bin/python bench/deduper/throughput.py [EVENTS] [ARTICLES] [--legacy] [--snapshots=FILE]
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from newsdesk.deduper import DedupConfig, DedupState, merge
from newsdesk.deduper.article_features import article_member
from newsdesk.deduper.core import event_id_for
from newsdesk.deduper.model import Cluster
from newsdesk.deduper.vocabulary import DocumentFrequencies
from newsdesk.records import ArticleEvent, Entity, ExtractedArticle

WORDS = 200_000
NOW = datetime(2024, 3, 1, 12, tzinfo=UTC)


def word(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    i += 30
    while i:
        i, r = divmod(i, 26)
        out += letters[r]
    return out


VOCABULARY = [word(i) for i in range(WORDS)]


KINDS = 300
KIND_WORDS = 30


def filler_word(rng: random.Random, legacy: bool) -> str:
    if legacy:  # 96% of draws among the 50 most frequent words
        return VOCABULARY[min(WORDS - 1, int(rng.paretovariate(0.8)) - 1)]
    # Heavy-tailed over the whole vocabulary, the head (what stop words and IDF remove) left out.
    return VOCABULARY[min(WORDS - 1, int(50 * rng.paretovariate(1.0)))]


def story(seed: int, legacy: bool) -> tuple[list[str], list[str]]:
    local = random.Random(seed)
    names = [VOCABULARY[local.randrange(WORDS)].capitalize() for _ in range(6)]
    if legacy:
        return names, [VOCABULARY[local.randrange(WORDS)] for _ in range(40)]
    kind = random.Random(10**9 + local.randrange(KINDS))
    kind_words = [VOCABULARY[kind.randrange(WORDS)] for _ in range(KIND_WORDS)]
    return names, [local.choice(kind_words) if local.random() < 0.3 else VOCABULARY[local.randrange(WORDS)]
                   for _ in range(40)]


def article_text(seed: int, variant: int, rng: random.Random, legacy: bool) -> str:
    names, topic = story(seed, legacy)
    local = random.Random(seed * 1000 + variant)
    sentences = []
    for _ in range(25):
        picks = [local.choice(topic) if local.random() < 0.4 else filler_word(rng, legacy) for _ in range(12)]
        picks.insert(local.randrange(12), f"{local.choice(names)} {local.choice(names)}")
        sentences.append("The " + " ".join(picks) + ".")
    return "\n".join(sentences)


def make_article(seed: int, variant: int, rng: random.Random, legacy: bool = False) -> ExtractedArticle:
    names, _ = story(seed, legacy)
    return ExtractedArticle(
        id=f"a{seed}-{variant}", url=f"https://example.org/{seed}/{variant}", outlet=f"Outlet {variant % 7}",
        title=f"{names[0]} and {names[1]} meet in {names[2]}", published_at="2024-03-01",
        text=article_text(seed, variant, rng, legacy),
        entities=[Entity(name=f"{names[0]} {names[1]}", type="person"), Entity(name=names[2], type="place")],
        events=[ArticleEvent(type="meeting", when="2024-03-01")],
    )


def featurised_snapshots(n_events: int) -> Iterator[dict]:
    """One-article events as `merge` featurises them, document frequencies learnt along the way."""
    config, freqs, rng = DedupConfig(), DocumentFrequencies(), random.Random(11)
    stamp = NOW.isoformat()
    for seed in range(n_events):
        article = make_article(seed, 0, rng)
        member = article_member(article, freqs, config)
        member.seq = 2 * seed + 1
        cluster = Cluster(event_id=event_id_for(article.id), version=1, first_seen=stamp, updated_at=stamp,
                          members=[member], seq=2 * seed + 2)
        yield cluster.to_dict()


def legacy_snapshots(n_events: int) -> Iterator[dict]:
    """The first version of this bench: vectors written directly, 80 terms drawn uniformly."""
    stamp = NOW.isoformat()
    for seed in range(n_events):
        names, topic = story(seed, legacy=True)
        local = random.Random(seed)
        weights = {n.lower(): 0.3 for n in names}
        weights.update({t: 0.12 for t in topic[:30]})
        for filler in local.sample(VOCABULARY, 50)[: 80 - len(weights)]:
            weights.setdefault(filler, 0.04)
        norm = sum(w * w for w in weights.values()) ** 0.5
        member = {
            "id": f"a{seed}-0", "hash": f"{seed:024x}", "vec": {t: round(w / norm, 5) for t, w in weights.items()},
            "sketch": sorted(local.getrandbits(32) for _ in range(48)), "url": f"https://example.org/{seed}/0",
            "source": None, "outlet": "Outlet 0", "title": f"{names[0]} and {names[1]} meet in {names[2]}",
            "published_at": "2024-03-01", "pub_date": "2024-03-01", "date": "2024-03-01", "type": "meeting",
            "lead": (" ".join(topic) * 2)[:300],
            "people": [{"name": f"{names[0]} {names[1]}", "key": f"{names[1].lower()} {names[0][:2].lower()}",
                        "aliases": [], "role": None, "country": None}],
            "places": [{"name": names[2], "country": None, "aliases": [], "main": False}],
            "quotes": [], "claims": {}, "names": [n.lower() for n in names[:4]], "agencies": [],
        }
        yield {"event_id": event_id_for(member["id"]), "version": 1, "first_seen": stamp, "updated_at": stamp,
               "overflow": 0, "members": [member]}


def write_snapshots(path: str, n_events: int, legacy: bool) -> None:
    with open(path, "w") as out:
        for snap in (legacy_snapshots if legacy else featurised_snapshots)(n_events):
            out.write(json.dumps(snap) + "\n")


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def main(argv: list[str]) -> None:
    legacy = "--legacy" in argv
    # --snapshots=FILE: build the state's snapshots into FILE once, and reuse them in later runs
    # (building 100,000 takes minutes; the snapshots depend only on EVENTS and --legacy).
    kept = next((a.split("=", 1)[1] for a in argv if a.startswith("--snapshots=")), None)
    args = [a for a in argv if not a.startswith("--")]
    n_events = int(args[0]) if args else 100_000
    n_articles = int(args[1]) if len(args) > 1 else 2_000

    with tempfile.TemporaryDirectory() as tmp:
        path = kept or os.path.join(tmp, "snapshots.jsonl")
        t0 = time.perf_counter()
        if not os.path.exists(path):
            child = multiprocessing.get_context("fork").Process(target=write_snapshots,
                                                                args=(path, n_events, legacy))
            child.start()
            child.join()
        built = time.perf_counter() - t0
        snapshot_bytes = os.path.getsize(path) / max(1, n_events)

        gc.collect()
        before = rss_bytes()
        t0 = time.perf_counter()
        with open(path) as lines:
            state = DedupState.restore(json.loads(line) for line in lines)
        restored = time.perf_counter() - t0
    gc.collect()
    per_event = (rss_bytes() - before) / max(1, len(state.clusters))

    rng = random.Random(7)
    articles = []
    for i in range(n_articles):
        if i % 2:  # another report of an event in the state
            articles.append(make_article(rng.randrange(n_events), 1 + i, rng, legacy))
        else:  # a new event
            articles.append(make_article(n_events + i, 0, rng, legacy))
    t0, cpu0 = time.perf_counter(), time.process_time()
    for article in articles:
        merge(state, article, NOW)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    # Where each article ended up (regrouping may have moved it after its own merge).
    joined = sum(state.event_of_article.get(a.id) != event_id_for(a.id) for a in articles)

    print(f"snapshots={'legacy' if legacy else 'featurised'} events_in_state={n_events} "
          f"built_in_s={built:.1f} restore_s={restored:.1f}")
    print(f"snapshot_json_bytes_per_event={snapshot_bytes:.0f} rss_bytes_per_event={per_event:.0f}")
    print(f"merged={n_articles} joined_existing={joined} (expected {n_articles // 2}) "
          f"articles_per_s={n_articles / elapsed:.0f} events_merged_away={len(state.retired)}")
    # Per CPU second too: the target is for one core, and numpy could use more than one.
    print(f"articles_per_cpu_s={n_articles / cpu:.0f}")
    print("reproduce: .venv/bin/python bench/deduper/throughput.py " + " ".join(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
