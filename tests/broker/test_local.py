"""The local broker's user-facing errors, without starting Java."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest

from newsdesk.broker import local
from newsdesk.broker.local import BrokerError, LocalBroker


def test_missing_java_is_named_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(BrokerError, match=r"`java` was not found.*Java 17"):
        LocalBroker(home=tmp_path / "kafka", port=1, controller_port=2).start()


def test_missing_maven_is_named_when_jars_are_not_cached(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(BrokerError, match=r"`mvn` was not found.*Maven"):
        local.ensure_jars()


def test_a_taken_port_is_reported_not_fought_over(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        broker = LocalBroker(home=tmp_path / "kafka", port=port, controller_port=port + 1)
        with pytest.raises(BrokerError, match="is taken by another program"):
            broker.start()


def test_status_and_stop_without_a_broker(tmp_path: Path) -> None:
    broker = LocalBroker(home=tmp_path / "kafka", port=1, controller_port=2)
    assert broker.status() == "stopped"
    assert broker.stop() is False


def test_config_is_rendered_for_loopback_with_the_chosen_ports(tmp_path: Path) -> None:
    broker = LocalBroker(home=tmp_path, port=39092, controller_port=39093)
    text = broker._render_config().read_text()
    assert "listeners=PLAINTEXT://127.0.0.1:39092,CONTROLLER://127.0.0.1:39093" in text
    assert f"log.dirs={tmp_path / 'data'}" in text
    assert "${" not in text


def test_a_cluster_id_never_starts_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0xF8 encodes to '-' first: the storage tool would read such an id as an option.
    draws = iter([uuid.UUID(bytes=b"\xf8" + bytes(15)), uuid.UUID(bytes=b"\x01" * 16)])
    monkeypatch.setattr(local.uuid, "uuid4", lambda: next(draws))
    cluster_id = local._kraft_cluster_id()
    assert not cluster_id.startswith("-") and len(cluster_id) == 22
