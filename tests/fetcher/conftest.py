from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The fetcher's test helpers sit beside this file; the root conftest owns the name `conftest`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetcher_testkit import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
