"""HTML pages of corpus articles, with the furniture real news pages carry around the story.

Five layouts, one per family of sites: a classic semantic `<article>`, an agency page with a
sign-off, a div soup with a cookie banner and a donation appeal, a magazine page with JSON-LD
and a video widget, and an old-fashioned page with a sidebar. Around the story: navigation,
ads, an image with caption and credit, related links and "most read" lists naming *other*
stories of the outlet, newsletter and donation appeals, share bars, comments, footers. The
story itself is only the headline, the dateline and the paragraphs (`Story.text`).

`render_page` is pure: the same article gives the same bytes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime
from html import escape

from newsdesk.corpus.build import CorpusArticle
from newsdesk.corpus.events import EventSpec

SECTIONS_NAV = ("World", "Politics", "Business", "Climate", "Science", "Culture", "Sport", "Opinion")
ADS = ("Advertisement", "Advertisement · Scroll to continue with content", "Sponsored", "ADVERTISEMENT")
APPEALS = (
    "Independent journalism needs your support. Become a member today and help keep our reporting free for all.",
    "If you value our reporting, please consider making a contribution. Every reader's support counts.",
    "Support quality journalism: subscribe for unlimited access from just 1 euro a week.",
)
NEWSLETTERS = ("Get the morning briefing", "The Daily Digest", "World in 5 minutes", "Evening Edition")
SHARE = '<a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a> <a href="#">Print</a>'


def _t(text: str) -> str:
    return escape(text, quote=False)


def _a(text: str) -> str:
    return escape(text, quote=True)


def _when(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment:%Y}"


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M} GMT"


def _paragraphs(article: CorpusArticle) -> list[str]:
    paragraphs = list(article.story.paragraphs)
    if article.story.dateline:
        paragraphs[0] = f"{article.story.dateline} {paragraphs[0]}"
    return paragraphs


def _caption(event: EventSpec, rng: random.Random) -> tuple[str, str]:
    person = rng.choice(event.people)
    city = event.city.name
    caption = rng.choice((f"{person.name} speaks to reporters in {city}.",
                          f"A view of {city} on {event.date:%B} {event.date.day}.",
                          f"{person.name} in {city} in a file photo.",
                          f"People gather in central {city}."))
    return caption, f"Photo: {rng.choice(('Jana Weber', 'Tomas Reiter', 'Ana Lopes', 'Kai Nordin'))}/" \
                    f"{rng.choice(('Alpine Press', 'Reuben Images', 'Staff', 'Pool'))}"


def _weight(article: CorpusArticle, rng: random.Random) -> str:
    """What makes real pages heavy: an app state blob, tracking snippets, an icon sprite. The
    fetcher, the cleaner and the benchmarks should pay for them as they do on real sites."""
    items = [{"id": f"{rng.getrandbits(48):012x}", "title": title, "url": url, "section": article.section,
              "thumb": f"https://static.{article.outlet.host}/t/{rng.getrandbits(32):08x}.jpg",
              "tags": rng.sample(SECTIONS_NAV, 3)} for title, url in article.related] * rng.randint(2, 6)
    page = {"id": article.id, "type": "article", "section": article.section, "paywall": rng.random() < 0.3,
            "experiments": [rng.getrandbits(24) for _ in range(20)]}
    state = json.dumps({"page": page,
                        "feeds": {"related": items, "trending": items[::-1]}}).replace("</", "<\\/")
    icons = "".join(f'<symbol id="i{n}" viewBox="0 0 24 24"><path d="M{rng.randint(0, 24)} {rng.randint(0, 24)}'
                    f'l{rng.randint(1, 9)} {rng.randint(1, 9)}h{rng.randint(1, 9)}v{rng.randint(1, 9)}z"/></symbol>'
                    for n in range(rng.randint(10, 60)))
    tracking = "".join(f"<script>(function(w,d,s,l,i){{w[l]=w[l]||[];w[l].push({{'gtm.start':{rng.getrandbits(40)},"
                       f"event:'gtm.js'}});}})(window,document,'script','dataLayer','GTM-{rng.getrandbits(20):05X}');"
                       "</script>" for _ in range(rng.randint(1, 4)))
    return (f'<script id="__APP_STATE__" type="application/json">{state}</script>\n{tracking}\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{icons}</svg>')


def _head(article: CorpusArticle, rng: random.Random, jsonld: bool) -> str:
    story, outlet = article.story, article.outlet
    description = _a(story.paragraphs[0][:160])
    sep = rng.choice((" | ", " - ", " — "))
    parts = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_t(story.headline)}{sep}{_t(outlet.name)}</title>",
        f'<link rel="canonical" href="{_a(article.url)}">',
        f'<meta name="description" content="{description}">',
        f'<meta property="og:site_name" content="{_a(outlet.name)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_a(story.headline)}">',
        f'<meta property="og:url" content="{_a(article.url)}">',
        f'<meta property="article:published_time" content="{article.published.isoformat()}">',
        f'<meta property="article:section" content="{_a(article.section.title())}">',
    ]
    if article.modified:
        parts.append(f'<meta property="article:modified_time" content="{article.modified.isoformat()}">')
    if story.byline:
        parts.append(f'<meta name="author" content="{_a(story.byline)}">')
    if jsonld:
        doc = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.headline,
               "datePublished": article.published.isoformat(),
               "dateModified": (article.modified or article.published).isoformat(),
               "author": [{"@type": "Person", "name": story.byline}] if story.byline else [],
               "publisher": {"@type": "Organization", "name": outlet.name}, "mainEntityOfPage": article.url}
        data = json.dumps(doc).replace("</", "<\\/")  # a '</' in a headline must not close the script
        parts.append(f'<script type="application/ld+json">{data}</script>')
    parts.append(f'<link rel="stylesheet" href="https://static.{outlet.host}/css/site.v{rng.randint(10, 99)}.css">')
    parts.append(f"<script>window.adq=window.adq||[];adq.push({{slot:'top',size:[728,90],"
                 f"id:{rng.randint(1000, 9999)}}});</script>")
    return "\n".join(parts)


def _nav(rng: random.Random) -> str:
    items = "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in rng.sample(SECTIONS_NAV, 6))
    return f'<nav class="primary-nav" aria-label="Sections"><ul>{items}<li><a href="/subscribe/">Subscribe</a></li>' \
           '<li><a href="/login/">Sign in</a></li></ul></nav>'


def _related_list(article: CorpusArticle, heading: str) -> str:
    if not article.related:
        return ""
    items = "".join(f'<li><a href="{_a(url)}">{_t(title)}</a></li>' for title, url in article.related)
    return f'<aside class="related"><h2>{heading}</h2><ul>{items}</ul></aside>'


def _ad(rng: random.Random) -> str:
    return f'<div class="ad-slot"><span class="ad-label">{rng.choice(ADS)}</span></div>'


def _footer(article: CorpusArticle) -> str:
    year = article.published.year
    return ('<footer class="site-footer"><nav><a href="/about/">About us</a> | <a href="/contact/">Contact</a> | '
            '<a href="/privacy/">Privacy policy</a> | <a href="/terms/">Terms of use</a></nav>'
            f"<p>&copy; {year} {_t(article.outlet.name)}. All rights reserved.</p></footer>")


def _note(article: CorpusArticle) -> str:
    note = article.story.note
    return f'<p class="update-note"><em>{_t(note)}</em></p>' if note else ""


def _signoff(article: CorpusArticle) -> str:
    return f'<p class="signoff">{_t(article.story.signoff)}</p>' if article.story.signoff else ""


def _body_with_inserts(article: CorpusArticle, rng: random.Random, tag: str = "p", read_more: bool = True) -> str:
    """The story's paragraphs with an ad and a 'Read more' link slipped in between, as sites do."""
    paragraphs = [f"<{tag}>{_t(p)}</{tag}>" for p in _paragraphs(article)]
    if len(paragraphs) > 3:
        paragraphs.insert(rng.randint(2, len(paragraphs) - 1), _ad(rng))
    if read_more and article.related and len(paragraphs) > 4:
        title, url = article.related[0]
        paragraphs.insert(rng.randint(3, len(paragraphs) - 1),
                          f'<p class="read-more">Read more: <a href="{_a(url)}">{_t(title)}</a></p>')
    return "\n".join(paragraphs)


def _classic(article: CorpusArticle, event: EventSpec, rng: random.Random) -> str:
    story, outlet = article.story, article.outlet
    caption, credit = _caption(event, rng)
    byline = f'<p class="byline">By <a rel="author" href="/authors/">{_t(story.byline)}</a></p>' if story.byline else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{_head(article, rng, jsonld=False)}
</head>
<body class="article-page">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><div class="masthead"><a href="/">{_t(outlet.name)}</a></div>
{_nav(rng)}
</header>
{_ad(rng)}
<main id="main">
<article class="story">
<p class="kicker"><a href="/{article.section}/">{_t(article.section.title())}</a></p>
<h1 class="headline">{_t(story.headline)}</h1>
{byline}
<p class="timestamp">Published <time datetime="{article.published.isoformat()}">{_when(article.published)}</time></p>
{_note(article)}
<figure class="lead-image"><img src="https://static.{outlet.host}/img/{article.id}.jpg" alt="{_a(caption)}">
<figcaption>{_t(caption)} <span class="credit">({_t(credit)})</span></figcaption></figure>
<div class="article-body">
{_body_with_inserts(article, rng)}
{_signoff(article)}
</div>
<div class="share-tools">{SHARE}</div>
</article>
{_related_list(article, rng.choice(("Recommended", "Related coverage", "More from World")))}
<section class="newsletter-signup"><h2>{rng.choice(NEWSLETTERS)}</h2>
<p>Sign up for our free newsletter and get the day's most important stories in your inbox.</p>
<form action="/newsletter/" method="post"><input type="email" name="email"><button>Sign up</button></form></section>
</main>
{_footer(article)}
{_weight(article, rng)}
</body>
</html>
"""


def _agency(article: CorpusArticle, event: EventSpec, rng: random.Random) -> str:
    story, outlet = article.story, article.outlet
    caption, credit = _caption(event, rng)
    paragraphs = "\n".join(f'<p data-para="{i}">{_t(p)}</p>' for i, p in enumerate(_paragraphs(article)))
    links = "".join(f'<p class="read-more">Read more: <a href="{_a(u)}">{_t(t)}</a></p>' for t, u in article.related)
    author = f'<span class="author-name">By {_t(story.byline)}</span>' if story.byline else ""
    return f"""<!doctype html>
<html lang="en-US">
<head>
{_head(article, rng, jsonld=True)}
</head>
<body>
<div id="skip"><a href="#story">Skip to main content</a></div>
<header id="top"><a class="logo" href="/">{_t(outlet.name)}</a>
<ul class="menu">{"".join(f'<li><a href="/news/{s.lower()}/">{s}</a></li>' for s in SECTIONS_NAV[:5])}</ul>
<button class="menu-toggle">Menu</button></header>
<div class="adunit" data-slot="top"><small>{rng.choice(ADS)}</small></div>
<div id="story" class="story-container">
<span class="section-label">{_t(article.section.title())} News</span>
<h1>{_t(story.headline)}</h1>
<div class="meta">{author}<span class="date">{_when(article.published)}</span>
<span class="read-time">{rng.randint(2, 6)} min read</span></div>
{_note(article)}
<div class="media"><img src="https://media.{outlet.host}/photos/{article.id}.jpg" alt="">
<p class="caption">{_t(caption)} ({_t(credit)})</p></div>
<div class="story-body">
{paragraphs}
{_signoff(article)}
</div>
<div class="related-coverage">{links}</div>
<div class="adunit" data-slot="mid"><div>Advertisement</div><div>300x250 Ad</div></div>
<p class="standards">Our Standards: <a href="/trust-principles/">The {_t(outlet.name)} Trust Principles.</a></p>
</div>
<div class="newsletter-cta"><p><strong>{rng.choice(NEWSLETTERS)}</strong> newsletter: the world's top stories,
every weekday. <a href="/newsletters/">Sign up here.</a></p></div>
{_footer(article)}
{_weight(article, rng)}
</body>
</html>
"""


def _div_soup(article: CorpusArticle, event: EventSpec, rng: random.Random) -> str:
    story, outlet = article.story, article.outlet
    caption, credit = _caption(event, rng)
    body = _body_with_inserts(article, rng, read_more=True)
    most_read = "".join(f'<div class="mr-item"><span class="mr-rank">{i + 1}</span><a href="{_a(u)}">{_t(t)}</a></div>'
                        for i, (t, u) in enumerate(article.related[:5]))
    byline = f'<div class="c-byline">By {_t(story.byline)}</div>' if story.byline else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{_head(article, rng, jsonld=rng.random() < 0.5)}
</head>
<body>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience and to show you
relevant advertising. <button>Accept all</button> <button>Manage preferences</button></p></div>
<div class="l-header"><div class="l-logo"><a href="/">{_t(outlet.name)}</a></div>{_nav(rng)}
<div class="l-search"><input placeholder="Search"></div></div>
{_ad(rng)}
<div class="l-container"><div class="l-main">
<div class="c-breadcrumb"><a href="/">Home</a> &rsaquo;
<a href="/{article.section}/">{_t(article.section.title())}</a></div>
<div class="t-headline"><h1>{_t(story.headline)}</h1></div>
{byline}
<div class="c-date">{_when(article.published)} {_clock(article.published)}</div>
{_note(article)}
<div class="c-image"><img src="https://cdn.{outlet.host}/{article.id}.jpg">
<div class="c-caption">{_t(caption)}</div><div class="c-credit">{_t(credit)}</div></div>
<div class="c-text">
{body}
{_signoff(article)}
</div>
<div class="c-appeal"><p>{rng.choice(APPEALS)}</p><a class="btn" href="/support/">Support us</a></div>
<div class="c-share">{SHARE}</div>
<div class="c-comments"><h3>Comments ({rng.randint(0, 400)})</h3><p>Join the conversation. Please read our
community guidelines before commenting.</p></div>
</div>
<div class="l-sidebar"><div class="c-most-read"><h3>Most read</h3>{most_read}</div>{_ad(rng)}</div></div>
{_footer(article)}
{_weight(article, rng)}
</body>
</html>
"""


def _magazine(article: CorpusArticle, event: EventSpec, rng: random.Random) -> str:
    story, outlet = article.story, article.outlet
    caption, credit = _caption(event, rng)
    related = article.related
    video = (f'<div class="video-widget"><p class="video-label">Watch: {_t(related[0][0])}</p>'
             '<button class="play">Play video</button><span class="duration">2:14</span></div>') if related else ""
    tags = ", ".join(f'<a href="/topics/{t.lower().replace(" ", "-")}/">{_t(t)}</a>'
                     for t in (event.country.name, event.city.name, article.section.title()))
    bio = (f'<div class="author-bio"><p>{_t(story.byline)} is a correspondent for {_t(outlet.name)}. '
           'Follow on social media for updates.</p></div>') if story.byline and not article.outlet.agency else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
{_head(article, rng, jsonld=True)}
</head>
<body>
<header class="masthead"><a class="brand" href="/">{_t(outlet.name)}</a>{_nav(rng)}</header>
<article itemscope itemtype="https://schema.org/NewsArticle">
<header class="article-header">
<h1 itemprop="headline">{_t(story.headline)}</h1>
<div class="byline-block">{f'<span itemprop="author">{_t(story.byline)}</span>' if story.byline else ""}
<time itemprop="datePublished" datetime="{article.published.isoformat()}">{_when(article.published)}</time></div>
{_note(article)}
</header>
<figure><img src="https://images.{outlet.host}/{article.id}/hero.jpg" alt="">
<figcaption>{_t(caption)} &middot; {_t(credit)}</figcaption></figure>
<section itemprop="articleBody" class="article-body">
{_body_with_inserts(article, rng, read_more=False)}
{_signoff(article)}
</section>
{video}
<footer class="article-footer"><p class="topics">Topics: {tags}</p>{bio}</footer>
</article>
{_related_list(article, "You may also like")}
<div class="appeal"><h3>A message from {_t(outlet.name)}</h3><p>{rng.choice(APPEALS)}</p></div>
{_footer(article)}
{_weight(article, rng)}
</body>
</html>
"""


def _legacy(article: CorpusArticle, event: EventSpec, rng: random.Random) -> str:
    story, outlet = article.story, article.outlet
    latest = "".join(f'<li><a href="{_a(u)}">{_t(t)}</a></li>' for t, u in article.related)
    paragraphs = "\n".join(f"<p>{_t(p)}</p>" for p in _paragraphs(article))
    by = f'<div class="author">by {_t(story.byline)}</div>' if story.byline else ""
    return f"""<html>
<head>
{_head(article, rng, jsonld=False)}
</head>
<body>
<div id="wrapper">
<div id="header"><h3><a href="/">{_t(outlet.name)}</a></h3><div class="tagline">News you can trust since 1921</div>
<div id="menu"><a href="/">Home</a> | <a href="/news/">News</a> | <a href="/sport/">Sport</a> |
<a href="/contact/">Contact</a></div></div>
<div id="content">
<div class="printbar"><a href="#">Print</a> | <a href="#">Email</a> | <a href="#">Larger text</a></div>
<h2 class="title">{_t(story.headline)}</h2>
<div class="date">{article.published:%d/%m/%Y} {_clock(article.published)}</div>
{by}
{_note(article)}
<div class="entry">
{paragraphs}
{_signoff(article)}
</div>
<div class="filed">Filed under: <a href="/{article.section}/">{_t(article.section.title())}</a></div>
</div>
<div id="sidebar"><h4>Latest news</h4><ul>{latest}</ul>
<div class="banner">{rng.choice(ADS)}</div></div>
<div id="footer">Copyright &copy; {article.published.year} {_t(outlet.name)}.
Reproduction without permission prohibited.</div>
</div>
{_weight(article, rng)}
</body>
</html>
"""


LAYOUTS: tuple[Callable[[CorpusArticle, EventSpec, random.Random], str], ...] = (
    _classic, _agency, _div_soup, _magazine, _legacy)


def render_page(article: CorpusArticle, event: EventSpec) -> str:
    """The article's page as its outlet serves it (pure: the same article, the same bytes)."""
    rng = random.Random(f"newsdesk-corpus-page:{article.id}:{article.version}")
    return LAYOUTS[article.outlet.layout](article, event, rng)
