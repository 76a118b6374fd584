"""Shared fixtures: a real Kafka broker, a real PostgreSQL, and ../shared when present.

Kafka: KAFKA_BOOTSTRAP_SERVERS if set, else testcontainers' Kafka when a Docker engine
answers, else a local broker started from Maven Central jars. PostgreSQL:
NEWSDESK_TEST_DATABASE_URL (a role allowed to create databases). With CI=true a test that
needs either never skips: a missing service is a failure.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# The helpers shared by tests in several folders live in tests/servicekit.py.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from servicekit import free_port, unavailable  # noqa: E402


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        return
    if docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as kafka:
            yield kafka.get_bootstrap_server()
        return
    from newsdesk.broker.local import BrokerError, LocalBroker

    port = free_port()
    controller = free_port()
    broker = LocalBroker(home=tmp_path_factory.mktemp("kafka"), port=port, controller_port=controller)
    try:
        broker.start()
    except BrokerError as exc:
        unavailable(f"no Kafka broker: {exc}")
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


@pytest.fixture
def topic_prefix(monkeypatch: pytest.MonkeyPatch) -> str:
    """A namespace of its own for each test, so tests sharing a broker never see each other."""
    prefix = f"t{uuid.uuid4().hex[:10]}."
    monkeypatch.setenv("NEWSDESK_TOPIC_PREFIX", prefix)
    return prefix


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    url = os.environ.get("NEWSDESK_TEST_DATABASE_URL")
    if not url:
        unavailable("no PostgreSQL: set NEWSDESK_TEST_DATABASE_URL (see .ci/run)")
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        unavailable(f"PostgreSQL at NEWSDESK_TEST_DATABASE_URL does not answer: {exc}")
    return url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh database per test, dropped afterwards."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"newsdesk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(postgres_admin_url)._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database of each kind the sink can write to."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (it is only beside the project in CI and development)")
    return SHARED
