"""SSRF guard: refuse private, loopback, link-local (cloud metadata) and other non-public
addresses, judged on the addresses DNS actually returns, unless explicitly allowed.

The check runs twice: before a request (so a refused URL costs no connection) and inside the
connection itself (`GuardedBackend`), on the very address the socket connects to, so a DNS
answer that changes between the two (rebinding) cannot slip through.
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import socket
import time
from collections.abc import Iterable
from typing import Any

import httpcore

from newsdesk.fetcher.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Networks allowed for the request running in this task (set per request by the client).
allowed_networks: contextvars.ContextVar[tuple[Network, ...]] = contextvars.ContextVar(
    "allowed_networks", default=())

EVERYTHING: tuple[Network, ...] = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


def is_public(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def check_address(address: str, allowed: tuple[Network, ...]) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if is_public(ip) or any(ip in net for net in allowed if net.version == ip.version):
        return
    raise FetchError("ssrf", f"refused non-public address {ip} (allow it for the source to fetch it)")


#: Pre-check answers, kept briefly: the check that matters runs at connect time anyway.
_cache: dict[tuple[str, int], tuple[float, list[str]]] = {}
CACHE_SECONDS = 60.0


async def resolve(host: str, port: int, cached: bool = False) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    now = time.monotonic()
    hit = _cache.get((host, port)) if cached else None
    if hit is not None and hit[0] > now:
        return hit[1]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError("dns", f"cannot resolve {host}: {exc.strerror}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[(host, port)] = (now + CACHE_SECONDS, addresses)
    return addresses


async def check_host(host: str, port: int, allowed: tuple[Network, ...]) -> None:
    """Raises FetchError('ssrf') when any address of `host` is not allowed."""
    for address in await resolve(host, port, cached=True):
        check_address(address, allowed)


class CachedInfoStream(httpcore.AsyncNetworkStream):
    """Wraps a stream to remember its socket: httpcore asks for it on every pool check of
    every connection, and anyio builds a fresh dict of attributes for each answer."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self.inner = inner
        self.info: dict[str, Any] = {}

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return CachedInfoStream(await self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info not in self.info:
            self.info[info] = self.inner.get_extra_info(info)
        return self.info[info]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself and connects only to an address that passes the guard."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None,
                          ) -> httpcore.AsyncNetworkStream:
        allowed = allowed_networks.get()
        try:
            addresses = await resolve(host, port)
        except FetchError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        for address in addresses:
            check_address(address, allowed)  # FetchError passes through httpx untouched
        last: Exception | None = None
        for address in addresses:
            try:
                return CachedInfoStream(await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
