"""The extractor's pure core: extract(clean) -> ExtractedArticle.

Pipeline over one article, all rule-based and linear in the text size:
paragraphs and sentences -> quotation spans -> name mentions outside quotes -> entities
(in-article coreference) -> quote speakers -> events (type, what, who, where, when).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import islice

from newsdesk.extractor.dates import anchor_from_text, parse_anchor
from newsdesk.extractor.events import find_events
from newsdesk.extractor.gazetteer import FEMALE_NAMES, MALE_NAMES
from newsdesk.extractor.language import looks_english
from newsdesk.extractor.linking import add_affiliations, link
from newsdesk.extractor.mentions import Entity, Mention, find_mentions
from newsdesk.extractor.quotes import QuoteSpan, find_quote_spans
from newsdesk.extractor.sentences import all_sentence_spans, paragraph_spans
from newsdesk.extractor.speakers import (
    Referents,
    sentence_subject,
    speaker_after,
    speaker_after_opening,
    speaker_before,
    speaker_before_colon,
    speaker_in_sentence,
)
from newsdesk.records import CleanArticle, ExtractedArticle, Quote
from newsdesk.records import Entity as EntityRecord

LOOK_BACK = 600  # characters before a quote where its sentence's cue can be (~100 words)
MAX_CHARS = 200_000  # longer bodies are cut: no news article is longer, and time stays bounded
GIVEN_NAMES = FEMALE_NAMES | MALE_NAMES
_WORDS = re.compile(r"[\w’']+")
_UPPER_LINE = re.compile(r"[^a-zß-ÿ]*")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ]")
_LOWER = re.compile(r"[a-zß-öø-ÿа-яё]+")


@dataclass
class Doc:
    """One article's text with everything the rules found in it."""

    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    sentence_para: list[int]
    quotes: list[QuoteSpan]
    mentions: list[Mention]
    entities: list[Entity]
    speakers: list[int]  # entity index per quote, -1 when unknown
    speaker_rules: list[str] = field(default_factory=list)  # which rule found each speaker


def _mostly_upper(text: str) -> bool:
    sample = text[:1200]
    upper = len(_UPPER.findall(sample))
    if upper <= 16:  # upper > 4 * lower and upper + lower > 20 cannot both hold
        return False
    lower = len(sample) - len(_LOWER.sub("", sample))  # runs: far fewer matches than letters
    return upper + lower > 20 and upper > 4 * lower


def analyse(text: str) -> Doc:
    paragraphs = paragraph_spans(text)
    sentences, sentence_para = all_sentence_spans(text, paragraphs)
    quotes = find_quote_spans(text, paragraphs)
    mentions = find_mentions(text, [(q.start, q.end) for q in quotes])
    entities = link(mentions)
    add_affiliations(text, mentions, entities)
    for e in entities:
        if e.kind != "unknown" or not 2 <= len(e.name.split()) <= 4:
            continue
        # 'Desmond Tutu', 'Yunus Sezer': an unknown name starting with a known given name is a person.
        # 'Liisa Harjula ... beside Harjula': news introduces people in full and then by surname
        # alone, which organisations and places are not; so that is a person too.
        if e.name.split()[0].lower() in GIVEN_NAMES or e.name.split()[-1] in e.aliases:
            e.kind = "person"
    doc = Doc(text, paragraphs, sentences, sentence_para, quotes, mentions, entities, [])
    doc.speakers = attribute(doc)
    return doc


def attribute(doc: Doc) -> list[int]:
    """Speaker entity per quote (-1 when unknown); doc.speaker_rules says which rule found it."""
    text, refs = doc.text, Referents(doc.text, doc.mentions, doc.entities, doc.quotes,
                                     [s for s, _ in doc.sentences])
    sent_starts = [s for s, _ in doc.sentences]
    speakers: list[int] = []
    last_by_para: dict[int, int] = {}
    for q in doc.quotes:
        ps, pe = doc.paragraphs[q.para]
        si = max(0, bisect_right(sent_starts, q.start) - 1)
        # The cue of a quote is near it: looking back at most LOOK_BACK characters keeps a text
        # that is one endless sentence full of quotes linear, not quadratic.
        sent_start = max(ps, doc.sentences[si][0], q.start - LOOK_BACK)
        whole = not text[ps:q.start].strip()

        def prev_sentence(si: int = si, q: QuoteSpan = q) -> int:
            if si > 0 and doc.sentence_para[si - 1] == q.para:
                return speaker_in_sentence(text, *doc.sentences[si - 1], refs)
            return -1

        def next_sentence(q: QuoteSpan = q) -> int:
            nxt = bisect_right(sent_starts, q.end - 1)
            if nxt < len(doc.sentences) and doc.sentence_para[nxt] == q.para:
                return speaker_in_sentence(text, *doc.sentences[nxt], refs)
            return -1

        def subject(q: QuoteSpan = q, sent_start: int = sent_start) -> int:
            # a partial quote inside a sentence without a speech verb: its subject
            if text[sent_start:q.start].strip():
                return sentence_subject(text, sent_start, q.start, refs)
            return -1

        def continued(q: QuoteSpan = q, whole: bool = whole) -> int:
            # a paragraph-long quote continues the previous paragraph's speaker
            return last_by_para.get(q.para - 1, -1) if whole else -1

        def introduced(q: QuoteSpan = q, whole: bool = whole) -> int:
            # 'Jared Potts echoed:' or a paragraph about the speaker just before the quote
            if not whole or q.para == 0:
                return -1
            pps, ppe = doc.paragraphs[q.para - 1]
            last = max(pps, doc.sentences[max(0, bisect_right(sent_starts, ppe - 1) - 1)][0])
            idx = speaker_in_sentence(text, last, ppe, refs)
            return idx if idx >= 0 else sentence_subject(text, last, ppe, refs)

        def signed(q: QuoteSpan = q) -> int:
            # '"..."' followed by a paragraph '- Bernie Sanders.' (a quote of the day, a letter)
            if q.para + 1 >= len(doc.paragraphs):
                return -1
            nps, npe = doc.paragraphs[q.para + 1]
            if len(text[nps:npe].split()) > 8 or _UPPER_LINE.fullmatch(text, nps, npe):
                return -1  # 'TRUMP COUNTER': a heading in capitals is no signature
            names = refs.between(nps, npe)
            return sentence_subject(text, nps, npe, refs) if names and names[0].kind == "name" else -1

        rules = (
            ("after", lambda q=q, pe=pe: speaker_after(text, q, pe, refs)),
            ("before", lambda q=q, s=sent_start: speaker_before(text, q, s, refs)),
        )
        if text[max(sent_start, q.start - 3):q.start].rstrip().endswith((",", ":")) \
                and text[max(q.inner_start, q.inner_end - 2):q.inner_end].rstrip().endswith((".", "?", "!")):
            # 'Clinton responds to Mills with, "Why now?" Mills then writes back': a quote that
            # its sentence introduces and ends belongs to that sentence, not to the next one
            rules = rules[::-1]
        rules += (
            ("colon", lambda q=q, s=sent_start: speaker_before_colon(text, q, s, refs)),
            ("opening", lambda q=q, s=sent_start: speaker_after_opening(text, q, s, refs)),
            ("subject", subject),
            # a quote with no cue of its own goes on with its paragraph's earlier speaker
            ("same_paragraph", lambda q=q: last_by_para.get(q.para, -1)),
            ("prev_sentence", prev_sentence),
            ("next_sentence", next_sentence),
            ("continued", continued),
            ("signed", signed),
            ("introduced", introduced),
        )
        idx, used = -1, "none"
        for name, rule in rules:
            idx = rule()
            if idx >= 0:
                used = name
                break
        doc.speaker_rules.append(used)
        if idx >= 0:
            last_by_para[q.para] = idx
            if doc.entities[idx].kind == "unknown":
                doc.entities[idx].kind = "person"
        speakers.append(idx)
    return speakers


_LETTERS = re.compile(r"[^\W\d_]{2}")
_HANDLE = re.compile(r"[@/]|\.com\b")  # '@realDonaldTrump', 'pic.twitter.com/...'
_TITLE_LINKS = frozenset({"a", "an", "the", "and", "of", "in", "on", "at", "to", "for", "with", "is", "or", "from",
                          "by"})

# Rules that find the speaker in the quote's own sentence: a one- or two-word quote found by
# no such rule is a scare quote or a name ('the so-called "reset"'), not somebody's words.
_ATTRIBUTED = frozenset({"after", "before", "colon", "opening", "subject"})


def _keep_quote(quote: str, rule: str) -> bool:
    # Short quotes are kept when attributed in their sentence: in news they are mostly someone's
    # words ('called the contest "rigged"').
    # only the first seven words matter below; a long quote need not be split whole
    if not _LETTERS.search(quote):
        return False  # '2016-06-29', a tweet's id: markup, not speech
    words = [m.group() for m in islice(_WORDS.finditer(quote), 7)]
    if len(words) < 3 and (rule not in _ATTRIBUTED or _HANDLE.search(quote)):
        return False
    # Titles of works and names in quotes ('"Saturday Night Live"', '"Meet the Press"', '"Orange
    # is the New Black"') are not speech: every word capitalised but for a few short link words.
    if len(words) > 6 or not (words[0][:1].isupper() and words[-1][:1].isupper()):
        return True
    return not all(w[:1].isupper() or w in _TITLE_LINKS for w in words)


def _entity_records(entities: list[Entity]) -> list[EntityRecord]:
    out = []
    for e in entities:
        if e.kind in ("unknown", "description"):  # descriptions exist only as quote speakers
            continue
        out.append(EntityRecord(name=e.name, type=e.kind, aliases=sorted(e.aliases), role=e.role,
                                affiliation=e.affiliation, country=e.country, mentions=e.mentions))
    return out


def extract(article: CleanArticle) -> ExtractedArticle:
    """Entities, quotes with speakers and events of one clean article; never raises on text."""
    base = article.model_dump()
    for key in ("entities", "quotes", "events"):  # stale extras from an earlier extraction
        base.pop(key, None)
    warnings = list(article.warnings)
    text = article.text or ""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        warnings.append(f"extractor: text cut to {MAX_CHARS} characters")
    if not _WORDS.search(text):
        base["warnings"] = [*warnings, "extractor: no text"]
        return ExtractedArticle(**base)
    if _mostly_upper(text):
        # Capitalisation is the rules' main clue; all-caps text would make everything a name.
        base["warnings"] = [*warnings, "extractor: all-caps text, nothing extracted"]
        return ExtractedArticle(**base)
    if not looks_english(text):
        # The lexicons are English: another language's nouns would become people and places.
        base["warnings"] = [*warnings, "extractor: text not in English, nothing extracted"]
        return ExtractedArticle(**base)
    doc = analyse(text)
    quotes = []
    for q, idx, rule in zip(doc.quotes, doc.speakers, doc.speaker_rules, strict=True):
        inner = text[q.inner_start:q.inner_end].strip()
        if _keep_quote(inner, rule):
            quotes.append(Quote(text=inner, speaker=doc.entities[idx].name if idx >= 0 else None))
    anchor = parse_anchor(article.published_at) or anchor_from_text(
        "\n".join(filter(None, [article.title, text[:300]])))
    events = find_events(doc, article.title or "", article.dateline, anchor, quotes)
    base["warnings"] = warnings
    return ExtractedArticle(**base, entities=_entity_records(doc.entities), quotes=quotes, events=events)
