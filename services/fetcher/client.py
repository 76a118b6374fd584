"""The one HTTP client every source and page fetch goes through.

It owns politeness (robots.txt, per-host concurrency and spacing), retries with exponential
backoff and jitter, Retry-After, manual redirects (each hop re-checked by the SSRF guard and
robots.txt), timeouts, the size cap and the content-type allow-list.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookiejar import Cookie, CookieJar
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsdesk.fetcher import netguard
from newsdesk.fetcher.body import media_type, read_capped
from newsdesk.fetcher.config import HttpSettings
from newsdesk.fetcher.errors import FetchError
from newsdesk.fetcher.metrics import JsonLog, Metrics
from newsdesk.fetcher.robots import RobotsCache

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class Response:
    url: str  # final URL, after redirects
    status: int
    headers: httpx.Headers
    body: bytes  # decompressed
    elapsed: float

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class HostGate:
    """At most `concurrency` requests in flight to one host, started at least `delay` apart."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.sem = asyncio.Semaphore(concurrency)
        self.delay = delay
        self.next_at = 0.0
        self.lock = asyncio.Lock()

    async def __aenter__(self) -> None:
        await self.sem.acquire()
        if self.delay <= 0:
            return
        async with self.lock:
            now = time.monotonic()
            wait = self.next_at - now
            self.next_at = max(now, self.next_at) + self.delay
        if wait > 0:
            await asyncio.sleep(wait)

    async def __aexit__(self, *exc: object) -> None:
        self.sem.release()

    def hold_off(self, seconds: float) -> None:
        """The host asked us to wait (Retry-After): nobody starts a request to it before then."""
        self.next_at = max(self.next_at, time.monotonic() + seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with a connection pool whose sockets pass the SSRF guard."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        # httpx has no public way to pass a network backend; the pool is rebuilt with the same
        # settings (if this attribute ever disappears, the pre-request check still applies).
        if hasattr(self, "_pool"):
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=httpx.create_ssl_context(),
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=netguard.GuardedBackend(),
            )


class NoCookies(CookieJar):
    """Keeps no cookies: a long-running fetcher's jar would grow with every site it visits,
    and one site's session must not follow us to another fetch."""

    def set_cookie(self, cookie: Cookie) -> None:
        pass

    def extract_cookies(self, response: object, request: object) -> None:
        pass

    def add_cookie_header(self, request: object) -> None:
        pass


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class HttpClient:
    def __init__(self, settings: HttpSettings, metrics: Metrics | None = None,
                 log: JsonLog | None = None) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.log = log or JsonLog(quiet=True)
        self.networks = netguard.parse_networks(settings.allow_networks)
        limits = httpx.Limits(max_connections=settings.max_connections,
                              max_keepalive_connections=settings.max_connections)
        self.client = httpx.AsyncClient(
            transport=GuardedTransport(limits),
            timeout=httpx.Timeout(connect=settings.connect_timeout, read=settings.read_timeout,
                                  write=settings.read_timeout, pool=settings.total_timeout),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,
            cookies=NoCookies(),
        )
        self.gates: dict[str, HostGate] = {}
        self.robots = RobotsCache(self._get_robots, settings.user_agent, settings.robots_ttl)

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, t: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    def gate(self, host: str) -> HostGate:
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = HostGate(self.settings.per_host_concurrency, self.settings.per_host_delay)
        return gate

    async def _get_robots(self, url: str) -> tuple[int, str]:
        resp = await self.get(url, robots=False, accept=None, raise_for_status=False,
                              allow_private=self._robots_private.get())
        return resp.status, resp.body[:512 * 1024].decode("utf-8", errors="replace")

    _robots_private = netguard.contextvars.ContextVar("robots_private", default=False)

    async def get(self, url: str, *, headers: dict[str, str] | None = None, allow_private: bool = False,
                  accept: Collection[str] | None = None, robots: bool = True,
                  raise_for_status: bool = True) -> Response:
        """GET with every guard; raises FetchError. A 304 comes back as a Response."""
        nets = netguard.EVERYTHING if allow_private else self.networks
        token = netguard.allowed_networks.set(nets)
        rtoken = self._robots_private.set(allow_private)
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                return await self._follow(url, headers or {}, accept, robots, raise_for_status)
        except TimeoutError:
            raise FetchError("timeout", f"gave up after {self.settings.total_timeout:g} s") from None
        finally:
            netguard.allowed_networks.reset(token)
            self._robots_private.reset(rtoken)

    async def _follow(self, url: str, headers: dict[str, str], accept: Collection[str] | None,
                      robots: bool, raise_for_status: bool) -> Response:
        visited: set[str] = set()
        for _hop in range(self.settings.max_redirects + 1):
            visited.add(url)
            try:
                parts = urlsplit(url)
                port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                raise FetchError("bad_url", f"not a valid URL: {url!r}") from None
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError("bad_url", f"not an http(s) URL: {url!r}")
            host = parts.hostname.lower()
            await netguard.check_host(host, port, netguard.allowed_networks.get())
            gate = self.gate(parts.netloc.lower())
            if robots and self.settings.respect_robots:
                ok, delay = await self.robots.allowed(url)
                if not ok:
                    self.metrics.inc("skipped_robots")
                    raise FetchError("robots", f"robots.txt disallows {url}")
                if delay is not None:
                    gate.delay = max(self.settings.per_host_delay, min(delay, self.settings.max_crawl_delay))
            resp = await self._with_retries(url, host, gate, headers, accept)
            if resp.status in REDIRECTS:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError("http_status", f"redirect without Location from {url}", resp.status)
                url = urljoin(url, location.strip())
                if url in visited:
                    raise FetchError("redirect_loop", f"redirect loop back to {url}", resp.status)
                continue
            if raise_for_status and resp.status >= 400:
                raise FetchError("http_status", f"HTTP {resp.status} from {url}", resp.status)
            return resp
        raise FetchError("too_many_redirects", f"more than {self.settings.max_redirects} redirects")

    async def _with_retries(self, url: str, host: str, gate: HostGate, headers: dict[str, str],
                            accept: Collection[str] | None) -> Response:
        s = self.settings
        for attempt in range(s.retries + 1):
            last = attempt == s.retries
            try:
                async with gate:
                    resp = await self._once(url, host, headers, accept)
            except FetchError as exc:
                if exc.kind not in ("timeout", "connect", "network") or last:
                    raise
                wait = self._backoff(attempt)
                self.log("retry", url=url, reason=exc.kind, wait=round(wait, 2), attempt=attempt + 1)
                await asyncio.sleep(wait)
                continue
            if resp.status not in RETRY_STATUSES or last:
                return resp
            wait = self._backoff(attempt)
            if resp.status in (429, 503):
                after = retry_after_seconds(resp.headers.get("retry-after"))
                if after is not None:
                    if after > s.max_retry_after:
                        gate.hold_off(after)
                        raise FetchError("retry_after", f"{url}: asked to retry after {after:g} s", resp.status)
                    wait = after
                    gate.hold_off(after)
            self.metrics.error(f"http_{resp.status}_retried")
            self.log("retry", url=url, status=resp.status, wait=round(wait, 2), attempt=attempt + 1)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        # full jitter: spreads retries of many clients instead of synchronising them
        cap = min(self.settings.backoff_max, self.settings.backoff_base * (2 ** attempt))
        return random.uniform(cap / 2, cap)

    async def _once(self, url: str, host: str, headers: dict[str, str],
                    accept: Collection[str] | None) -> Response:
        started = time.monotonic()
        try:
            async with self.client.stream("GET", url, headers=headers) as r:
                self.metrics.observe(host, time.monotonic() - started)
                body = b""
                if r.status_code == 200 and accept is not None:
                    mtype = media_type(r.headers.get("content-type"))
                    if mtype and mtype not in accept:
                        raise FetchError("content_type", f"{url}: content type {mtype!r} not accepted")
                if r.status_code not in REDIRECTS and r.status_code != 304:
                    length = r.headers.get("content-length")
                    body, wire = await read_capped(
                        r.aiter_raw(), r.headers.get("content-encoding", ""), self.settings.max_bytes,
                        int(length) if length and length.isdigit() else None)
                    self.metrics.inc("bytes", wire)
                return Response(str(r.url), r.status_code, r.headers, body, time.monotonic() - started)
        except httpx.TimeoutException:
            raise FetchError("timeout", f"{url}: timed out") from None
        except httpx.ConnectError as exc:
            raise FetchError("connect", f"{url}: cannot connect: {exc}") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise FetchError("network", f"{url}: {type(exc).__name__}: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError("network", f"{url}: {type(exc).__name__}: {exc}") from None
