"""Subscriber filters, the per-type router and the CLI hooks, without a broker."""

from __future__ import annotations

import argparse
from pathlib import Path

import faust

from newsdesk import topics
from newsdesk.api.cli import add_commands, summary_line
from newsdesk.api.matching import Interest
from newsdesk.stream.router import register_router, route


def test_interest_matches_names_aliases_type_and_time(make_event) -> None:
    event = make_event("e1")
    event.where[0].aliases.append("Danzig")
    assert Interest().matches(event)
    assert Interest(entity="JOLA  wrona").matches(event)
    assert Interest(entity="danzig").matches(event)
    assert Interest(place="Gdansk", type="protest").matches(event)
    assert not Interest(place="Jola Wrona").matches(event)  # a person is not a place
    assert not Interest(type="meeting").matches(event)
    assert Interest(since="2024-06-03").matches(event)
    assert not Interest(since="2024-06-04").matches(event)
    assert not Interest(since="2024-06-03T08:00").matches(event)


def test_route_uses_the_type_and_the_prefix(make_event, monkeypatch) -> None:
    assert route(make_event("e1", type="meeting")) == "news.events.meeting"
    monkeypatch.setattr(topics, "PREFIX", "staging.")
    assert route(make_event("e1", type="court_ruling")) == "staging.news.events.court_ruling"


def test_register_router_defines_an_agent_reading_news_events(tmp_path: Path) -> None:
    app = faust.App("router-test", broker="kafka://127.0.0.1:1", datadir=str(tmp_path), web_enabled=False)
    made: list[str] = []

    def topic(t: topics.Topic) -> faust.TopicT:
        made.append(t.name)
        return app.topic(t.name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")

    register_router(app, topic)
    assert "router" in {agent.name.rsplit(".", 1)[-1] for agent in app.agents.values()}
    assert topics.EVENTS.name in made and "news.events.meeting" in made and "news.events.other" in made


def test_cli_parses_tail_and_api() -> None:
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["tail", "--entity", "Jola Wrona", "--type", "protest", "--since", "2024-06-01",
                              "--json"])
    assert (args.entity, args.type, args.since, args.json) == ("Jola Wrona", "protest", "2024-06-01", True)
    assert parser.parse_args(["api"]).host == "127.0.0.1"


def test_summary_line_is_readable(make_event) -> None:
    line = summary_line(make_event("e1"))
    assert "Port workers strike in Gdansk" in line and "@ Gdansk" in line and "Jola Wrona" in line
    assert "[v1, 1 articles]" in line
