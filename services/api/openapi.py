"""OpenAPI 3.1 description of the read API; the Event schema comes from the record model."""

from __future__ import annotations

from functools import cache
from typing import Any

from newsdesk.api.filters import EVENT_TYPES, MAX_NAME_CHARS, MAX_OFFSET, MAX_QUERY_CHARS
from newsdesk.schemas import schema_for
from newsdesk.sink.stores.reading import MAX_PAGE


def _param(name: str, description: str, schema: dict[str, Any], where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "description": description, "schema": schema}


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@cache
def openapi_document() -> dict[str, Any]:
    event = schema_for("event")
    defs = event.pop("$defs", {})
    event.pop("$schema", None)
    event.pop("$id", None)
    # The model's $refs point at #/$defs/...; in OpenAPI they live under components/schemas.
    components = {name: body for name, body in defs.items()}
    components["Event"] = event
    text = {"type": "string", "maxLength": MAX_NAME_CHARS}
    day = {"type": "string", "format": "date"}
    event_id = _param("event_id", "Event id", {"type": "string", "maxLength": 512}, "path")
    components["Error"] = {"type": "object", "required": ["error", "status"],
                           "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}}
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "newsdesk read API", "version": "1",
                 "description": "Merged news events: list, search, details with history, live updates."},
        "paths": {
            "/events": {"get": {
                "summary": "List and search events, most recently updated first",
                "parameters": [
                    _param("entity", "Person, organisation or place named in the event", text),
                    _param("type", "Event type", {"type": "string", "enum": sorted(EVENT_TYPES)}),
                    _param("place", "Place of the event", text),
                    _param("from", "Event date on or after", day),
                    _param("to", "Event date on or before", day),
                    _param("q", "Words to find in titles and article text (all must match)",
                           {"type": "string", "maxLength": MAX_QUERY_CHARS}),
                    _param("limit", "Page size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 20}),
                    _param("offset", "Events to skip", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}),
                ],
                "responses": {
                    "200": {"description": "A page of events", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["events", "limit", "offset"],
                        "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                                       "limit": {"type": "integer"}, "offset": {"type": "integer"},
                                       "next_offset": {"type": "integer"}}}}}},
                    "400": _error("A parameter is invalid"),
                },
            }},
            "/events/{event_id}": {"get": {
                "summary": "One event with its articles, quotes and version list",
                "parameters": [event_id],
                "responses": {"200": {"description": "The event", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {
                        "event": {"$ref": "#/components/schemas/Event"},
                        "articles": {"type": "array", "items": {"type": "object"}},
                        "quotes": {"type": "array", "items": {"type": "object"}},
                        "versions": {"type": "array", "items": {"type": "object"}}}}}}},
                    "404": _error("No such event")},
            }},
            "/events/{event_id}/versions": {"get": {
                "summary": "Every stored version of an event, oldest first",
                "parameters": [event_id],
                "responses": {"200": {"description": "Versions", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {
                        "versions": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}}}},
                    "404": _error("No such event")},
            }},
            "/events/stream": {"get": {
                "summary": "Server-sent events: each created or updated event as `event: event` with JSON data",
                "description": "Send Last-Event-ID (the id of the last message received) to resume after it.",
                "parameters": [_param("entity", "Only events naming this entity", text),
                               _param("type", "Only this type", {"type": "string", "enum": sorted(EVENT_TYPES)}),
                               _param("place", "Only events at this place", text)],
                "responses": {"200": {"description": "An endless text/event-stream",
                                      "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                              "503": _error("Too many stream clients")},
            }},
            "/asyncapi.json": {"get": {"summary": "AsyncAPI document of the Kafka topics",
                                       "responses": {"200": {"description": "AsyncAPI 3.0"}}}},
        },
        "components": {"schemas": components},
    }
    return _rewrite_refs(doc)


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" and isinstance(v, str)
                    else _rewrite_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node
