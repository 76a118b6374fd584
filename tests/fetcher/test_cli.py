"""`newsdesk ingest`, `newsdesk fetcher` and `newsdesk sources check` through add_commands/run."""

import argparse
import json
from pathlib import Path

import pytest
from fetcher_testkit import LocalServer, Reply, rss

from newsdesk.fetcher.cli import add_commands, run
from newsdesk.fetcher.publish import MemoryPublisher


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="newsdesk")
    add_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(list(argv))


def test_ingest_dry_run_prints_raw_articles_with_file_stems_as_ids(tmp_path: Path, capsys: pytest.CaptureFixture):
    (tmp_path / "harbour-001.txt").write_text("The harbour reopened on Monday.\n")
    (tmp_path / "council.html").write_text("<html><body><p>The council met.</p></body></html>")
    code = run(parse("ingest", str(tmp_path), "--source", "desk", "--dry-run"))
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [(r["id"], r["content_type"], r["source"]) for r in out] == [
        ("council", "text/html", "desk"), ("harbour-001", "text/plain", "desk")]


def test_bad_files_are_named_and_the_rest_go_on(tmp_path: Path, capsys: pytest.CaptureFixture):
    (tmp_path / "good.txt").write_text("A fine article.\n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (tmp_path / "empty.txt").write_bytes(b"")
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:  # 50 MB, sparse: no need to write it all
        f.seek(50 * 1024 * 1024 - 1)
        f.write(b"a")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    code = run(parse("ingest", *sorted(str(p) for p in tmp_path.iterdir()), str(tmp_path / "missing.txt"),
                     "--dry-run"))
    captured = capsys.readouterr()
    assert code == 1
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["good"]
    err = captured.err
    assert "latin1.txt: not valid UTF-8" in err
    assert "binary.txt: binary file" in err
    assert "empty.txt: empty file" in err
    assert "huge.txt: 52,428,800 bytes is over" in err
    assert "photo.jpg: unsupported file type" in err
    assert "missing.txt: no such file" in err
    assert "1 published, 6 failed" in err


def test_jsonl_records_and_url_lists(tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture):
    server.html("/story", "Story", "Text of the story.")
    records = tmp_path / "raw.jsonl"
    records.write_text(json.dumps({"id": "r1", "body": "Record body."}) + "\n" + '{"id": ""}\n')
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url('/story')}?utm_medium=email\n")
    code = run(parse("ingest", str(records), str(urls), "--dry-run", "--allow-private"))
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert code == 1  # the bad second line
    assert "raw.jsonl:2" in captured.err
    assert out[0]["id"] == "r1"
    assert out[1]["url"] == server.url("/story") and out[1]["status"] == 200


def test_ingest_refuses_loopback_urls_unless_allowed(server: LocalServer, capsys: pytest.CaptureFixture):
    server.html("/x", "X", "x")
    assert run(parse("ingest", server.url("/x"), "--dry-run")) == 1
    assert "ssrf" in capsys.readouterr().err


def test_ingest_publishes_through_the_injected_factory(tmp_path: Path, capsys: pytest.CaptureFixture):
    (tmp_path / "a.txt").write_text("Alpha.\n")
    memory = MemoryPublisher()
    assert run(parse("ingest", str(tmp_path / "a.txt")), memory.factory()) == 0
    assert [a.id for a in memory.published] == ["a"]
    assert capsys.readouterr().out == ""
    # without a factory and without --dry-run there is nowhere to publish: a clear error
    assert run(parse("ingest", str(tmp_path / "a.txt"))) == 2
    assert "--dry-run" in capsys.readouterr().err


def write_config(tmp_path: Path, server: LocalServer) -> Path:
    config = tmp_path / "sources.toml"
    config.write_text(f"""
seen = "memory"
[http]
user_agent = "newsdesk-test/1.0"
allow_networks = ["127.0.0.1/32"]
per_host_delay = 0
respect_robots = false
retries = 0

[[sources]]
name = "good"
kind = "rss"
url = "{server.url('/feed')}"

[[sources]]
name = "broken"
kind = "atom"
url = "{server.url('/nothing')}"
""")
    return config


def test_sources_check_reports_each_source(tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture):
    server.html("/a", "A", "Alpha.")
    server.routes["/feed"] = Reply(200, rss(server, ("/a", "Alpha story")))
    code = run(parse("sources", "check", str(write_config(tmp_path, server))))
    out = capsys.readouterr().out
    assert code == 1
    assert "valid, 2 source(s)" in out
    assert "ok   good" in out and "would publish 1" in out and "Alpha story" in out
    assert "FAIL broken" in out and "404" in out


def test_sources_check_rejects_an_invalid_file(tmp_path: Path, capsys: pytest.CaptureFixture):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = "x"\nkind = "feed"\n')
    assert run(parse("sources", "check", str(bad))) == 2
    assert "sources[0] ('x'): a feed source needs 'url'" in capsys.readouterr().err


def test_fetcher_once_publishes_through_the_factory(tmp_path: Path, server: LocalServer,
                                                   capsys: pytest.CaptureFixture):
    server.html("/a", "A", "Alpha.")
    server.routes["/feed"] = Reply(200, rss(server, ("/a", "Alpha story")))
    server.routes["/nothing"] = Reply(200, rss(server))
    memory = MemoryPublisher()
    code = run(parse("fetcher", "--config", str(write_config(tmp_path, server)), "--once"), memory.factory())
    logs = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert code == 0
    assert [a.title for a in memory.published] == ["Alpha story"]
    assert logs[-1]["event"] == "metrics" and logs[-1]["counts"]["published"] == 1


class FakeTerminal:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


def test_progress_is_drawn_on_a_terminal_only():
    from newsdesk.fetcher.ingest import Progress

    term = FakeTerminal()
    progress = Progress(term, total=3)  # type: ignore[arg-type]
    for ok in (True, False, True):
        progress.step(ok)
    progress.close()
    assert "\r3/3 done, 1 failed" in term.text and term.text.endswith("\n")
    with open("/dev/null", "w") as devnull:
        assert not Progress(devnull, total=3).enabled
