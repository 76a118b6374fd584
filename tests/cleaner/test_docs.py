"""docs/cleaning.md documents every removal reason the records allow, so an audit can be read."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from newsdesk.records import RemovalReason

DOC = Path(__file__).resolve().parents[2] / "docs" / "cleaning.md"


def test_every_reason_is_documented() -> None:
    text = DOC.read_text()
    missing = [reason for reason in get_args(RemovalReason) if f"`{reason}`" not in text]
    assert missing == []
