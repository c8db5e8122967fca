"""Where the crawler may go: scheme, domain and address checks for every hop (private to fetch).

`check_url` is pure (scheme, length, domain); `check_address` resolves the host name and refuses
any address that is not globally routable, unless the URL's origin is listed in
FetchSettings.allowed_origins. Both run before any connection is attempted.
`GuardedBackend` repeats the address check at connect time and connects to the checked address,
so a DNS answer that changes between the check and the connection (rebinding) cannot slip through.
FetchSettings.connect_to sends the connections for one HOST:PORT to another socket (the URL, its
checks and its Host header unchanged), as curl's --connect-to does: the demo's fixed origin.
Its connections answer httpcore's keep-alive check themselves (`_PolledStream`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
import socket
from urllib.parse import urlsplit

import httpcore

from ..errors import OutcomeError
from ..urls import UrlRejected, is_allowed_host, normalize_url, origin_of

DNS_TIMEOUT_SECONDS = 5.0


class Refused(OutcomeError):
    """A URL the crawler will not request: Refused(message, outcome)."""


def is_forbidden_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Private, loopback, link-local, reserved, multicast, unspecified, shared or otherwise non-global."""
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return (not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified
            or ip.is_loopback or ip.is_link_local or ip.is_private)


def check_url(url: str, allowed_domains: tuple[str, ...], *, hop: bool = False) -> None:
    """Raise Refused unless `url` is an absolute http(s) URL (as urls.normalize_url accepts it) within
    `allowed_domains`. An empty `allowed_domains` means no domain restriction (addresses are still
    checked). On a redirect hop (`hop=True`) every refusal is `blocked_redirect`.
    """
    try:
        normalize_url(url)
    except UrlRejected as e:
        raise Refused(str(e), "blocked_redirect" if hop else e.outcome) from None
    if allowed_domains and not is_allowed_host(url, allowed_domains):
        raise Refused(f"host {urlsplit(url).hostname} is outside the allowed domains",
                      "blocked_redirect" if hop else "off_domain")


def origin_allowed(url: str, allowed_origins: tuple[str, ...]) -> bool:
    return origin_of(url) in allowed_origins


async def check_address(url: str, allowed_origins: tuple[str, ...], *, hop: bool = False) -> None:
    """Resolve the host of `url`; raise Refused if any address is forbidden (or it does not resolve)."""
    if origin_allowed(url, allowed_origins):
        return
    parts = urlsplit(url)
    outcome = "blocked_redirect" if hop else "blocked_address"
    try:
        addresses = await resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    except OSError as e:
        raise Refused(f"cannot resolve {parts.hostname}: {e}", "connection_error") from None
    bad = [a for a in addresses if is_forbidden_ip(ipaddress.ip_address(a))]
    if bad:
        raise Refused(f"{parts.hostname} resolves to a non-public address ({bad[0]}); if this is your own "
                      f"server, add {origin_hint(url)!r} to fetch.allowed_origins", outcome)


def origin_hint(url: str) -> str:
    """The origin of `url` as one writes it in fetch.allowed_origins ("http://127.0.0.1:8765")."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


async def resolve(host: str, port: int) -> list[str]:
    """All addresses of `host` (an IP literal resolves to itself, without DNS)."""
    host = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(DNS_TIMEOUT_SECONDS):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise OSError(f"DNS lookup timed out after {DNS_TIMEOUT_SECONDS}s") from None
    if not infos:
        raise OSError("no address")
    return sorted({info[4][0] for info in infos})


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that refuses forbidden addresses at connect time."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, allowed_origins: tuple[str, ...],
                 connect_to: tuple[str, ...] = ()) -> None:
        self._inner = inner
        self._allowed_hostports = {(urlsplit(o).hostname, urlsplit(o).port) for o in allowed_origins}
        self._connect_to = {(a, int(p)): (b, int(q)) for a, p, b, q in (c.split(":") for c in connect_to)}

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        key = (host.strip("[]").lower(), port)
        allowed = key in self._allowed_hostports
        host, port = self._connect_to.get(key, (host, port))  # FetchSettings.connect_to: same URL, other socket
        if allowed:
            return _PolledStream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))
        try:
            addresses = await resolve(host, port)
        except OSError as e:
            raise httpcore.ConnectError(f"cannot resolve {host}: {e}") from None
        for a in addresses:
            if is_forbidden_ip(ipaddress.ip_address(a)):
                raise httpcore.ConnectError(f"refused to connect: {host} resolves to {a}")
        return _PolledStream(await self._inner.connect_tcp(addresses[0], port, timeout, local_address,
                                                          socket_options))

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are not used by the crawler")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _PolledStream(httpcore.AsyncNetworkStream):
    """A connection that answers httpcore's "is_readable" with one poll() of its socket.

    httpcore's pool asks every idle connection, on every request, whether the server has closed it
    (is the socket readable?). The anyio stream answers by building all of the socket's attributes
    first, a getpeername() system call among them: ~10% of the fetch CPU per page with 8 keep-alive
    connections (bench/bench_ingest.py; httpcore PR #928 is about the same scan). Everything else
    is the inner stream's."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._sock = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.AsyncNetworkStream:
        return _PolledStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str):
        if info == "is_readable" and self._sock is not None:
            return socket_readable(self._sock)
        return self._inner.get_extra_info(info)


def socket_readable(sock: socket.socket) -> bool:
    """True if a read would not block: data, EOF (the peer closed) or an error; also for a closed socket."""
    fd = sock.fileno()
    if fd == -1:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))
