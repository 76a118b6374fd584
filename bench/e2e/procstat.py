"""CPU time and memory of processes from /proc (Linux), without psutil."""

from __future__ import annotations

import os
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Usage:
    cpu_s: float  # user + system CPU seconds since the process started
    rss_mb: float
    peak_rss_mb: float  # VmHWM: the high-water mark of the resident set


def usage(pid: int) -> Usage | None:
    """None once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name may hold spaces and parentheses: fields start after the last ')'.
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/status") as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    utime, stime = int(fields[11]), int(fields[12])

    def kb(key: str) -> float:
        return int(status.get(key, "0 kB").split()[0]) / 1024

    return Usage(cpu_s=(utime + stime) / TICKS, rss_mb=kb("VmRSS"), peak_rss_mb=kb("VmHWM"))


def children(pid: int) -> list[int]:
    """Direct children (e.g. the python behind a wrapper script)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def jit_cpu_s(pid: int) -> float | None:
    """CPU seconds a JVM's JIT compiler threads ("C1/C2 CompilerThre...") have used; None once
    the process is gone."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read()
            if "CompilerThre" not in name:
                continue
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a thread that ended meanwhile
        total += int(fields[11]) + int(fields[12])
    return total / TICKS
