"""The offline commands: JSON Lines in, JSON Lines out, bad lines reported and skipped."""

from __future__ import annotations

import io
import subprocess
import sys

import orjson

from newsdesk.offline import clean_command, dedup_command, extract_command

ARTICLE = {
    "id": "a1",
    "url": "https://example.org/news/1",
    "source": "example",
    "title": "Council approves the harbour budget",
    "published_at": "2024-03-06",
    "content_type": "text/plain",
    "body": "Council approves the harbour budget\n\nThe city council approved the harbour budget on Tuesday.\n"
    '"This is a good day for the port," Mayor Ana Lopes said.\n',
}


def run(command, lines: list[bytes]) -> tuple[int, list[dict], str]:
    out, err = io.BytesIO(), io.StringIO()
    code = command(io.BytesIO(b"\n".join(lines) + b"\n"), out, err)
    return code, [orjson.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_clean_writes_one_record_per_article() -> None:
    code, records, err = run(clean_command, [orjson.dumps(ARTICLE)])
    assert code == 0, err
    assert [r["id"] for r in records] == ["a1"]
    assert "harbour budget" in records[0]["text"]
    assert isinstance(records[0]["removed"], list)


def test_bad_lines_are_named_and_the_rest_still_processed() -> None:
    second = dict(ARTICLE, id="a2")
    lines = [
        orjson.dumps(ARTICLE),
        b"{this is not json",
        b"\xff\xfe\xfd",
        orjson.dumps({"id": "no-body"}),
        b"[]",
        orjson.dumps(second),
    ]
    code, records, err = run(clean_command, lines)
    assert code == 1
    assert [r["id"] for r in records] == ["a1", "a2"]
    for number in (2, 3, 4, 5):
        assert f"line {number}:" in err
    assert "body" in err  # names the missing field


def test_empty_body_and_fake_html_do_not_crash() -> None:
    empty = dict(ARTICLE, id="e", body="")
    fake_html = dict(ARTICLE, id="h", content_type="text/html", body="\x00\x01 not <<html at all >>\x02" * 100)
    code, records, err = run(extract_command, [orjson.dumps(empty), orjson.dumps(fake_html)])
    assert code == 0, err
    assert {r["id"] for r in records} == {"e", "h"}


def test_extract_accepts_clean_records_and_dedup_accepts_all_kinds() -> None:
    _, cleaned, _ = run(clean_command, [orjson.dumps(ARTICLE)])
    code, extracted, err = run(extract_command, [orjson.dumps(cleaned[0])])
    assert code == 0, err
    assert extracted[0]["id"] == "a1"
    mixed = [orjson.dumps(dict(ARTICLE, id="r")), orjson.dumps(dict(cleaned[0], id="c")),
             orjson.dumps(dict(extracted[0], id="x"))]
    code, events, err = run(dedup_command, mixed)
    assert code == 0, err
    ids = sorted(a["id"] for e in events for a in e["articles"])
    assert ids == ["c", "r", "x"]


def test_huge_line_is_refused_with_a_clear_message() -> None:
    huge = orjson.dumps(dict(ARTICLE, id="big", body="x" * (50 * 1024 * 1024)))
    code, records, err = run(clean_command, [huge, orjson.dumps(ARTICLE)])
    assert code == 1
    assert [r["id"] for r in records] == ["a1"]
    assert "line 1:" in err and "limit" in err


def test_console_command_end_to_end() -> None:
    proc = subprocess.run([sys.executable, "-m", "newsdesk.cli", "clean"], input=orjson.dumps(ARTICLE) + b"\n{bad\n",
                          capture_output=True, timeout=120)
    assert proc.returncode == 1
    assert orjson.loads(proc.stdout.splitlines()[0])["id"] == "a1"
    assert b"line 2:" in proc.stderr
