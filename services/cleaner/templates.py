"""Per-outlet boilerplate learnt from the stream: a line one outlet repeats on many of its
articles is template, not news.

The state is explicit and updated by a pure function: `learn(templates, article)` returns a
new OutletTemplates and leaves the old one untouched, so the stream agent can keep it in a
table and replay it. Counts are per document (a line repeated inside one article counts
once), bounded per outlet, and only lines short enough to be furniture are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from newsdesk.records import CleanArticle

#: A line is boilerplate for an outlet once seen in at least this share of its last articles...
MIN_SHARE = 0.3
#: ...and in at least this many of them, and only after this many articles of the outlet.
MIN_COUNT = 4
MIN_DOCS = 8
#: Longer lines are left to the rules: repeated long paragraphs are usually syndicated copy.
MAX_LINE_CHARS = 300
#: Per outlet, how many distinct lines are tracked; the rarest are dropped beyond it.
MAX_LINES = 5000


def line_key(line: str) -> str:
    """Digits folded, whitespace collapsed, case folded: '© 2021 X' and '© 2024 X' are one line."""
    folded = "".join("0" if ch.isdigit() else ch for ch in " ".join(line.split()).casefold())
    return folded


@dataclass(frozen=True)
class OutletCounts:
    documents: int = 0
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OutletTemplates:
    """Per outlet: how many articles were seen, and in how many of them each short line appeared."""

    outlets: dict[str, OutletCounts] = field(default_factory=dict)


def learn(templates: OutletTemplates, article: CleanArticle) -> OutletTemplates:
    """The state after seeing one more cleaned article (its kept and removed lines both count)."""
    if not article.outlet:
        return templates
    current = templates.outlets.get(article.outlet, OutletCounts())
    seen = {line_key(line) for line in article.text.splitlines() if 0 < len(line) <= MAX_LINE_CHARS}
    seen.update(line_key(r.text) for r in article.removed if 0 < len(r.text) <= MAX_LINE_CHARS)
    counts = dict(current.lines)
    for key in seen:
        counts[key] = counts.get(key, 0) + 1
    if len(counts) > MAX_LINES:
        keep = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[: MAX_LINES // 2]
        counts = dict(keep)
    outlets = dict(templates.outlets)
    outlets[article.outlet] = OutletCounts(documents=current.documents + 1, lines=counts)
    return replace(templates, outlets=outlets)


def boilerplate_lines(templates: OutletTemplates | None, outlet: str | None) -> frozenset[str]:
    """The line keys to drop for this outlet (empty until enough of its articles were seen)."""
    if templates is None or not outlet:
        return frozenset()
    counts = templates.outlets.get(outlet)
    if counts is None or counts.documents < MIN_DOCS:
        return frozenset()
    floor = max(MIN_COUNT, MIN_SHARE * counts.documents)
    return frozenset(key for key, n in counts.lines.items() if n >= floor)


def dump_templates(templates: OutletTemplates) -> dict[str, Any]:
    """Plain JSON-ready form, for keeping the state in a table or a file."""
    return {"version": 1, "outlets": {name: {"documents": c.documents, "lines": dict(c.lines)}
                                      for name, c in templates.outlets.items()}}


def load_templates(data: dict[str, Any]) -> OutletTemplates:
    """Inverse of dump_templates; malformed entries are skipped rather than trusted."""
    outlets: dict[str, OutletCounts] = {}
    for name, entry in (data.get("outlets") or {}).items():
        if not isinstance(entry, dict):
            continue
        lines = {str(k): int(v) for k, v in (entry.get("lines") or {}).items() if isinstance(v, int)}
        outlets[str(name)] = OutletCounts(documents=int(entry.get("documents") or 0), lines=lines)
    return OutletTemplates(outlets=outlets)
