"""Finding the article in a page: the container whose blocks are most like prose.

Each block gets a value: long, sentence-like, link-poor text counts for its length; link lists
and stubs count against. A container's score is the sum over its subtree, and the best
container is the one with the highest score. Unlike "the element with the most <p>" this
takes in an article split over sibling sections (the ad slot between them costs a little)
while leaving out a sidebar whose teasers cost more than they bring. When the page states its
own articleBody in JSON-LD and the page's blocks match it, the blocks found in it count double,
which pins the container down on pages with little prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.cleaner.html_blocks import HEADINGS, Block, Walk
from newsdesk.records import RemovalReason

_NOT_ALNUM = re.compile(r"[\W_]+")
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "»", ":", ")")


@dataclass
class Content:
    paragraphs: list[str]
    hints: dict[int, RemovalReason]  # paragraph index -> reason, for blocks dropped on page evidence
    container: int
    outside: list[str]  # prose-like blocks left outside the container, for the audit


def is_link_list(block: Block) -> bool:
    """Mostly link text. A long sentence in a <p> may be heavily linked (some sites link every
    name) and still be prose, so it needs a higher share."""
    length = len(block.text)
    if not length:
        return True
    limit = 0.8 if block.in_p and length >= 150 and block.text.endswith(_SENTENCE_END) else 0.5
    return block.link_chars > limit * length


def block_value(block: Block) -> float:
    length = len(block.text)
    if is_link_list(block):
        return -float(length)
    if length < 25:
        return 0.0 if block.tag in HEADINGS else -3.0
    value = length * (1.0 - 0.5 * block.link_chars / length)
    if block.in_p:
        value *= 1.5
    if block.text.endswith(_SENTENCE_END):
        value *= 1.2
    return value


def choose(walk: Walk, article_body: str | None) -> Content:
    if not walk.parents:
        return Content([], {}, -1, [])
    values = [block_value(b) for b in walk.blocks]
    if article_body:
        _apply_body_hint(walk, values, _squash(article_body))
    prose = _subtree_prose(walk, values)
    teasers = _teaser_items(walk, prose)
    furniture = _furniture_marks(walk, prose, 1, teasers)
    best, scores = _best_container(walk, values, furniture)
    if prose[0] and _prose_in(walk, values, furniture, best) < MIN_PROSE_SHARE * prose[0]:
        # Class names lie: the article itself sits in a "widget" or a "sidebar". Honour only
        # the strong names and judge the page again.
        furniture = _furniture_marks(walk, prose, 2, teasers)
        best, scores = _best_container(walk, values, furniture)
    end = walk.ends[best]
    losing = _losing_subtrees(walk, scores, best, end)
    paragraphs: list[str] = []
    hints: dict[int, RemovalReason] = {}
    outside: list[str] = []
    for block in walk.blocks:
        if not best <= block.owner <= end:
            if len(block.text) >= 80 and block.link_chars < len(block.text) / 3:
                outside.append(block.text)
            continue
        if furniture[block.owner] or losing[block.owner - best]:
            hints[len(paragraphs)] = "boilerplate"
        elif block.tag not in HEADINGS and is_link_list(block):
            hints[len(paragraphs)] = "related" if len(block.text) > 25 else "navigation"
        paragraphs.append(block.text)
    return Content(paragraphs, hints, best, outside)


#: If the best container, with all furniture class names honoured, holds less than this share of
#: the page's prose, only the strong names are honoured and the page is judged again.
MIN_PROSE_SHARE = 0.2


def _best_container(walk: Walk, values: list[float], furniture: list[bool]) -> tuple[int, list[float]]:
    scores = [0.0] * len(walk.parents)
    for block, value in zip(walk.blocks, values, strict=True):
        scores[block.owner] += -abs(value) if furniture[block.owner] else value
    for index in range(len(scores) - 1, 0, -1):  # pre-order numbering: children after parents
        parent = walk.parents[index]
        if parent >= 0:
            scores[parent] += scores[index]
    return max(range(len(scores)), key=scores.__getitem__), scores


def _prose_in(walk: Walk, values: list[float], furniture: list[bool], best: int) -> float:
    end = walk.ends[best]
    return sum(v for b, v in zip(walk.blocks, values, strict=True)
               if v > 0 and best <= b.owner <= end and not furniture[b.owner])


#: A container named like furniture (other than comments) that holds at least this share of the
#: page's prose is a wrapper of the article ("paywall", "with-ad-rail"), and its name is ignored.
WRAPPER_SHARE = 0.7


#: Siblings alike in tag and class, each led by a headline link: a teaser list, however much
#: summary text its items carry. At least this many items, and this share of the siblings.
TEASER_ITEMS = 3
TEASER_SHARE = 0.6
TEASER_MAX_SHARE = 0.2
#: ...and a list holding most of the page's prose is the article (a digest of linked items).
TEASER_GROUP_SHARE = 0.5


def _teaser_items(walk: Walk, prose: list[float]) -> list[bool]:
    count = len(walk.parents)
    headed = [False] * count
    for block in walk.blocks:
        length = len(block.text)
        if length >= 15 and (block.link_chars > 0.5 * length or (block.lead_link and block.link_chars >= 15)):
            headed[block.owner] = True
    for index in range(count - 1, 0, -1):
        parent = walk.parents[index]
        if parent >= 0 and headed[index]:
            headed[parent] = True
    groups: dict[tuple[int, str], list[int]] = {}
    for index in range(1, count):
        groups.setdefault((walk.parents[index], walk.labels[index]), []).append(index)
    teasers = [False] * count
    for (_, label), members in groups.items():
        if label == "p" or len(members) < TEASER_ITEMS:
            continue
        # an item holding a good part of the page's prose is the article, not a teaser of one
        led = [m for m in members if headed[m] and prose[m] < TEASER_MAX_SHARE * prose[0]]
        group_prose = sum(prose[m] for m in led)
        if (len(led) >= TEASER_ITEMS and len(led) >= TEASER_SHARE * len(members)
                and group_prose < TEASER_GROUP_SHARE * prose[0]):
            for m in led:
                teasers[m] = True
    return teasers


def _subtree_prose(walk: Walk, values: list[float]) -> list[float]:
    prose = [0.0] * len(walk.parents)
    for block, value in zip(walk.blocks, values, strict=True):
        if value > 0:
            prose[block.owner] += value
    for index in range(len(prose) - 1, 0, -1):
        parent = walk.parents[index]
        if parent >= 0:
            prose[parent] += prose[index]
    return prose


def _furniture_marks(walk: Walk, prose: list[float], level: int, teasers: list[bool]) -> list[bool]:
    """Per container: is it, or an ancestor, named like furniture of at least this level?
    (pre-order numbering, so one linear pass)"""
    marks = [False] * len(walk.parents)
    wrapper = WRAPPER_SHARE * prose[0]
    for index, parent in enumerate(walk.parents):
        named = walk.furniture[index]
        own = teasers[index] or named >= 3 or (named >= level and prose[index] < wrapper)
        marks[index] = own or (parent >= 0 and marks[parent])
    return marks


#: A part of the article container scoring below this is a link list or a teaser rail inside it.
LOSING_SCORE = -20.0


def _losing_subtrees(walk: Walk, scores: list[float], best: int, end: int) -> list[bool]:
    """Per container in the chosen one's subtree (offset by best): does it sit in a part that costs
    more than it brings? Computed top-down in pre-order, so it is linear in the subtree size."""
    losing = [False] * (end - best + 1)
    for index in range(best + 1, end + 1):
        parent = walk.parents[index]
        losing[index - best] = scores[index] < LOSING_SCORE or (parent > best and losing[parent - best])
    return losing


def _apply_body_hint(walk: Walk, values: list[float], body_key: str) -> None:
    """Blocks found in the page's stated articleBody count double.

    Only when the statement is consistent with the page: pages sometimes state a teaser, an
    HTML fragment or another article's body, and then the hint would pick the wrong container.
    """
    verdicts: list[tuple[int, bool]] = []
    matched = 0
    for i, block in enumerate(walk.blocks):
        if len(block.text) >= 40:
            key = _squash(block.text)
            inside = key in body_key
            matched += len(key) if inside else 0
            verdicts.append((i, inside))
    if matched < 0.6 * len(body_key):
        return
    for i, inside in verdicts:
        if inside:  # only for: a stated body may be a teaser of the real one
            values[i] = abs(values[i]) + len(walk.blocks[i].text)


def _squash(text: str) -> str:
    """Letters and digits only, so markup spacing and quote styles do not break the match."""
    return _NOT_ALNUM.sub("", text.casefold())
