"""Judging the input before cleaning it: size, binary junk, mis-decoded text, HTML or not.

Each check returns the (possibly repaired) text with a warning that says in words what was
wrong, so an operator reading CleanArticle.warnings knows why an article came out poor.
"""

from __future__ import annotations

import codecs
import re
from itertools import accumulate

#: Pages beyond this are cut: real articles are far smaller, and every later step stays linear
#: on what is left.
MAX_HTML_CHARS = 4_000_000
MAX_TEXT_CHARS = 1_000_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_MOJIBAKE = re.compile(r"(?:Ã[\x80-\xbf¡-ÿ]|â€[\x80-\xbf™œ\x9džŸ¦¢£¤¥§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿\"'“”‘’]|Â[\xa0-\xbf])")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LETTER = re.compile(r"[^\W\d_]")
_HTML_HINT = re.compile(r"<(?:!doctype|html|head|body|div|p|article|meta|title|span|br|section)\b", re.I)


def looks_like_html(text: str, content_type: str) -> bool:
    """Trust the content type, but catch HTML labelled as text (and the reverse) by sniffing."""
    head = text[:5000]
    hits = len(_HTML_HINT.findall(head))
    if content_type == "text/html":
        return hits > 0 or "<" in head
    return hits >= 3


def scrub(text: str, limit: int) -> tuple[str, list[str]]:
    """Cut oversized input, drop control characters, undo UTF-8-read-as-Latin-1 damage."""
    warnings: list[str] = []
    if len(text) > limit:
        warnings.append(f"input is {len(text):,} characters; only the first {limit:,} were cleaned")
        text = text[:limit]
    sample = text[:20000]
    # Judged on the sample: scanning megabytes for a rare character costs more than it saves.
    controls = len(_CONTROL.findall(sample))
    has_controls = controls > 0
    replacements = sample.count("\ufffd")
    if sample and (controls + replacements) / len(sample) > 0.05:
        warnings.append("input looks like binary data, not text (many control or replacement characters)")
    fixed = _repair_mojibake(text)
    if fixed is not text:
        warnings.append("input was UTF-8 decoded as Latin-1/cp1252; re-decoded")
        text = fixed
    if has_controls:
        text = _CONTROL.sub(" ", text)
    if "\ufffd" in text:
        text = text.replace("\ufffd", "")
    return text, warnings


def clean_field(value: str | None) -> str | None:
    """A metadata string (title, author, source...) as one line without control characters;
    None when nothing is left. Feeds and producers send NUL and friends too, and PostgreSQL
    refuses NUL in any text or JSON column, so one such title would stop a sink."""
    if value is None:
        return None
    text = " ".join(_CONTROL.sub(" ", value).replace("\ufffd", "").split())
    return text or None


def _keep_as_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """Characters cp1252 lacks go back to the byte they came from (Latin-1), or as UTF-8."""
    assert isinstance(error, UnicodeEncodeError)
    chunk = error.object[error.start:error.end]
    data = b"".join(ch.encode("latin-1") if ord(ch) < 256 else ch.encode("utf-8") for ch in chunk)
    return data, error.end


codecs.register_error("newsdesk-mojibake", _keep_as_bytes)


def _repair_mojibake(text: str) -> str:
    sample = text[:50000]
    if "Ã" not in sample and "â€" not in sample and "Â" not in sample:
        return text
    hits = len(_MOJIBAKE.findall(sample))
    # Only when mis-decoded sequences make up most of the non-ASCII text: a page with real accents
    # and one broken comment in a script must not be "repaired" into garbage.
    non_ascii = len(_NON_ASCII.findall(sample))
    if hits < 3 or 2 * hits < 0.5 * non_ascii:
        return text
    repaired = text.encode("cp1252", errors="newsdesk-mojibake").decode("utf-8", errors="replace")
    if len(_MOJIBAKE.findall(repaired[:50000])) < hits / 2:
        return repaired
    return text


def is_mostly_text(text: str) -> bool:
    """False for input where letters are a small minority (binary dumps, base64 blobs, symbols)."""
    sample = text[:20000]
    if not sample.strip():
        return False
    letters = len(_LETTER.findall(sample))
    return letters / len(sample) > 0.3


#: Deeper than this, markup is machine-made junk; the HTML parser's tree building slows down
#: with the square of the depth, so such pages are flattened before parsing.
MAX_DEPTH = 2000
#: An opening or closing tag, except the void ones and those the parser closes by itself.
_OPEN_OR_CLOSE = re.compile(r"<(/?)(?!(?:br|img|hr|meta|link|input|source|wbr|area|col|embed|param|track|base|p|li"
                            r"|dt|dd|option|tr|td|th)\b)[a-zA-Z]", re.I)
_STEP = {"": 1, "/": -1}
#: What survives flattening: the tags that make paragraphs and the ones holding non-text.
_KEEP = re.compile(r"</?(?:p|h[1-6]|br|li|blockquote|title|head|body|html|meta|link|script|style|noscript"
                   r"|template|svg|figure|figcaption|img|time|a)\b[^<>]{0,3000}?>", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,20}\b[^<>]{0,3000}?/?>")


def nesting_depth(html: str) -> int:
    """Largest number of open elements at once, by counting tags (void ones aside); approximate,
    never below the true depth by more than the count of stray closing tags."""
    signs = _OPEN_OR_CLOSE.findall(html)
    if not signs:
        return 0
    running = list(accumulate(map(_STEP.__getitem__, signs)))
    if max(running) - min(0, min(running)) <= MAX_DEPTH:
        return max(0, max(running))  # C-speed answer, exact enough below the limit
    depth = deepest = 0
    for sign in signs:  # exact, with stray closing tags ignored
        if sign:
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
    return deepest


def flatten_deep_markup(html: str) -> tuple[str, str | None]:
    # No deeper than it has tags: most pages are settled by one count instead of a regex pass
    # over every tag (95 us an 18 KB page).
    if html.count("<") <= MAX_DEPTH:
        return html, None
    depth = nesting_depth(html)
    if depth <= MAX_DEPTH:
        return html, None
    flat = _ANY_TAG.sub(lambda m: m[0] if _KEEP.match(m[0]) else " ", html)
    return flat, f"markup is nested {depth:,} elements deep; layout tags were dropped before parsing"
