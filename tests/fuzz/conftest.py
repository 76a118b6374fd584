"""Fuzz tests: hypothesis on every boundary where untrusted input enters newsdesk."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The shared strategies sit beside this file; the root conftest owns the name `conftest`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fuzzkit  # noqa: F401 - loads the hypothesis profile before any test runs


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: property-based fuzzing with hypothesis (bounded: about a minute)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.fuzz)
