"""Runtime settings, read from the environment once, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def data_dir() -> Path:
    """Where the embedded defaults keep their files (broker data, SQLite, worker state)."""
    return Path(os.environ.get("NEWSDESK_HOME", Path.cwd() / ".newsdesk")).resolve()


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str | None
    database_url: str
    home: Path

    @property
    def uses_local_broker(self) -> bool:
        return self.bootstrap_servers is None


def load() -> Settings:
    home = data_dir()
    return Settings(
        bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or None,
        database_url=os.environ.get("NEWSDESK_DATABASE_URL") or f"sqlite:///{home / 'newsdesk.db'}",
        home=home,
    )
