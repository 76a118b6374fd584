"""End to end on this machine: generated news sites -> fetcher -> Kafka -> worker -> sink -> PostgreSQL.

Every service runs as its own process, as a user runs them (`python -m newsdesk.cli ...`):
the corpus sites (`newsdesk corpus serve`), `newsdesk fetcher` polling their RSS/Atom feeds,
a local Kafka broker (or KAFKA_BOOTSTRAP_SERVERS), `newsdesk worker` (all stages) and
`newsdesk sink` writing a fresh PostgreSQL database. Each run has its own topic prefix and
database. Measured:

- throughput: articles stored per second between 10% and 90% of the corpus (sustained), and
  from the first publication to the last article stored (overall);
- latency: from an article's publication on `news.articles.raw` (broker timestamp) to the
  first stored event version holding it (`event_versions.stored_at`, set by the sink when it
  writes the batch), p50/p95/p99; and by hop, from the broker timestamps of each article's
  first record on the clean topic, the dedup queue and the events topic (which stage queues);
- CPU (cores busy on average over the run) and peak RSS of every process, PostgreSQL's
  backends for the database included;
- consumer lag over time of the worker (raw, clean, dedup queue) and the sink (events);
- clustering quality of what was stored, against the corpus ground truth.

Without --rate, every page is out at once (a backlog: the throughput figure); with --rate R the
sites release R article versions per second (the latency figure at a steady load).

usage:
  .venv/bin/python bench/e2e/run.py [--events 600] [--seed 7] [--rate R] [--repeat 3] [--warmup]
                                   [--worker STAGES ...] [--profile SECONDS] [--clock] [--database-url URL] [--keep]
  --worker all (the default) runs one `newsdesk worker`; --worker cleaner,extractor --worker deduper,router
  runs two processes splitting the stages (repeat a --worker to run replicas).
  PostgreSQL: --database-url, else NEWSDESK_BENCH_DATABASE_URL, else NEWSDESK_TEST_DATABASE_URL
  (a role that may create databases).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures
import procstat
import psycopg
import pyspy_summary
import stage_clock
from kafka_watch import Watch, article_record, event_articles, publications

ROOT = Path(__file__).resolve().parents[2]
RAW, CLEAN, DEDUP, EVENTS = "news.articles.raw", "news.articles.clean", "news.internal.dedup", "news.events"
STAGES = ("cleaner", "extractor", "deduper", "router")
# Which stage reads which topic (the router reads news.events in its own group, not measured here).
INPUTS = {RAW: "cleaner", CLEAN: "extractor", DEDUP: "deduper"}


def worker_layout(specs: list[str] | None) -> list[tuple[str, ...]]:
    """--worker values -> the stages of each worker process."""
    layout = []
    for spec in specs or ["all"]:
        stages = STAGES if spec == "all" else tuple(sorted(s.strip() for s in spec.split(",") if s.strip()))
        unknown = set(stages) - set(STAGES)
        if unknown or not stages:
            raise SystemExit(f"--worker {spec!r}: choose stages among {', '.join(STAGES)}, or 'all'")
        layout.append(tuple(sorted(stages)))
    missing = set(STAGES) - {s for stages in layout for s in stages}
    if missing:
        raise SystemExit(f"no worker runs {', '.join(sorted(missing))}")
    return layout


def group_of(stages: tuple[str, ...]) -> str:
    """The consumer group (Faust app id) of a worker running these stages, without the prefix:
    what newsdesk.stream.app.app_id names it."""
    return "newsdesk" if sorted(stages) == sorted(STAGES) else "newsdesk-" + "-".join(sorted(stages))


@dataclass
class Run:
    """One pipeline under test: its namespace, processes and samples."""

    bootstrap: str
    prefix: str
    database_url: str
    home: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    samples: list[dict] = field(default_factory=list)
    base_url: str = ""
    #: Processes started under stage_clock.py: name -> the file it keeps its totals in.
    clocks: dict[str, Path] = field(default_factory=dict)
    clock: bool = False

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(KAFKA_BOOTSTRAP_SERVERS=self.bootstrap, NEWSDESK_TOPIC_PREFIX=self.prefix,
                   NEWSDESK_HOME=str(self.home), NEWSDESK_DATABASE_URL=self.database_url, PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def start(self, name: str, *args: str, stdout: int | None = None) -> subprocess.Popen:
        log = open(self.home / f"{name}.log", "ab")  # noqa: SIM115 - the child owns it
        command = [sys.executable, "-m", "newsdesk.cli", *args]
        if self.clock and args[0] in stage_clock.TIMED:
            self.clocks[name] = self.home / f"{name}.clock.json"
            command = [sys.executable, str(Path(__file__).with_name("stage_clock.py")), str(self.clocks[name]), *args]
        proc = subprocess.Popen(command, env=self.env(), cwd=ROOT,
                                stdout=stdout if stdout is not None else log, stderr=log, start_new_session=True,
                                preexec_fn=die_with_parent)
        self.processes[name] = proc
        return proc

    def check_alive(self) -> None:
        for name, proc in self.processes.items():
            if proc.poll() is not None:
                tail = (self.home / f"{name}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail}")

    def stop_all(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def die_with_parent() -> None:
    """In the child: SIGTERM when the benchmark dies, however it dies, so nothing is left running."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# --- the database ------------------------------------------------------------------------------


def create_database(admin_url: str) -> str:
    name = f"newsdesk_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def drop_database(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_count(db: psycopg.Connection) -> int:
    try:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except psycopg.errors.UndefinedTable:
        db.rollback()
        return 0


def backend_pids(db: psycopg.Connection) -> list[int]:
    rows = db.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                      "AND pid <> pg_backend_pid()").fetchall()
    return [pid for (pid,) in rows]


def store_times(db: psycopg.Connection) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    rows = db.execute("SELECT art->>'id', extract(epoch FROM v.stored_at)::float8 FROM event_versions v "
                      "CROSS JOIN LATERAL jsonb_array_elements(v.doc->'articles') AS art")
    for article_id, at in rows:
        times[article_id].append(at)
    for values in times.values():
        values.sort()
    return times


# --- one run ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def sample(run: Run, watch: Watch, db: psycopg.Connection, pids: dict[str, int], site_status,
                 consumers: dict[str, str]) -> dict:
    now = time.time()
    usage = {name: procstat.usage(pid) for name, pid in pids.items()}
    pg = [u for u in (procstat.usage(p) for p in backend_pids(db)) if u is not None]
    if pg:
        usage["postgres"] = procstat.Usage(sum(u.cpu_s for u in pg), sum(u.rss_mb for u in pg),
                                           sum(u.peak_rss_mb for u in pg))
    lags = {topic: await watch.lag(group, run.prefix + topic) for topic, group in consumers.items()}
    clocks = {name: stage_clock.read(path) for name, path in run.clocks.items()}
    return {"t": now, "stored": stored_count(db), "published": await watch.count(run.prefix + RAW),
            "usage": usage, "lag": lags, "released": site_status(), "clocks": clocks}


def site_status(base_url: str):
    import httpx

    def status() -> int | None:
        try:
            return httpx.get(base_url + "/_status", timeout=5).json()["released"]
        except (httpx.HTTPError, ValueError, KeyError):
            return None

    return status


async def one_run(args: argparse.Namespace, bootstrap: str, admin_url: str, number: int) -> dict:
    from newsdesk.corpus.build import generate
    from newsdesk.corpus.scoring import assignments, score
    from newsdesk.sink.stores import stored_events

    corpus = generate(args.events, args.seed)
    expected = len({a.id for a in corpus.articles})
    versions = len(corpus.articles) if args.rate else expected
    home = Path(tempfile.mkdtemp(prefix=f"newsdesk-e2e-{number}-"))
    run = Run(bootstrap=bootstrap, prefix=f"e2e{uuid.uuid4().hex[:8]}.", database_url=create_database(admin_url),
              home=home, clock=args.clock)
    result: dict = {"articles": expected, "versions": versions, "events": len(corpus.events), "home": str(home)}
    try:
        layout = worker_layout(args.worker)
        for i, stages in enumerate(layout):
            run.start(f"worker{i}", "worker", *(a for stage in stages for a in ("--stage", stage)),
                      "--datadir", str(home / f"worker{i}"))
        run.start("sink", "sink")
        groups = {run.prefix + group_of(stages): sum(1 for s in layout if s == stages) for stages in layout}
        consumers = {topic: run.prefix + group_of(stages) for stages in layout for topic, stage in INPUTS.items()
                     if stage in stages}
        consumers[EVENTS] = run.prefix + "newsdesk-sink"
        async with Watch(bootstrap) as watch:
            await watch.wait_stable({**groups, run.prefix + "newsdesk-sink": 1}, 180)
            run.check_alive()
            serve = ["corpus", "serve", "--events", str(args.events), "--seed", str(args.seed),
                     "--sources", str(home / "sources.toml"), "--interval", "1"]
            if args.rate:
                serve += ["--rate", str(args.rate)]
            site = run.start("corpus", *serve, stdout=subprocess.PIPE)
            assert site.stdout is not None
            run.base_url = site.stdout.readline().decode().strip()
            if not run.base_url.startswith("http://127.0.0.1:"):
                run.check_alive()
                raise RuntimeError(f"the corpus server said {run.base_url!r}")
            with psycopg.connect(run.database_url, autocommit=True) as db:
                run.start("fetcher", "fetcher", "--config", str(home / "sources.toml"), "--concurrency",
                          str(args.concurrency))
                pids = {name: proc.pid for name, proc in run.processes.items()}
                if args.broker_pid:
                    pids["kafka broker"] = args.broker_pid
                status = site_status(run.base_url)
                profiler = None
                began = time.time()
                deadline = time.monotonic() + args.timeout
                while True:
                    run.check_alive()
                    run.samples.append(await sample(run, watch, db, pids, status, consumers))
                    last = run.samples[-1]
                    if len(run.samples) % 10 == 0:
                        print(f"  ... {last['t'] - began:.0f} s: published {last['published']}, stored "
                              f"{last['stored']}/{expected}, lag {last['lag']}", file=sys.stderr, flush=True)
                    if args.profile and profiler is None and last["stored"] > 0:
                        profiled = [f"worker{i}" for i in range(len(layout))] + ["fetcher", "sink"]
                        profiler = [(name, start_profiler(pids[name], args.profile, home / f"{name}.pyspy.txt"))
                                    for name in profiled]
                    lag_clear = all(v == 0 for v in last["lag"].values() if v is not None)
                    # Done when every version is out, every article stored and nothing is left to
                    # consume (a revision out within one poll interval of its original may never be
                    # fetched as a separate version, as with real feeds).
                    all_out = last["released"] is not None and last["released"] >= len(corpus.articles)
                    if last["stored"] >= expected and all_out and lag_clear:
                        break
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{last['stored']}/{expected} articles stored after {args.timeout:.0f}s;"
                                           f" logs in {home}")
                    await asyncio.sleep(1.0)
                for name, spy in profiler or []:
                    spy.wait(timeout=args.profile + 60)
                    label = f"worker ({','.join(layout[int(name[6:])])})" if name.startswith("worker") else name
                    # Summarised now: the run's directory (and the raw profile) is gone once it ends.
                    result.setdefault("profiles", []).append(profile_summary(label, home / f"{name}.pyspy.txt"))
                result["wall_s"] = time.time() - began
                publications_seen = await publications(bootstrap, await watch.partitions_of(run.prefix + RAW))
                stored_times = store_times(db)
                latency, missing = figures.latencies(publications_seen, stored_times)
                # When each article first reached each topic on its way, then storage.
                firsts = [figures.first_seen(publications_seen)]
                for name in (CLEAN, DEDUP, EVENTS):
                    seen = await publications(bootstrap, await watch.partitions_of(run.prefix + name),
                                              ids=event_articles if name == EVENTS else article_record)
                    firsts.append(figures.first_seen(seen))
                firsts.append({article_id: times[0] for article_id, times in stored_times.items()})
                result["hops"] = [{q: figures.percentile(hop, q) for q in (50, 99)} if hop else {}
                                  for hop in figures.hop_latencies(firsts)]
        result.update(summarize(run, publications_seen, latency, missing, expected))
        events = stored_events(run.database_url)
        truth = [{"id": a.id, "event": a.event, "truth": {"copy_of": a.copy_of,
                                                          "echoes": corpus.event(a.event).echoes}}
                 for a in {a.id: a for a in corpus.articles}.values()]
        result["quality"] = score(truth, assignments(e.model_dump() for e in events))
        return result
    finally:
        run.stop_all()
        drop_database(admin_url, run.database_url)
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)


def start_profiler(pid: int, seconds: int, out: Path) -> subprocess.Popen:
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "100",
                             "--format", "raw", "--output", str(out), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarize(run: Run, published: list[tuple[str, float]], latency: list[float], missing: int,
              expected: int) -> dict:
    samples = run.samples
    first_pub = published[0][1] if published else samples[0]["t"]
    timeline = [(s["t"], s["stored"]) for s in samples]
    done_at = next((s["t"] for s in samples if s["stored"] >= expected), samples[-1]["t"])
    window = [s for s in samples if s["t"] >= first_pub - 1.0] or samples
    cpu, peak, per_article = {}, {}, {}
    for name in window[-1]["usage"]:
        seen = [s["usage"].get(name) for s in window if s["usage"].get(name) is not None]
        if len(seen) >= 2:
            cpu[name] = (seen[-1].cpu_s - seen[0].cpu_s) / max(1e-9, window[-1]["t"] - window[0]["t"])
            per_article[name] = 1000 * (seen[-1].cpu_s - seen[0].cpu_s) / max(1, expected)
            peak[name] = max(u.peak_rss_mb for u in seen)
    parts: dict[str, dict[str, float]] = {}
    for name in run.clocks:
        read = [s["clocks"].get(name) for s in window if s["clocks"].get(name)]
        if len(read) >= 2:
            parts[name] = {part: 1000 * (read[-1][part] - read[0][part]) / max(1, expected)
                           for part in read[-1] if part != "t"}
    return {
        "publications": len(published),
        "fetch_rate": (len(published) / (published[-1][1] - first_pub)) if len(published) > 1 else None,
        "fetch_rate_middle": figures.middle_rate([at for _, at in published]),
        "sustained": figures.sustained_rate(timeline, expected),
        "overall": expected / max(1e-9, done_at - first_pub),
        "latency": {q: figures.percentile(latency, q) for q in (50, 95, 99)} if latency else {},
        "latency_max": max(latency) if latency else None,
        "missing": missing,
        "cpu": cpu,
        "cpu_ms_per_article": per_article,
        "peak_rss": peak,
        "parts_ms_per_article": parts,
        "lag": [(round(s["t"] - first_pub, 1), s["lag"]) for s in samples],
    }


# --- reporting ----------------------------------------------------------------------------------------


def machine() -> str:
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB RAM, {platform.platform()}, "
            f"Python {platform.python_version()}, load average at the start {os.getloadavg()[0]:.2f}")


def source_state() -> str:
    import newsdesk

    where = Path(newsdesk.__file__).resolve().parent
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True)
    if head.returncode:
        return f"newsdesk from {where} (not a git checkout)"
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=where, capture_output=True, text=True)
    changed = len([line for line in dirty.stdout.splitlines() if line.strip()])
    return f"newsdesk from {where}, git {head.stdout.strip()}" + (
        f" + {changed} uncommitted change(s)" if changed else "")


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def print_run(number: int, r: dict) -> None:
    lat = r["latency"]
    q = r["quality"]
    print(f"run {number}: {r['articles']:,} articles ({r['versions']:,} versions, {r['events']} events) "
          f"stored in {r['wall_s']:.1f} s")
    print(f"  throughput: sustained {fmt(r['sustained'], ' articles/s')}, overall {fmt(r['overall'], ' articles/s')}"
          f" (fetcher published {fmt(r['fetch_rate'], '/s')}, {fmt(r.get('fetch_rate_middle'), '/s')} between 10% and"
          " 90% of its publications)")
    print(f"  latency publish -> stored: p50 {fmt(lat.get(50), ' s', 2)}, p95 {fmt(lat.get(95), ' s', 2)}, "
          f"p99 {fmt(lat.get(99), ' s', 2)}, max {fmt(r['latency_max'], ' s', 2)}; never stored: {r['missing']}")
    hop_names = ("raw -> clean", "clean -> dedup queue", "dedup queue -> events", "events -> stored")
    print("  latency by hop (first appearance of each article, p50 / p99): " + ", ".join(
        f"{name} {fmt(hop.get(50), '', 2)} / {fmt(hop.get(99), ' s', 2)}"
        for name, hop in zip(hop_names, r.get("hops", []), strict=False)))
    print("  CPU (cores busy) / CPU ms per article / peak RSS: " + ", ".join(
        f"{name} {r['cpu'][name]:.2f} / {r['cpu_ms_per_article'][name]:.1f} / {r['peak_rss'][name]:.0f} MB"
        for name in sorted(r["cpu"])) + f"; total {sum(r['cpu_ms_per_article'].values()):.1f} ms per article")
    if r.get("parts_ms_per_article"):
        print_split(r["cpu_ms_per_article"], r["parts_ms_per_article"])
    print(f"  stored events vs truth: B-cubed P {q.precision:.3f} R {q.recall:.3f} F1 {q.f1:.3f}, "
          f"{q.predicted_events} events for {q.gold_events}")
    lags = r["lag"]
    step = max(1, len(lags) // 12)
    print("  consumer lag (s since first publication: raw/clean/dedup/events): " + "; ".join(
        f"{t:.0f}s {'/'.join('-' if lag[k] is None else str(lag[k]) for k in (RAW, CLEAN, DEDUP, EVENTS))}"
        for t, lag in lags[::step]))
    for lines in r.get("profiles", []):
        print("\n".join(lines))


def cpu_split(cpu_ms: dict[str, float], parts: dict[str, dict[str, float]]) -> tuple[float, float]:
    """(ms per article in newsdesk's stage logic, ms per article in everything else) in all processes."""
    logic = sum(v for timed in parts.values() for part, v in timed.items() if part in stage_clock.STAGE_PARTS)
    return logic, sum(cpu_ms.values()) - logic


def print_split(cpu_ms: dict[str, float], parts: dict[str, dict[str, float]]) -> None:
    lines = []
    for name, timed in sorted(parts.items()):
        logic = {p: v for p, v in timed.items() if p in stage_clock.STAGE_PARTS and v > 0.005}
        codec = sum(v for p, v in timed.items() if p not in stage_clock.STAGE_PARTS)
        rest = cpu_ms.get(name, 0.0) - sum(logic.values()) - codec
        lines.append(f"{name} {cpu_ms.get(name, 0.0):.2f} = stage logic {sum(logic.values()):.2f} ("
                     + ", ".join(f"{p} {v:.2f}" for p, v in logic.items())
                     + f") + record codec {codec:.2f} + the rest {rest:.2f}")
    logic, rest = cpu_split(cpu_ms, parts)
    print("  CPU ms per article, split by stage_clock: " + "; ".join(lines))
    print(f"  in all processes: stage logic {logic:.2f} ms per article, everything else (Kafka and HTTP clients, "
          f"Faust, record codec, broker, PostgreSQL, sink, corpus server) {rest:.2f} ms; two cores allow "
          f"{2000 / 300:.2f} ms per article at 300 articles/s")


def profile_summary(process: str, path: Path) -> list[str]:
    if not path.exists():
        return [f"  profile: py-spy wrote nothing to {path}"]
    total, areas, inclusive, leaf = pyspy_summary.summarize(path.read_text().splitlines())
    if not total:
        return ["  profile: no samples"]
    return [
        f"  {process} profile (py-spy, {total} samples while runnable): " + ", ".join(
            f"{area} {100 * n / total:.0f}%" for area, n in areas.most_common()),
        "  heaviest functions (inclusive): " + "; ".join(
            f"{name} {100 * n / total:.0f}%" for name, n in inclusive.most_common(40)
            if not name.startswith(("<module>", "run (", "_run", "run_forever", "run_until_complete")))[:1500],
        "  heaviest leaves (self): " + "; ".join(f"{name} {100 * n / total:.0f}%" for name, n in leaf.most_common(12)),
    ]


def print_medians(results: list[dict]) -> None:
    print(f"medians of {len(results)} runs:")
    print(f"  sustained {fmt(figures.median(r['sustained'] for r in results), ' articles/s')}, overall "
          f"{fmt(figures.median(r['overall'] for r in results), ' articles/s')}")
    for q in (50, 95, 99):
        print(f"  latency p{q} {fmt(figures.median(r['latency'].get(q) for r in results), ' s', 2)}", end="")
    print()
    names = sorted({n for r in results for n in r["cpu"]})
    print("  CPU (cores busy) / CPU ms per article / peak RSS: " + ", ".join(
        f"{n} {fmt(figures.median(r['cpu'].get(n) for r in results), '', 2)} / "
        f"{fmt(figures.median(r['cpu_ms_per_article'].get(n) for r in results), '', 1)} / "
        f"{fmt(figures.median(r['peak_rss'].get(n) for r in results), ' MB')}" for n in names))
    if all(r.get("parts_ms_per_article") for r in results):
        splits = [cpu_split(r["cpu_ms_per_article"], r["parts_ms_per_article"]) for r in results]
        print(f"  stage logic {fmt(figures.median(s[0] for s in splits), ' ms', 2)} per article, everything else "
              f"{fmt(figures.median(s[1] for s in splits), ' ms', 2)}")
    total = figures.median(sum(r["cpu_ms_per_article"].values()) for r in results)
    f1 = figures.median(r["quality"].f1 for r in results)
    print(f"  total CPU per article {fmt(total, ' ms', 1)}; B-cubed F1 {fmt(f1, '', 3)}")


#: Warm-up runs end once the broker's JIT compiler kept less than this share of one core busy
#: during one (after four or five runs it settles at 0.02-0.04 here, not at zero).
SETTLED_JIT_CORES = 0.05
MAX_WARMUP_RUNS = 5


async def warm_up(args: argparse.Namespace, bootstrap: str, admin_url: str) -> None:
    """Uncounted runs until the broker runs as one that has been up a while.

    A fresh broker spends much of its first runs compiling its hot paths: its C2 compiler threads
    took 53%, 45%, 36%, then about 10% of its CPU in four runs of 300 events in a row. That cost is
    the bench's, not the pipeline's, and it takes CPU the pipeline's processes would have had.
    Without the broker's pid (an external broker and no --broker-pid) one run serves."""
    pid = args.broker_pid
    for number in range(1, MAX_WARMUP_RUNS + 1):
        before, started = procstat.jit_cpu_s(pid) if pid else None, time.monotonic()
        warm = await one_run(args, bootstrap, admin_url, 0)
        after, wall = procstat.jit_cpu_s(pid) if pid else None, time.monotonic() - started
        cores = (after - before) / wall if before is not None and after is not None else None
        note = f"; the broker's JIT compiler kept {cores:.2f} cores busy" if cores is not None else ""
        print(f"warm-up run {number} (not counted): {warm['articles']:,} articles stored in "
              f"{warm['wall_s']:.1f} s{note}", flush=True)
        if cores is None or cores < SETTLED_JIT_CORES:
            return
    print(f"  (the broker was still compiling after {MAX_WARMUP_RUNS} warm-up runs)", flush=True)


async def main_async(args: argparse.Namespace) -> int:
    admin_url = (args.database_url or os.environ.get("NEWSDESK_BENCH_DATABASE_URL")
                 or os.environ.get("NEWSDESK_TEST_DATABASE_URL"))
    if not admin_url:
        print("need PostgreSQL: --database-url or NEWSDESK_BENCH_DATABASE_URL / NEWSDESK_TEST_DATABASE_URL",
              file=sys.stderr)
        return 2
    print(f"machine: {machine()}; source: {source_state()}", flush=True)
    with ExitStack() as stack:
        bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
        if not bootstrap:
            from newsdesk.broker.local import LocalBroker

            broker_home = Path(tempfile.mkdtemp(prefix="newsdesk-e2e-kafka-"))
            broker = LocalBroker(home=broker_home, port=free_port(), controller_port=free_port())
            broker.start()
            stack.callback(shutil.rmtree, broker_home, ignore_errors=True)
            stack.callback(broker.stop)
            bootstrap, args.broker_pid = broker.bootstrap, broker.pid()
        worker_layout(args.worker)  # a bad --worker fails before anything starts
        if args.warmup:
            await warm_up(args, bootstrap, admin_url)
        results = []
        for number in range(1, args.repeat + 1):
            result = await one_run(args, bootstrap, admin_url, number)
            print_run(number, result)
            results.append(result)
            sys.stdout.flush()
        if len(results) > 1:
            print_medians(results)
    command = [".venv/bin/python", "bench/e2e/run.py", "--events", str(args.events), "--seed", str(args.seed),
               "--repeat", str(args.repeat), "--concurrency", str(args.concurrency)]
    for spec in args.worker or []:
        command += ["--worker", spec]
    if args.rate:
        command += ["--rate", f"{args.rate:g}"]
    if args.profile:
        command += ["--profile", str(args.profile)]
    if args.clock:
        command += ["--clock"]
    if args.warmup:
        command += ["--warmup"]
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    print("reproduce: cd " + str(ROOT) + " && NEWSDESK_TEST_DATABASE_URL=postgresql://... " + " ".join(command))
    return 0


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # SIGTERM unwinds like Ctrl-C: the runs' processes, databases and the broker are cleaned up.
    signal.signal(signal.SIGTERM, interrupt)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=600, help="corpus events (about 5 articles each)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=None, help="article versions released per second")
    parser.add_argument("--repeat", type=int, default=1, help="runs, each on a fresh namespace and database")
    parser.add_argument("--warmup", action="store_true",
                        help="uncounted runs first, until the broker's JIT compiler has settled (at most "
                             f"{MAX_WARMUP_RUNS}), so the broker is measured as one that has been up a while")
    parser.add_argument("--worker", action="append", metavar="STAGES",
                        help="a `newsdesk worker` process: 'all' (default) or stages, e.g. cleaner,extractor")
    parser.add_argument("--concurrency", type=int, default=16, help="pages the fetcher fetches at once")
    parser.add_argument("--profile", type=int, default=0, metavar="SECONDS",
                        help="py-spy every worker, the fetcher and the sink for this long once articles flow "
                             "(perturbs the figures)")
    parser.add_argument("--broker-pid", type=int, default=None,
                        help="with KAFKA_BOOTSTRAP_SERVERS: the broker's process id, to measure it too")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a run gives up")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true", help="keep each run's logs and files")
    parser.add_argument("--clock", action="store_true",
                        help="time the stage functions inside the worker and fetcher (stage_clock.py): "
                             "how much of their CPU is newsdesk's logic and how much the plumbing around it")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
