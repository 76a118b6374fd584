"""`newsdesk clean` without the rest of the package: JSON Lines of raw articles in, clean out.

The bench runs the cleaner through this as well as through the real CLI, so a broken import
elsewhere in the package does not hide the cleaner's own figures. Same code path as the CLI:
validate as RawArticle, call newsdesk.cleaner.clean, write the record as JSON.
"""

from __future__ import annotations

import sys

import orjson

from newsdesk.cleaner import clean
from newsdesk.records import RawArticle


def main() -> int:
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        if line.strip():
            article = clean(RawArticle.model_validate(orjson.loads(line)))
            out.write(orjson.dumps(article.model_dump(mode="json")) + b"\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
