"""The offline commands on hostile JSON Lines: every line is either processed or named on
stderr with its number, the exit code says whether any was rejected, and nothing hangs."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import orjson
from fuzzkit import bounded, clean_article_fields, extracted_article_fields, json_values, raw_article_fields
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.offline import clean_command, dedup_command, extract_command
from newsdesk.records import CleanArticle, Event, ExtractedArticle

# One input line: a good record of any stage, JSON of any shape, or bytes that are not JSON.
good_lines = st.one_of(raw_article_fields, clean_article_fields, extracted_article_fields).map(orjson.dumps)
bad_lines = st.one_of(json_values.map(orjson.dumps), st.binary(max_size=80))
lines = st.lists(st.one_of(good_lines, good_lines, bad_lines), min_size=1, max_size=6).map(
    # A line cannot hold a newline; JSON escapes them, raw bytes must lose theirs.
    lambda items: [line.replace(b"\n", b" ") for line in items]
)
_REPORT = re.compile(r"^line (\d+): \S")
# What a user can act on: the line is not JSON, not an object, or not a valid record. Anything
# else ("TypeError: ...") is a stage that crashed on input it accepted: a bug, not a clear error.
_REASON = re.compile(r"^line \d+: (not valid JSON|expected a JSON object|not a valid \w+|record is [\d,]+ bytes)")


def run(command, items: list[bytes]) -> tuple[int, list[bytes], list[str]]:
    out, err = io.BytesIO(), io.StringIO()
    with bounded(30, f"{command.__name__} on {len(items)} lines"):
        code = command(io.BytesIO(b"\n".join(items) + b"\n"), out, err)
    return code, out.getvalue().splitlines(), err.getvalue().splitlines()


def reported_lines(err: list[str]) -> list[int]:
    numbers = []
    for message in err:
        match = _REPORT.match(message)
        assert match, f"an error that does not name its line: {message!r}"
        assert _REASON.match(message), f"not a clear reason (a stage crashed?): {message!r}"
        numbers.append(int(match.group(1)))
    return numbers


def counted(items: list[bytes]) -> list[int]:
    """Numbers of the lines a command must answer for (blank ones are skipped silently)."""
    return [n for n, line in enumerate(items, start=1) if line.strip()]


@given(lines)
def test_clean_answers_for_every_line(items: list[bytes]) -> None:
    code, out, err = run(clean_command, items)
    rejected = reported_lines(err)
    assert len(out) + len(rejected) == len(counted(items))
    assert set(rejected) <= set(counted(items))
    assert code == (1 if rejected else 0)
    for line in out:
        CleanArticle.model_validate_json(line)  # what it prints, the next command reads


@given(lines)
def test_extract_answers_for_every_line(items: list[bytes]) -> None:
    code, out, err = run(extract_command, items)
    rejected = reported_lines(err)
    assert len(out) + len(rejected) == len(counted(items))
    assert code == (1 if rejected else 0)
    for line in out:
        ExtractedArticle.model_validate_json(line)


@given(lines)
def test_dedup_prints_valid_events_and_names_bad_lines(items: list[bytes]) -> None:
    code, out, err = run(dedup_command, items)
    rejected = reported_lines(err)
    assert code == (1 if rejected else 0)
    events = [Event.model_validate_json(line) for line in out]
    assert len({e.event_id for e in events}) == len(events)
    # Every accepted article sits in exactly one printed event.
    placed = [a.id for e in events for a in e.articles]
    assert len(placed) == len(set(placed))


def test_the_real_command_survives_a_hostile_file() -> None:
    """The installed entry point, not just the function: binary junk, a NUL, a huge number, a
    deeply nested array and an empty object, between two good lines."""
    good = orjson.dumps({"id": "a1", "body": "The council met on Monday.\n"})
    hostile = [good, b"\x00\xff\xfe", b'{"id": "x", "body": 1e999}', b"[" * 5000 + b"]" * 5000, b"{}",
               b'{"id": "\\u0000", "body": "\\u0000"}', b"\xef\xbb\xbf" + good, good]
    proc = subprocess.run([sys.executable, "-m", "newsdesk.cli", "clean"], input=b"\n".join(hostile) + b"\n",
                          capture_output=True, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    rejected = reported_lines(err.splitlines())
    assert {2, 3, 4, 5} <= set(rejected)
    assert len(proc.stdout.splitlines()) + len(rejected) == len(hostile)
