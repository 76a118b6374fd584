"""Cleaner benchmark: extraction quality and speed on ../shared/datasets/article-extraction,
side by side with trafilatura (the comparison peer), plus the seeds' clean checks.

usage (from the project root):
    .venv/bin/python bench/cleaner/run_bench.py [--rounds N] [--no-seeds]

Runs, in turn and in the same run so both see the same machine load:
  python3 ../shared/scoring/score-extraction.py ../shared/datasets/article-extraction -- .venv/bin/newsdesk clean
  python3 ../shared/scoring/score-extraction.py ../shared/datasets/article-extraction -- \
      .venv/bin/python bench/cleaner/trafilatura_lines.py
and prints F1 and pages/s (start-up included) for both, and the speed ratio. trafilatura is a bench
peer only (pip install trafilatura==2.3.1 into the venv); without it, its row is skipped.
When `newsdesk clean` cannot start (another stage's import broken mid-work), the cleaner is run
through bench/cleaner/clean_lines.py, the same code path without the CLI, and the row says so.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DATASET = SHARED / "datasets" / "article-extraction"
SCORER = SHARED / "scoring" / "score-extraction.py"
PYTHON = ROOT / ".venv" / "bin" / "python"
NEWSDESK = ROOT / ".venv" / "bin" / "newsdesk"
HERE = Path(__file__).resolve().parent


def score(command: list[str]) -> tuple[float, float, str]:
    out = subprocess.run([sys.executable, str(SCORER), str(DATASET), "--", *command],
                         capture_output=True, text=True, cwd=ROOT)
    m = re.search(r"f1=([\d.]+) pages_per_s=([\d.]+)", out.stdout)
    if not m:
        return 0.0, 0.0, out.stdout + out.stderr[-500:]
    return float(m[1]), float(m[2]), out.stdout.strip()


def cli_works() -> bool:
    probe = subprocess.run([str(NEWSDESK), "clean"], input='{"id": "probe", "body": "x"}\n',
                           capture_output=True, text=True, cwd=ROOT)
    return probe.returncode == 0 and '"probe"' in probe.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="repeat and keep each side's best speed")
    parser.add_argument("--no-seeds", action="store_true")
    args = parser.parse_args()
    if not DATASET.exists() or not SCORER.exists():
        print(f"skipped: {DATASET} or {SCORER} is absent")
        return 0

    ours = [str(NEWSDESK), "clean"] if cli_works() else [str(PYTHON), str(HERE / "clean_lines.py")]
    peers: list[tuple[str, list[str]]] = [("newsdesk clean", ours)]
    has_trafilatura = subprocess.run([str(PYTHON), "-c", "import trafilatura"], capture_output=True).returncode == 0
    if has_trafilatura:
        peers.append(("trafilatura 2.3.1", [str(PYTHON), str(HERE / "trafilatura_lines.py")]))
    else:
        print("trafilatura is not installed in .venv: its row is skipped "
              "(.venv/bin/pip install trafilatura==2.3.1 lxml_html_clean)")
    if ours[0] != str(NEWSDESK):
        print("note: `newsdesk clean` does not start; measuring the cleaner via bench/cleaner/clean_lines.py")

    best: dict[str, tuple[float, float]] = {}
    for _ in range(max(1, args.rounds)):
        for name, command in peers:
            f1, speed, detail = score(command)
            if f1 == 0.0 and speed == 0.0:
                print(f"{name}: failed\n{detail}")
            previous = best.get(name, (f1, 0.0))
            best[name] = (f1, max(speed, previous[1]))

    print(f"\n{'extractor':<20} {'F1':>6} {'pages/s':>8}   (181 pages, start-up included)")
    for name, (f1, speed) in best.items():
        print(f"{name:<20} {f1:>6.3f} {speed:>8.1f}")
    if len(best) == 2:
        (_, (_, a)), (_, (_, b)) = best.items()
        print(f"speed ratio newsdesk/trafilatura: {a / b:.2f}x" if b else "")
    print("\nreproduce: .venv/bin/python bench/cleaner/run_bench.py")
    print(f"  or: python3 {SCORER.relative_to(ROOT.parent)} {DATASET.relative_to(ROOT.parent)} -- "
          f"{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(ours))}")

    if not args.no_seeds and (SHARED / "seeds" / "check.py").exists():
        cli = str(NEWSDESK) if ours[0] == str(NEWSDESK) else " ".join(ours)  # check.py appends the verb
        check = subprocess.run([sys.executable, str(SHARED / "seeds" / "check.py"), "--cli", cli],
                               capture_output=True, text=True, cwd=ROOT)
        lines = [line for line in check.stdout.splitlines() if ": " in line and line.split(" ", 1)[1][:4] in
                 ("000_", "001_", "002_", "003_", "004_")]
        failed = [line for line in lines if line.startswith("FAIL")]
        print(f"\nseed clean checks: {len(lines) - len(failed)}/{len(lines)} pass")
        for line in failed:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
