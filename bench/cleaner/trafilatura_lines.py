"""The comparison peer for the bench: trafilatura's default `extract` behind the same JSON Lines
interface as `newsdesk clean`. Bench only; trafilatura is not a dependency of newsdesk."""

from __future__ import annotations

import json
import sys

from trafilatura import extract


def main() -> int:
    for line in sys.stdin:
        if line.strip():
            record = json.loads(line)
            text = extract(record["body"], url=record.get("url")) or ""
            print(json.dumps({"id": record["id"], "text": text}), flush=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
