"""No Docker engine runs here, so the compose file is checked for structure instead."""

from __future__ import annotations

from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_service_is_there(compose: dict) -> None:
    assert {"kafka", "postgres", "fetcher", "worker", "sink", "api"} <= set(compose["services"])


def test_kafka_is_pinned_to_3_9_in_kraft_mode(compose: dict) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:3.9.")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    # --scale worker=3 needs at least 3 partitions per topic.
    assert int(kafka["environment"]["KAFKA_NUM_PARTITIONS"]) >= 3


@pytest.mark.parametrize("name", ["fetcher", "worker", "sink", "api"])
def test_services_share_one_image_and_wait_for_their_dependencies(compose: dict, name: str) -> None:
    service = compose["services"][name]
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (ROOT / service["build"]["dockerfile"]).exists()
    assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    env = service["environment"]
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert env["NEWSDESK_DATABASE_URL"].startswith("postgresql://")
    assert int(env["NEWSDESK_PARTITIONS"]) >= 3
    assert "healthcheck" in service


def test_commands_are_real_newsdesk_commands(compose: dict) -> None:
    from newsdesk.cli import build_parser

    parser = build_parser()
    for name in ("worker", "sink", "api"):
        parser.parse_args(compose["services"][name]["command"])  # exits on an unknown command


def test_infrastructure_has_healthchecks(compose: dict) -> None:
    for name in ("kafka", "postgres"):
        assert compose["services"][name]["healthcheck"]["test"]


def test_the_fetcher_config_compose_mounts_is_valid(compose: dict) -> None:
    from newsdesk.fetcher.config import load_config

    mount = next(v for v in compose["services"]["fetcher"]["volumes"] if v.endswith("/config/sources.toml:ro"))
    config = load_config(ROOT / mount.split(":")[0])
    assert {s.kind for s in config.sources} >= {"feed", "sitemap", "directory"}
