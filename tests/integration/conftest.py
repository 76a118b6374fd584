"""Running the real services as processes, as a user would, for the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servicekit import ServiceSet


@pytest.fixture
def pipeline(kafka_bootstrap: str, topic_prefix: str, tmp_path: Path) -> Iterator[ServiceSet]:
    with ServiceSet.running(kafka_bootstrap, topic_prefix, tmp_path) as services:
        yield services
