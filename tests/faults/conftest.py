"""Fault tests: the real services as processes on a real broker and database, under faults."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The shared helpers sit beside this file; the root conftest owns the name `conftest`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from faultkit import ServiceSet


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fault: a fault-injection test on real services (each bounded, 1-3 minutes)")


@pytest.fixture
def stack(kafka_bootstrap: str, topic_prefix: str, tmp_path: Path) -> Iterator[ServiceSet]:
    with ServiceSet.running(kafka_bootstrap, topic_prefix, tmp_path) as services:
        yield services
