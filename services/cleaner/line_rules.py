"""Line-level junk rules: is this line page furniture, and of which kind?

One line (a paragraph of plain text, or one block of an HTML page) goes in; out comes the
reason it is not article text, or None. The rules describe how news pages are built in
general (ad slots, share bars, gallery counters, photo credits, agency sign-offs), never a
particular outlet. Every pattern is anchored and has bounded quantifiers, and long lines skip
the short-line rules, so a line costs linear time however odd it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.records import RemovalReason

#: Lines longer than this are prose: only the rules for long furniture (captions, appeals,
#: copyright, contributor lines) look at them.
SHORT = 80

_I = re.I


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# Whole-line patterns for short lines, by reason. Each is matched with fullmatch after trimming.
SHORT_LINE_RULES: list[tuple[RemovalReason, re.Pattern[str]]] = [
    ("separator", re.compile(r"[\s_\-=*~•·#+.|/\\]{2,}")),
    ("ad", re.compile(
        r"(?:\d{2,4}\s?x\s?\d{2,4}\s+)?(?:ad|ads|advert|advertisement|advertising|sponsored(?: content)?"
        r"|paid content|promoted(?: content)?|anzeige|publicité|publicidad|werbung)"
        r"|(?:story|article) continues (?:below|after)(?: (?:this|the))? (?:ad|advertisement)"
        r"|(?:scroll|continue reading)(?: down)?(?: to continue)?(?: with content| below)?"
        r"|\d{2,4}\s?x\s?\d{2,4}(?: ad)?", _I)),
    ("navigation", re.compile(
        r"skip to (?:main |the )?(?:content|navigation|search|footer|article)|skip navigation"
        r"|(?:back|return) to (?:top|home(?:page)?)|jump to|toggle navigation|main menu|menu|home"
        r"|sign in|log ?in|sign up|log ?out|register|search|close|open|next|previous|prev"
        r"|next (?:article|story|page)|previous (?:article|story|page)|more|show more|see more"
        r"|all (?:news|stories|sections)|sections|topics|(?:page|part) \d{1,3}(?: of \d{1,3})?"
        r"|breadcrumbs?|you are here:?.{0,60}", _I)),
    ("widget", re.compile(
        r"(?:partly |mostly )?(?:cloudy|sunny|clear|rain|rainy|snow|showers|fog|windy|overcast|storm)"
        r"(?: icon)?|[\w ]{1,30} icon|-?\d{1,3}\s?[º°˚](?:\s?[CF])?|-?\d{1,3}\s?°?\s?[CF]"
        r"|loading\.{0,3}|please wait\.{0,3}|.{0,40}(?:requires|enable|needs) javascript.{0,40}"
        r"|(?:listen|play|pause)(?: to (?:this )?(?:article|story))?"
        r"|\d{1,3}:\d{2}(?: min(?:utes?)?)?|(?:audio|listen):? \d{1,2}:\d{2}"
        # reading time: "3 min read", "5-minute read", "Reading time: 4 minutes"
        r"|(?:(?:estimated )?(?:reading|read) time:? )?(?:about |approx\.? |~)?\d{1,3}[\s-]?min(?:ute)?s?\.?"
        r"(?: read)?", _I)),
    ("video", re.compile(
        r"(?:recommended|related|featured|latest|more|top) videos?|videos?|watch(?: now| more| live)?:?"
        r"|up next|now playing|autoplay|(?:replay|play) video|watch the video|video player", _I)),
    ("gallery", re.compile(
        r"\d{1,3}\s?/\s?\d{1,3}|\d{1,3} of \d{1,3}|(?:photo|image|slide|picture)s? \d{1,3} of \d{1,3}"
        r"|(?:view|open|see|launch|browse)(?: the| full| photo)? (?:gallery|slideshow|photos|images)"
        r"|(?:photo )?gallery|slideshow|license photo|enlarge(?: this)? image|expand|fullscreen"
        r"|\d{1,3} (?:photos|images|pictures)", _I)),
    ("share", re.compile(
        r"(?:(?:share|tweet|email|e-mail|print|facebook|twitter|x|linkedin|whatsapp|reddit|pinterest"
        r"|telegram|messenger|copy link|copy url|link copied|save|bookmark|comments?|\d{1,6} comments?"
        r"|print(?: this)? (?:article|story|page)|order reprints?|reprints?|text size|font size|gift (?:this )?article"
        r"|share (?:this|on \w{1,20})(?: article| story| page)?)[\s|•·,/]*){1,10}", _I)),
    ("related", re.compile(
        r"(?:latest|top|more|related|trending|popular|recent|breaking|other) (?:headlines|stories|news|articles"
        r"|coverage|content|posts|links|reads)|related:?|read (?:more|next|also):?|see also:?|also read:?"
        r"|most (?:read|popular|viewed|shared|emailed)|trending(?: now)?|you (?:may|might) (?:also )?like"
        r"|recommended(?: for you)?|editor'?s? picks?|don't miss|in (?:other|case you missed)|more from .{1,40}"
        r"|(?:more|latest) (?:on|in|about) .{1,40}|tags?(?::.{0,70})?|topics?(?::.{0,70})?|filed under:?.{0,60}"
        r"|more(?: \w{1,20}){0,3} (?:stories|news|articles|reads|videos)", _I)),
    ("appeal", re.compile(
        r"(?:subscribe|sign up|join|register)(?: now| today| here)?(?:(?: for| to)? .{0,60})?"
        r"|newsletter|get the newsletter|donate(?: now| today)?|support (?:us|our journalism)", _I)),
    # Machine values leaking from hidden markup: a bare URL, number, or timestamp.
    ("boilerplate", re.compile(r"(?:https?://|www\.)\S{2,}|[\d\s.,:+\-/TZ]{1,40}|<[a-zA-Z/!][^<>]{0,70}>?")),
]

#: Where a short line of several labels splits: "Advertisement · Scroll to continue with content".
_LABEL_SPLIT = re.compile(r"\s[-–—]\s|\s?[|•·]\s?")
#: A section label or kicker over a story: "World News", "Europe", "Science & Tech", "ANALYSIS".
#: Title-case words only, no digits first and no sentence punctuation: a sentence or a headline
#: does not look like this, a person's name does (names are told apart by the caller).
SECTION_LABEL = re.compile(r"[A-Z][\w'’&-]{0,24}(?:\s(?:[A-Z][\w'’&-]{0,24}|&|and|of|the|in|on|for|to|at|a|/|\|)){0,4}")
#: Markup shown as text (from <noscript> or broken pages): a line that opens and closes like a tag.
MARKUP = re.compile(r"^<[a-zA-Z/!][^<>]{0,2000}>(?:\s?<[^<>]{0,2000}>){0,20}$")
# Patterns looked for inside lines of any length (anchored at one end so they stay linear).
READ_MORE = re.compile(r"(?:read more|read also|also read|related|see also|more)\s?(?::|»|>|--?|–|—)\s?\S", _I)
COPYRIGHT = re.compile(r"^(?:copyright|©|\(c\))\s?(?:©\s?)?(?:\d{4}|[A-Z])|all rights reserved|©\s?(?:19|20)\d\d"
                       r"|may not be (?:published|reproduced|redistributed)"
                       r"|for (?:your )?personal,? non-?commercial use", _I)
APPEAL = re.compile(
    r"^(?:support (?:quality|independent|local|our|trusted)(?: \w{1,20}){0,2} journalism"
    r"|(?:please )?(?:consider )?(?:supporting|subscribing|donating)|become a (?:member|subscriber|supporter)"
    r"|(?:sign up|subscribe)(?: now| today| here)? (?:for|to) (?:our|the|a) .{0,40}newsletter"
    r"|(?:we|our) (?:rely|depend) on (?:readers|you)|(?:get|gain) unlimited access"
    r"|already a subscriber|you have (?:reached|read) .{0,30}(?:free )?articles?"
    r"|this (?:article|story|content) is (?:for|available to) (?:subscribers|members)"
    r"|thank you for (?:reading|supporting)|(?:click|tap) here to (?:subscribe|sign up|get))", _I)
#: Donation appeals, which ask the reader for money anywhere in the paragraph ("… please consider
#: a donation today") or state how the outlet is paid for ("Northwind News is reader-funded").
DONATION = re.compile(
    r"\b(?:(?:please )?consider (?:making )?(?:a |an )?(?:(?:one-off |small |monthly |regular )?donation|donating"
    r"|(?:one-off |small |monthly |regular )?contribution|contributing|supporting us)"
    r"|(?:is|are|we're|we are) (?:entirely |proudly |fully )?(?:reader|member|listener|audience)"
    r"[- ](?:funded|supported)"
    r"|(?:funded|paid for|supported) by (?:our )?readers(?: like you)?)\b", _I)
#: An appeal speaks to the reader or for the outlet; news about a charity drive reports in the third person.
_ADDRESS = re.compile(r"\b(?:we|our|us|you|your)\b", _I)
#: Newsletter and alert sign-ups, which name what they deliver and where.
SIGN_UP = re.compile(
    r"^(?:sign up|subscribe|register)\b.{0,120}\b(?:newsletter|inbox|e-?mails?|alerts|updates)\b"
    r"|\b(?:newsletter|stories|news)\b.{0,80}\bdelivered\b"
    r"|\bdelivered (?:to|straight to|right to|directly to|through) your (?:inbox|letterbox|door|mailbox)"
    r"|^(?:get|receive) (?:breaking news|the latest|our|daily|free)\b.{0,60}\b(?:alerts|newsletter|e-?mails?)\b"
    r"|^(?:breaking )?news(?:letter)? (?:e-?mails|alerts)$|\b(?:in|into|to) your inbox\b|\bmeet your inbox\b"
    r"|^(?:subscribe|sign up) (?:to|for|now|today)\b|^join (?:our|the) \w", _I)
#: "Have a tip? Jane Doe may be reached at jdoe@example.com": the author's contact line.
CONTACT = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}\b")
#: "Jane Doe is a reporter for The Gazette." under the article.
AUTHOR_BIO = re.compile(r"^[A-Z][\w.'’-]{1,30}(?: [A-Z][\w.'’-]{1,30}){1,3} (?:is|has been) (?:a|an|the)"
                        r"(?: \w{1,20}){0,3} (?:reporter|correspondent|writer|editor|journalist|columnist|contributor"
                        r"|producer|photographer|intern|fellow)\b")
#: Photo credits standing alone: "Jane Doe | Bloomberg | Getty Images", "Jane Doe/AIMMEDIA".
CREDIT_LINE = re.compile(r"^[^.!?]{2,80}(?:\bGetty Images|\bShutterstock|\bAlamy|/[A-Z][A-Z\-]{1,20}"
                         r"|\| ?(?:AP|AFP|Reuters|EPA|Bloomberg))(?: Photo)?$")
BARE_URL = re.compile(r"^(?:https?://|www\.)\S{2,2000}$")
CONTRIBUTOR = re.compile(r"^(.{3,240}?)\s(?:also\s)?contributed(?: reporting)?(?: to)?(?: (?:this|the))?"
                         r"(?: (?:report|story|article))?(?: from [^.]{1,60})?\.?\s*$", _I)
#: "jf/rc (AFP, AP)", "dj/msh (Reuters, dpa)": editors' initials, then the agencies.
SIGNOFF = re.compile(r"^[a-z]{1,4}(?:/[a-z]{1,4}){1,4}\s*(?:\(([^()]{2,80})\))?\s*$")
#: "(Reporting by Jane Doe; Editing by John Roe)"
REPORTING_BY = re.compile(r"^\(?\s*(?:reporting|writing|additional reporting|editing) by [^()]{2,300}\)?$", _I)
#: "By Jane Doe", also after a date or a section: "May 19, 2021 | by Jane Doe".
BYLINE = re.compile(r"^(?:[^|•·]{0,40}[|•·]\s?)?(?:by|von|par|por|di|door|av)\s+([A-Z\u00C0-\u024F][^\n]{1,120})$",
                    re.I)
#: What may follow the names in a byline: " - 11/18/19 11:04 PM EST", " | Updated …", ", 2 hours ago".
_BYLINE_TAIL = re.compile(r"\s[-–—|•·]\s|,?\s(?=\d)|,?\s(?=(?:updated|published|posted)\b)"
                          r"|,?\s(?=(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
                          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? \d)", re.I)
#: Cookie banners, in the few shapes they take.
COOKIES = re.compile(r"\bcookies?\b.{0,200}\b(?:consent|accept|agree|continu|privacy|browsing|experience)"
                     r"|\b(?:accept|consent to|use of|uses?|we use)\b.{0,60}\bcookies?\b", _I)
_NAME = re.compile(r"^[A-Z\u00C0-\u024F][\w.'’\-]{0,30}(?: [A-Z\u00C0-\u024F][\w.'’\-]{0,30}){0,4}$")

# Captions: a description ending with a photo credit.
_CREDIT_WORD = r"(?:[Pp]hoto(?:graph)?|PHOTO|[Ii]mage|IMAGE|[Pp]icture|Foto|FOTO|Credit|CREDIT|Illustration)"
CREDIT_TAIL = re.compile(
    r"(?:\((?:(?i:photo|image|picture|foto|credit):?\s?)?[^()]{2,90}(?:/|\bvia\b)\s?[A-Z][^()]{0,80}\)"  # (A/B)
    rf"|{_CREDIT_WORD}s?(?: by|:| credit:?)\s?[^.|]{{2,90}}"  # Photo by Al Drago/UPI
    r"|\b(?:REUTERS|AFP|AP|EPA|Getty Images|Shutterstock|dpa|Xinhua|UPI|Bloomberg|ANP|TASS|Sputnik)"
    r"\s?/\s?[A-Z][^./|]{1,60}"  # REUTERS/Kevin Lamarque
    r"|[A-Z][\w'’-]{0,30}(?: [A-Z][\w.'’-]{0,30}){0,5}\s?/\s?(?:AFP|AP|Reuters|REUTERS|Getty Images|EPA|UPI|dpa"
    r"|Bloomberg|AAP|PA|TASS)"
    r"(?: via Getty Images)?)\.?\s*$")
#: How far from the end of a line a credit can start.
CREDIT_REACH = 200
CREDIT_ONLY = re.compile(r"^(?:\(?(?:photo|image|picture|foto|credit|source|illustration)"
                         r"(?: by|:| credit:?)\s?.{2,50}|[^.]{2,60}/(?:AFP|AP|Reuters|Getty Images|EPA|UPI))\)?$", _I)
GALLERY_CAPTION = re.compile(r"^\d{1,3}\s?(?:of|/)\s?\d{1,3}\s?\|")

AGENCY_NAMES = {
    "ap": "AP", "associated press": "AP", "afp": "AFP", "agence france-presse": "AFP", "reuters": "Reuters",
    "dpa": "dpa", "upi": "UPI", "united press international": "UPI", "efe": "EFE", "ansa": "ANSA",
    "kna": "KNA", "epd": "epd", "tass": "TASS", "xinhua": "Xinhua", "bloomberg": "Bloomberg", "aap": "AAP",
    "pa": "PA", "kyodo": "Kyodo", "yonhap": "Yonhap", "ria novosti": "RIA Novosti", "interfax": "Interfax",
    "anp": "ANP", "apa": "APA", "sda": "SDA", "cna": "CNA", "ians": "IANS", "pti": "PTI", "bernama": "Bernama",
}


@dataclass
class LineVerdict:
    """Why a line goes, plus any metadata it carried (a sign-off names agencies, and so on)."""

    reason: RemovalReason | None = None
    agencies: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    caption: str | None = None
    credit: str | None = None


def classify_line(line: str) -> LineVerdict:
    """The junk reason for one line of text (None when it looks like article text)."""
    text = " ".join(line.split())
    if not text:
        return LineVerdict("separator")
    if len(text) <= SHORT:
        reason = _short_line_reason(text)
        if reason:
            return LineVerdict(reason)
        verdict = _signoff(text) or _byline(text)
        if verdict:
            return verdict
    return _long_line_verdict(text) or LineVerdict()


def _short_line_reason(text: str) -> RemovalReason | None:
    bare = text.strip(" :|•·-–—>»…").rstrip(".").strip()
    if not bare:
        return "separator"
    if not any(ch.isalnum() for ch in bare):
        return "separator"
    reason = _rule_reason(bare)
    if reason:
        return reason
    if COPYRIGHT.search(text):
        return "copyright"
    if len(text) <= 60 and READ_MORE.match(text):
        return "related"
    return _labels_reason(bare)


def _rule_reason(text: str) -> RemovalReason | None:
    for reason, pattern in SHORT_LINE_RULES:
        if pattern.fullmatch(text):
            return reason
    return None


def _labels_reason(bare: str) -> RemovalReason | None:
    """Several furniture labels run together on one line ("Advertisement · Scroll to continue with
    content", "Share | 4 min read"): the first one's reason, when every part is furniture."""
    parts = [p.strip(" :.") for p in _LABEL_SPLIT.split(bare)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    reasons = [_rule_reason(p) for p in parts]
    if any(r is None for r in reasons):
        return None
    return next((r for r in reasons if r != "boilerplate"), reasons[0])


def is_section_label(text: str) -> bool:
    """A short title-case label with no sentence punctuation ("World News", "Europe", "ANALYSIS")."""
    return len(text) <= 40 and SECTION_LABEL.fullmatch(text) is not None


def _long_line_verdict(text: str) -> LineVerdict | None:
    if MARKUP.match(text) or BARE_URL.match(text):
        return LineVerdict("boilerplate")
    if GALLERY_CAPTION.match(text):  # "1 of 4 | caption | License Photo": keep the caption
        parts = [p.strip() for p in text.split("|")[1:] if p.strip()]
        described = max(parts, key=len) if parts else ""
        inner = _long_line_verdict(described) if described and not GALLERY_CAPTION.match(described) else None
        if inner and inner.reason == "caption":
            return LineVerdict("gallery", caption=inner.caption, credit=inner.credit)
        return LineVerdict("gallery", caption=described or None)
    lowered = text.lower()
    if len(text) <= 300:
        # Cheap substring checks first: most lines are prose and match none of these.
        if _has(lowered, _COPYRIGHT_HINTS) and COPYRIGHT.search(text):
            return LineVerdict("copyright")
        if APPEAL.match(text):
            return LineVerdict("appeal")
        if _has(lowered, _DONATION_HINTS) and DONATION.search(text) and (len(text) <= SHORT or _ADDRESS.search(text)):
            return LineVerdict("appeal")
        if "cookie" in lowered and COOKIES.search(text):
            return LineVerdict("boilerplate")
        if len(text) <= 200 and _has(lowered, _SIGN_UP_HINTS) and SIGN_UP.search(text):
            return LineVerdict("appeal")
        if len(text) <= 250 and "@" in text and CONTACT.search(text) and len(text.split()) <= 40:
            return LineVerdict("byline")
        if len(text) <= 200 and AUTHOR_BIO.match(text):
            return LineVerdict("byline")
        if CREDIT_LINE.match(text):
            return LineVerdict("credit", credit=text)
        if READ_MORE.match(text) and len(text) <= 200:
            return LineVerdict("related")
        m = CONTRIBUTOR.match(text) if "contributed" in lowered else None
        if m:
            return LineVerdict("contributor", contributors=_contributor_names(m[1]),
                               agencies=_agencies_in(m[1]))
        if REPORTING_BY.match(text):
            return LineVerdict("signoff", contributors=_reporting_names(text))
    if len(text) <= 600:
        credit = CREDIT_TAIL.search(text, max(0, len(text) - CREDIT_REACH))  # a credit is at the end
        if credit and _looks_like_caption(text, credit.start()):
            caption = text[: credit.start()].strip() or None
            reason: RemovalReason = "caption" if caption else "credit"
            return LineVerdict(reason, caption=caption, credit=credit.group(0).strip(" ()."))
        if CREDIT_ONLY.match(text) and len(text) <= 120:
            return LineVerdict("credit", credit=text.strip(" ()"))
    return None


_COPYRIGHT_HINTS = ("©", "copyright", "(c)", "rights reserved", "may not be", "commercial use")
_DONATION_HINTS = ("donat", "contribut", "-funded", "-supported", " funded", "paid for", "supporting us")
_SIGN_UP_HINTS = ("sign up", "subscribe", "register", "newsletter", "inbox", "delivered", "join ", "alerts",
                  "e-mail", "email")


def _has(lowered: str, hints: tuple[str, ...]) -> bool:
    return any(hint in lowered for hint in hints)


def _looks_like_caption(text: str, credit_start: int) -> bool:
    """A credit at the end of a prose paragraph is rare; at the end of a short description it is a caption.
    Quotes are the tell: captions describe, paragraphs quote."""
    head = text[:credit_start]
    return len(head) <= 400 and head.count('"') + head.count("“") < 2


def _signoff(text: str) -> LineVerdict | None:
    agency = AGENCY_NAMES.get(text.strip(" .()-–—").lower())
    if agency:  # an agency's name alone on a line credits the story (or the photo above it)
        return LineVerdict("byline", agencies=[agency])
    m = SIGNOFF.match(text)
    if not m:
        return None
    return LineVerdict("signoff", agencies=_agencies_in(m[1] or ""))


def _byline(text: str) -> LineVerdict | None:
    m = BYLINE.match(text)
    if not m:
        return None
    names = split_names(_BYLINE_TAIL.split(m[1], maxsplit=1)[0])
    if not names:
        return None
    agencies = [AGENCY_NAMES[n.lower()] for n in names if n.lower() in AGENCY_NAMES]
    people = [n for n in names if n.lower() not in AGENCY_NAMES]
    return LineVerdict("byline", authors=people, agencies=agencies)


def split_names(text: str) -> list[str]:
    """'Jane Doe, John Roe and Ann Poe, Reuters' -> the names, or [] if any part is not a name."""
    text = re.sub(r"\s*[|·•]\s*.*$", "", text.strip())
    parts = [p.strip(" .") for p in re.split(r",\s*|\s+(?:and|und|et|y|e|&)\s+", text) if p.strip(" .")]
    if not parts or len(parts) > 6:
        return []
    names = []
    for part in parts:
        part = re.sub(r"\s+(?:in|at|from)\s+[A-Z].*$", "", part)
        if not _NAME.match(part) and part.lower() not in AGENCY_NAMES:
            return []
        names.append(part)
    return names


def _contributor_names(head: str) -> list[str]:
    head = re.sub(r"^.*?\b(?:writers?|reporters?|correspondents?|journalists?|staff|producers?)\s+", "", head,
                  count=1, flags=_I)
    return [n for n in split_names(head) if n.lower() not in AGENCY_NAMES]


def _reporting_names(text: str) -> list[str]:
    names: list[str] = []
    for m in re.finditer(r"(?:reporting|writing)(?: by)? ([^;()]{2,200})", text, _I):
        names.extend(n for n in split_names(m[1]) if n.lower() not in AGENCY_NAMES)
    return names


def _agencies_in(text: str) -> list[str]:
    found = []
    for part in re.split(r"[,;/]|\band\b", text):
        name = AGENCY_NAMES.get(part.strip(" .()").lower())
        if name and name not in found:
            found.append(name)
    for long_name, short in (("associated press", "AP"), ("agence france-presse", "AFP"), ("reuters", "Reuters")):
        if long_name in text.lower() and short not in found:
            found.append(short)
    return found
