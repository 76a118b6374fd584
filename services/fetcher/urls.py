"""Article identity: one canonical form per URL, and a stable id derived from it.

Two feeds linking the same story with different tracking tags, letter case in the host or a
fragment must land on the same key, or the seen-set and the Kafka key both split one article
in two.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only say where a click came from, never which page it is.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "ocid", "smid", "mkt_tok",
    "__twitter_impression", "_hsenc", "_hsmi", "hsctatracking", "oly_anon_id", "oly_enc_id",
    "vero_id", "wt_mc", "spm", "s_cid", "at_medium", "at_campaign",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None when it is not one.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters, and
    keeps the remaining query in its order (reordering can change what some servers return).
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def host_allowed(url: str, allowed: list[str] | None) -> bool:
    """True when the URL's host is one of `allowed` or a subdomain of one; None allows all."""
    if not allowed:
        return True
    host = host_of(url)
    return any(host == a or host.endswith("." + a) for a in allowed)


def article_id(canonical: str) -> str:
    """Stable id of an article: the same canonical URL gives the same id on every machine."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


def content_hash(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:24]
