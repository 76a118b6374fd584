"""AsyncAPI 3.0 document of newsdesk's topics, built from the record JSON Schemas in schemas/."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

from newsdesk import topics
from newsdesk.records import SCHEMA_VERSION, EventType
from newsdesk.schemas import file_name, schema_for

#: The repository's schemas/ folder; outside a checkout the same schemas come from the models
#: (a test keeps the two identical).
SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"

_DESCRIPTIONS = {
    "raw-article": "Articles as fetched, key = article id.",
    "clean-article": "Article text without the page's junk, key = article id.",
    "extracted-article": "Articles with entities, quotes and events, key = article id.",
    "event": "Merged events, compacted, key = event id; a null value (tombstone) means merged away.",
    "dead-letter": "Records a stage could not handle, with the reason.",
}


def _schema(record: str) -> dict[str, Any]:
    path = SCHEMAS_DIR / file_name(record)
    return orjson.loads(path.read_bytes()) if path.is_file() else schema_for(record)


@cache
def asyncapi_document() -> dict[str, Any]:
    from typing import get_args

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    public = [(t.name, t.record) for t in topics.PUBLIC]
    public += [(topics.events_of_type(kind).name, "event") for kind in get_args(EventType)]
    for name, record in public:
        message_id = record.replace("-", "_")
        messages.setdefault(message_id, {"name": record, "contentType": "application/json",
                                          "payload": _schema(record)})
        key = name.replace(".", "_")
        description = _DESCRIPTIONS.get(record, "")
        if name.startswith(topics.EVENTS.name + "."):
            description = "Events of one type only, published by the router; same records as news.events."
        channels[key] = {"address": name, "description": description,
                         "messages": {message_id: {"$ref": f"#/components/messages/{message_id}"}}}
        operations[f"receive_{key}"] = {"action": "receive", "channel": {"$ref": f"#/channels/{key}"}}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "newsdesk topics", "version": str(SCHEMA_VERSION),
                 "description": "Kafka topics between newsdesk's services. Consumers in one group share a "
                                "topic's partitions; every group gets every record."},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
