"""Two versions of the deduper side by side: same state, same articles, merged in step.

Separate runs of `throughput.py` on the 2-core bench machine varied by half within minutes
(296 to 451 articles/s for one code), too much to rank a change worth 5-20%. Here two child
processes, one importing `newsdesk` from a base revision and one from the working tree, each
restore the same snapshots and generate the same articles, then merge them in chunks, taking
turns (which goes first alternates chunk by chunk), so that a slow spell of the machine costs
both alike. Reported: each side's articles per CPU second, the ratio of the totals, the median
of the per-chunk ratios, and whether both produced the same event records.

Usage, from the repo root:
    .venv/bin/python bench/deduper/ab.py BASE_REV [EVENTS] [ARTICLES] [--snapshots=FILE] [--chunk=N]

BASE_REV is any git revision (its `services/` is exported to a temporary directory, its C kernels
built there when it has them); the other side is the working tree. Snapshots are built as
`throughput.py` builds them, by the working tree's code, unless FILE exists.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def child(snapshots: str, n_events: int, n_articles: int, chunk: int) -> None:
    """Restore, generate the articles, then merge chunk k on each line "k" of stdin."""
    import json

    sys.path.insert(0, str(HERE))
    import throughput as bench

    from newsdesk.deduper import DedupState, merge

    with open(snapshots) as lines:
        state = DedupState.restore(json.loads(line) for line in lines)
    rng = random.Random(7)  # the articles throughput.py merges
    articles = [bench.make_article(rng.randrange(n_events), 1 + i, rng) if i % 2
                else bench.make_article(n_events + i, 0, rng) for i in range(n_articles)]
    print("ready", flush=True)
    for line in sys.stdin:
        k = int(line)
        digest = hashlib.sha1()
        started = time.process_time()
        events = [e for article in articles[k * chunk:(k + 1) * chunk] for e in merge(state, article, bench.NOW)]
        spent = time.process_time() - started
        for event in events:
            digest.update(event.model_dump_json().encode())
        print(f"{spent} {digest.hexdigest()}", flush=True)


def export(rev: str, into: Path) -> Path:
    """The revision's `services/` as an importable `newsdesk` package under `into`."""
    archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", rev, "services"], stdout=subprocess.PIPE)
    assert archive.stdout is not None
    with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
        tar.extractall(into, filter="data")
    if archive.wait() != 0:
        raise SystemExit(f"git archive {rev} failed: is it a revision of this repository?")
    (into / "services").rename(into / "newsdesk")
    return into


def build_kernels(into: Path) -> None:
    """Compiles the exported revision's C modules (pyproject's ext-modules) next to their sources,
    as pip would; a revision without them runs as it did."""
    import tomllib

    from setuptools import Distribution, Extension

    with open(ROOT / "pyproject.toml", "rb") as f:
        modules = tomllib.load(f).get("tool", {}).get("setuptools", {}).get("ext-modules", [])
    extensions = []
    for module in modules:
        sources = [into / ("newsdesk" + src.removeprefix("services")) for src in module["sources"]]
        if all(src.exists() for src in sources):
            extensions.append(Extension(module["name"], [str(src) for src in sources],
                                        extra_compile_args=module.get("extra-compile-args", [])))
    if not extensions:
        return
    command = Distribution({"ext_modules": extensions}).get_command_obj("build_ext")
    command.build_lib, command.build_temp = str(into), str(into / "build-temp")
    command.ensure_finalized()
    command.run()


def spawn(pythonpath: str | None, args: list[str]) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    return proc


def ask(proc: subprocess.Popen[str], line: str) -> str:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    answer = proc.stdout.readline()
    if not answer:
        raise SystemExit("a side stopped early; its traceback is above")
    return answer.strip()


def main(argv: list[str]) -> None:
    options = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    args = [a for a in argv if not a.startswith("--")]
    if not args:
        raise SystemExit(__doc__)
    base_rev = args[0]
    n_events = int(args[1]) if len(args) > 1 else 100_000
    n_articles = int(args[2]) if len(args) > 2 else 2_000
    chunk = int(options.get("chunk", 50))
    chunks = -(-n_articles // chunk)

    with tempfile.TemporaryDirectory() as tmp:
        snapshots = options.get("snapshots") or os.path.join(tmp, "snapshots.jsonl")
        if not os.path.exists(snapshots):
            sys.path.insert(0, str(HERE))
            import throughput as bench

            bench.write_snapshots(snapshots, n_events, legacy=False)
        base = export(base_rev, Path(tmp) / "base")
        build_kernels(base)
        child_args = [snapshots, str(n_events), str(n_articles), str(chunk)]
        sides = {"base": spawn(str(base), child_args), "tree": spawn(None, child_args)}
        try:
            for proc in sides.values():
                assert proc.stdout is not None
                if proc.stdout.readline().strip() != "ready":
                    raise SystemExit("a side failed to start; its traceback is above")
            cpu = {name: 0.0 for name in sides}
            ratios: list[float] = []
            differ: list[int] = []
            for k in range(chunks):
                order = ["base", "tree"] if k % 2 == 0 else ["tree", "base"]
                answers = {name: ask(sides[name], str(k)).split() for name in order}
                spent = {name: float(answers[name][0]) for name in sides}
                for name in sides:
                    cpu[name] += spent[name]
                if spent["tree"] > 0:
                    ratios.append(spent["base"] / spent["tree"])
                if answers["base"][1] != answers["tree"][1]:
                    differ.append(k)
        finally:
            for proc in sides.values():
                if proc.stdin:
                    proc.stdin.close()
                proc.wait(timeout=60)

    rate = {name: n_articles / cpu[name] for name in sides}
    print(f"events_in_state={n_events} articles={n_articles} chunks={chunks}x{chunk}")
    print(f"base {base_rev}: {rate['base']:.0f} articles per CPU second; working tree: {rate['tree']:.0f}")
    print(f"tree/base speed: {cpu['base'] / cpu['tree']:.3f} overall, median per chunk "
          f"{statistics.median(ratios):.3f} (chunks {min(ratios):.2f}-{max(ratios):.2f})")
    print("same event records: " + ("yes" if not differ else f"NO, first in chunk {differ[0]} ({len(differ)} chunks)"))
    print("reproduce: .venv/bin/python bench/deduper/ab.py " + " ".join(argv))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        main(sys.argv[1:])
