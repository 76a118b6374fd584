"""An HTML page as a flat list of text blocks, each tied to the container element it sits in.

One iterative walk over the DOM (no recursion, so deeply nested markup cannot overflow the
stack) cuts the page into blocks at block-level tags, counts how much of each block is link
text, and numbers the container elements in document order. Numbering in pre-order makes a
subtree a contiguous range [index, end], so scoring containers bottom-up is one linear pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Never article text: code, forms, media players, and the page's own chrome.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed",
    "video", "audio", "button", "select", "textarea", "input", "nav", "aside", "footer",
    "head", "title", "dialog", "menu", "-comment", "link", "meta", "picture", "source",
})
#: Tags that end a block of text.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tbody", "thead", "tr", "td", "th", "br", "hr",
    "figure", "figcaption", "address", "center", "details", "summary", "body", "html", "caption",
})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: class/id words of page furniture. Matched against the class and id of containers; a container
#: that also carries an article word (see _CONTENT) is kept, since both occur on wrappers.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|newsletter|advert\w*|ads?|adslot"
    r"|ad-\w+|breadcrumbs?|subscribe|subscription|recommend\w*|cookie\w*|popup|modal|footer|masthead"
    r"|nav|navbar|navigation|menu|outbrain|taboola|most-?(?:read|popular)|trending|signup|sign-up"
    r"|toolbar|skip|sr-only|visually-hidden|print-only|read-?more|more-stories|pagination|video-player"
    r"|playlist|gallery-thumbs?)(?:$|[\s_-])", re.I)
#: Reader comments: never the wrapper of the article, however much text they hold.
_COMMENTS = re.compile(r"(?:^|[\s_-])(?:comments?|commentlist|comment-list|disqus|replies|discussion)(?:$|[\s_-])",
                       re.I)
#: Words that mark furniture on most sites but also appear on the wrapper of the article itself
#: (blog engines call every box a "widget"); honoured only while the page still has its prose.
_WEAK_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:sidebar|widget|teaser|promo|banner|tags|tag-list|topics|byline|author-bio|disclaimer"
    r"|caption|credit|partner|sponsor\w*)(?:$|[\s_-])", re.I)
_INVISIBLE = re.compile(r"display:\s*none|visibility:\s*hidden", re.I)
_CONTENT = re.compile(r"article|story|content|entry|post-body|main|body|text|prose", re.I)


@dataclass
class Block:
    text: str
    link_chars: int
    owner: int  # index of the enclosing container element
    tag: str  # tag of that container
    in_p: bool  # whether the text sits in a <p> (or other prose block)
    lead_link: bool = False  # whether the block opens with a link (a teaser's headline does)


@dataclass
class Figure:
    owner: int
    src: str | None
    caption: str | None
    credit: str | None


@dataclass
class Walk:
    blocks: list[Block] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)  # container index -> parent container index
    furniture: list[int] = field(default_factory=list)  # container index -> FurnitureLevel
    labels: list[str] = field(default_factory=list)  # container index -> "tag.class#id": siblings alike
    ends: list[int] = field(default_factory=list)  # container index -> last index in its subtree
    figures: list[Figure] = field(default_factory=list)
    nodes: int = 0
    truncated: bool = False


#: Bounds the walk on pathological pages; real articles have a few thousand nodes.
MAX_NODES = 400_000
_PROSE = frozenset({"p", "blockquote", "pre", "dd", "li"})
#: Inline tags whose attributes never matter here: no need to read them.
_PLAIN_INLINE = frozenset({"a", "b", "i", "em", "strong", "u", "small", "sup", "sub", "abbr", "q", "code", "font",
                           "mark", "s", "time", "bdi", "wbr", "kbd", "var", "ins", "del", "dfn", "tt", "big"})


def walk(tree: LexborHTMLParser) -> Walk:
    out = Walk()
    root = tree.body or tree.root
    if root is None:
        return out
    parts: list[str] = []
    link_chars = 0
    lead_link: bool | None = None
    link_depth = 0
    containers: list[int] = []  # stack of open container indexes
    container_tags: list[str] = []
    # Entering pushes the node; leaving is a pushed tag name (a str), so no tuple per node.
    stack: list[LexborNode | str] = [root]

    def flush() -> None:
        nonlocal link_chars, lead_link
        if parts:
            text = " ".join("".join(parts).split())
            if text:
                owner = containers[-1] if containers else 0
                tag = container_tags[-1] if container_tags else "body"
                out.blocks.append(Block(text, min(link_chars, len(text)), owner, tag, tag in _PROSE,
                                        bool(lead_link)))
            parts.clear()
        link_chars = 0
        lead_link = None

    nodes = 0
    while stack:
        node = stack.pop()
        if isinstance(node, str):  # leaving an element
            if node == "a":
                link_depth -= 1
            else:
                flush()
                index = containers.pop()
                container_tags.pop()
                out.ends[index] = len(out.parents) - 1
            continue
        nodes += 1
        if nodes > MAX_NODES:
            out.truncated = True
            break
        tag = node.tag or ""
        if tag == "-text":
            content = node.text_content or ""
            parts.append(content)
            if lead_link is None and not content.isspace():
                lead_link = link_depth > 0
            if link_depth:
                link_chars += len(content.strip())
            continue
        if not tag or tag in SKIP_TAGS or tag[0] == "-":
            continue
        furniture = 0
        if tag not in _PLAIN_INLINE:
            attrs = node.attributes
            if attrs:
                if _is_chrome(attrs):
                    continue
                furniture = _furniture_level(tag, attrs)
            if tag == "figure":  # images are metadata, never body
                _figure(out, node, containers[-1] if containers else 0)
                continue
            if furniture and tag not in BLOCK_TAGS:
                continue  # an inline share button or ad label: never prose
            if tag == "br":
                flush()
                continue
            if tag in BLOCK_TAGS:
                flush()
                containers.append(len(out.parents))
                container_tags.append(tag)
                out.parents.append(containers[-2] if len(containers) > 1 else -1)
                out.ends.append(len(out.parents) - 1)
                out.furniture.append(furniture)
                out.labels.append(f"{tag}.{attrs.get('class') or ''}#{attrs.get('id') or ''}" if attrs else tag)
                stack.append(tag)
        elif tag == "a":
            link_depth += 1
            stack.append("a")
        child = node.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
    out.nodes = nodes
    flush()
    while containers:  # the walk was cut short: close what is open
        index = containers.pop()
        out.ends[index] = len(out.parents) - 1
    return out


def _is_chrome(attrs: dict[str, str | None]) -> bool:
    """Hidden, or declared by ARIA to be navigation, a sidebar, a banner or the footer."""
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style and _INVISIBLE.search(style):
        return True
    return (attrs.get("role") or "") in ("navigation", "complementary", "banner", "contentinfo", "dialog",
                                         "menu", "search", "menubar", "toolbar")


def _furniture_level(tag: str, attrs: dict[str, str | None]) -> int:
    """0: not furniture by its class/id; 1: weak furniture name; 2: strong; 3: reader comments."""
    if tag in ("body", "html", "article", "main", "p", "a", "span", "b", "i", "em", "strong"):
        return 0
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return 0 if len(names) < 3 else _names_level(names[:300])


@lru_cache(maxsize=4096)
def _names_level(names: str) -> int:
    # cached: a page repeats the same few class strings hundreds of times
    if _CONTENT.search(names):
        return 0
    if _COMMENTS.search(names):
        return 3
    if _FURNITURE.search(names):
        return 2
    return 1 if _WEAK_FURNITURE.search(names) else 0


def _figure(out: Walk, node: LexborNode, owner: int) -> None:
    img = node.css_first("img")
    src = None
    if img is not None:
        attrs = img.attributes
        src = attrs.get("src") or attrs.get("data-src") or attrs.get("data-original")
        if src and src.startswith("data:"):
            src = None
    caption_node = node.css_first("figcaption")
    caption = credit = None
    if caption_node is not None:
        credit_node = caption_node.css_first("[class*=credit], [class*=copyright], [class*=source], small, cite")
        if credit_node is not None:
            credit = " ".join(credit_node.text(separator=" ").split()) or None
            credit_node.decompose()
        caption = " ".join(caption_node.text(separator=" ").split()) or None
    if src or caption:
        out.figures.append(Figure(owner, src, caption, credit))
