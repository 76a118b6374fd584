from __future__ import annotations

from collections.abc import Callable

import pytest

from newsdesk.records import RawArticle


@pytest.fixture
def raw() -> Callable[..., RawArticle]:
    def make(body: str, content_type: str = "text/plain", **fields: object) -> RawArticle:
        return RawArticle(id=str(fields.pop("id", "a1")), body=body, content_type=content_type,  # type: ignore[arg-type]
                          **fields)

    return make
