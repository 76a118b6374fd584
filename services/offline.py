"""The offline commands: JSON Lines in on stdin, JSON Lines out on stdout, no broker.

A bad line is reported on stderr with its line number and skipped; the other lines are still
processed, and the command exits non-zero at the end so scripts notice.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from newsdesk.records import Event
from newsdesk.serde import BadRecord, dumps, loads_json
from newsdesk.stages import to_clean, to_extracted


class LineReader:
    """Yields (line number, parsed object) and keeps count of the lines it had to reject."""

    def __init__(self, stream: IO[bytes], errors: IO[str]) -> None:
        self.stream, self.errors, self.bad = stream, errors, 0

    def reject(self, number: int, message: str) -> None:
        self.bad += 1
        print(f"line {number}: {message}", file=self.errors, flush=True)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for number, line in enumerate(self.stream, start=1):
            if not line.strip():
                continue
            try:
                obj = loads_json(line)
            except BadRecord as exc:
                self.reject(number, str(exc))
                continue
            if not isinstance(obj, dict):
                self.reject(number, f"expected a JSON object, got {type(obj).__name__}")
                continue
            yield number, obj


def run_per_record(stage: Callable[[dict[str, Any]], Any], stdin: IO[bytes], stdout: IO[bytes],
                   stderr: IO[str]) -> int:
    reader = LineReader(stdin, stderr)
    for number, obj in reader:
        try:
            result = stage(obj)
        except BadRecord as exc:
            reader.reject(number, str(exc))
            continue
        except Exception as exc:  # a stage bug must not lose the other lines
            reader.reject(number, f"{type(exc).__name__}: {exc}")
            continue
        stdout.write(dumps(result) + b"\n")
    stdout.flush()
    return 1 if reader.bad else 0


def clean_command(stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str]) -> int:
    return run_per_record(to_clean, stdin, stdout, stderr)


def extract_command(stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str]) -> int:
    return run_per_record(to_extracted, stdin, stdout, stderr)


def dedup_command(stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str],
                  now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> int:
    """Merges articles one by one, as the stream does, then prints the last version of each event."""
    from newsdesk.deduper import DedupState, merge

    reader = LineReader(stdin, stderr)
    state = DedupState()
    latest: dict[str, Event] = {}
    for number, obj in reader:
        try:
            article = to_extracted(obj)
            for event in merge(state, article, now()):
                latest[event.event_id] = event
            state.retyped.clear()  # for per-type topics, which this command has none of
        except BadRecord as exc:
            reader.reject(number, str(exc))
        except Exception as exc:
            reader.reject(number, f"{type(exc).__name__}: {exc}")
    for event_id in state.retired:
        latest.pop(event_id, None)
    for event in latest.values():
        stdout.write(dumps(event) + b"\n")
    stdout.flush()
    return 1 if reader.bad else 0


COMMANDS = {"clean": clean_command, "extract": extract_command, "dedup": dedup_command}


def main(verb: str) -> int:
    return COMMANDS[verb](sys.stdin.buffer, sys.stdout.buffer, sys.stderr)
