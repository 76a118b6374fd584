"""The demo corpus through the offline commands: the answers the live pipeline must give too."""

from __future__ import annotations

import io

import orjson
import pytest

from newsdesk.demo import corpus_dir, load_manifest
from newsdesk.demo.verdict import problems
from newsdesk.offline import dedup_command
from newsdesk.records import Event


@pytest.fixture(scope="module")
def events() -> list[Event]:
    manifest = load_manifest()
    lines = [
        orjson.dumps({"id": page.file.removesuffix(".html"), "url": f"https://demo.example{page.url_path}",
                      "source": page.outlet, "content_type": "text/html",
                      "body": (corpus_dir() / page.file).read_text(encoding="utf-8")})
        for page in manifest.pages
    ]
    out, err = io.BytesIO(), io.StringIO()
    assert dedup_command(io.BytesIO(b"\n".join(lines)), out, err) == 0, err.getvalue()
    return [Event.model_validate(orjson.loads(line)) for line in out.getvalue().splitlines()]


def test_no_page_is_lost_or_merged_into_another_event_and_dates_are_right(events: list[Event]) -> None:
    assert problems(load_manifest(), events, allow_splits=True) == []


@pytest.mark.xfail(strict=True, reason="known recall gap (issue 6): the deduper keeps Northline Daily's "
                   "differently worded report of the Vienna meeting apart (similarity 0.19 < bar 0.22)")
def test_every_event_comes_out_whole(events: list[Event]) -> None:
    assert problems(load_manifest(), events) == []
