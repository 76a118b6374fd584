"""bench/e2e/stage_clock.py wraps functions by name: a rename in the services must fail here,
not as a bench that silently times nothing."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "bench" / "e2e" / "stage_clock.py"


@pytest.fixture(scope="module")
def stage_clock():
    spec = importlib.util.spec_from_file_location("stage_clock", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["stage_clock"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("stage_clock", None)


def test_every_timed_function_is_where_the_clock_looks(stage_clock) -> None:
    for service, parts in stage_clock.TIMED.items():
        for part, (module_name, name) in parts.items():
            target = getattr(importlib.import_module(module_name), name, None)
            assert callable(target), f"{service} {part}: {module_name}.{name} is gone; update stage_clock.TIMED"
    assert set(stage_clock.STAGE_PARTS) <= {part for parts in stage_clock.TIMED.values() for part in parts}


def test_timed_adds_the_cpu_of_each_call_and_passes_results_and_errors_through(stage_clock) -> None:
    totals = {"busy": 0.0}

    def busy(n: int) -> int:
        if n < 0:
            raise ValueError("negative")
        return sum(i * i for i in range(n))

    wrapped = stage_clock.timed(busy, totals, "busy")
    assert wrapped(200_000) == busy(200_000)
    after_one = totals["busy"]
    assert after_one > 0
    with pytest.raises(ValueError, match="negative"):
        wrapped(-1)
    wrapped(200_000)
    assert totals["busy"] > after_one


def test_read_tolerates_a_missing_or_torn_file(stage_clock, tmp_path) -> None:
    assert stage_clock.read(tmp_path / "absent.json") is None
    torn = tmp_path / "torn.json"
    torn.write_bytes(b'{"t": 1.0, "clean"')
    assert stage_clock.read(torn) is None
    whole = tmp_path / "whole.json"
    whole.write_bytes(b'{"t": 1.0, "clean": 0.5}')
    assert stage_clock.read(whole) == {"t": 1.0, "clean": 0.5}
