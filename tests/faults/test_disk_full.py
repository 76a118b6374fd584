"""The sink's disk fills up while articles flow: the sink says so in its log and keeps its batch
(no crash, nothing skipped), the database stays intact, and storing resumes by itself once
space comes back. SQLite sits on a small tmpfs of its own, filled up by the test."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultkit import ServiceSet, SteadyProducer, articles, assert_exactly_once, encoded, stored_article_ids, unavailable

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.fault]

DISK_MB = 32


def privileged(*command: str) -> subprocess.CompletedProcess:
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=30)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        done = privileged("mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m,mode=0777", "tmpfs", str(mount_point))
    except (OSError, subprocess.TimeoutExpired) as exc:
        done = subprocess.CompletedProcess([], 1, "", str(exc))
    if done.returncode:
        unavailable(f"cannot mount a {DISK_MB} MB tmpfs for the disk-full test (needs root or sudo -n): "
                    f"{done.stderr.strip()[:200]}")
    try:
        yield mount_point
    finally:
        privileged("umount", "-l", str(mount_point))


def fill(disk: Path) -> Path:
    """Writes a file until the disk refuses another byte (unbuffered: nothing left to flush)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for chunk in (1 << 20, 65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)
    return filler


def integrity(db_file: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=30)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def test_disk_full_then_space_again(stack: ServiceSet, small_disk: Path) -> None:
    began = time.monotonic()
    db_file = small_disk / "events.db"
    db = f"sqlite:///{db_file}"
    stack.create_topics()
    stack.start("worker", "worker")
    stack.start("sink", "sink", NEWSDESK_DATABASE_URL=db)
    batch = articles(300, tag="disk-full")
    expected = {a.id for a in batch}
    producer = SteadyProducer(stack.bootstrap, stack.topic("news.articles.raw"), encoded(batch), 5.0).start()
    try:
        stack.wait_for(lambda: len(stored_article_ids(db)) >= 20, 120, "the first stored events")
        filler = fill(small_disk)
        full_at = time.monotonic()
        stack.wait_for(lambda: "database or disk is full" in stack.log("sink"), 90,
                       "the sink to report the full disk")
        stored_while_full = len(stored_article_ids(db))
        time.sleep(5)  # it keeps retrying, and keeps the batch
        stack.assert_running()
        assert integrity(db_file) == "ok"
        filler.unlink()
        freed_at = time.monotonic()
        stack.wait_for(lambda: len(stored_article_ids(db)) > stored_while_full, 60, "storing after space returned")
        producer.join(timeout=150)
        stack.wait_for(lambda: stored_article_ids(db) >= expected, 150, "every article stored")
    finally:
        producer.close()
    stack.assert_running()
    assert_exactly_once(db, expected)
    stack.stop_all()  # before the disk goes away
    assert integrity(db_file) == "ok"
    error_lines = [line for line in stack.log("sink").splitlines() if "database or disk is full" in line]
    assert all("storage write failed; retrying" in line for line in error_lines), error_lines[:2]
    print(f"disk full for {freed_at - full_at:.0f}s ({len(error_lines)} retries logged); "
          f"{len(expected)} articles stored once; integrity ok; {time.monotonic() - began:.0f}s in all")
