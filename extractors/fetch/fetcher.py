"""The polite, defensive crawler: the only module (with its private helpers in extractors/fetch/) that touches the network.

One `Fetcher` per run. `fetch(url)` never raises for a failing URL: it returns a FetchResult whose
`outcome` is a key of models.OUTCOMES and whose `attempts` hold one FetchAttempt per request made
(robots.txt, every redirect hop, every retry) or refused.

Per request, in order (each step can end it with an outcome, before any traffic when it can):
  URL/scheme/domain check -> host back-off -> address check (DNS; private/loopback/link-local/
  reserved refused unless the origin is in allowed_origins) -> robots.txt -> politeness slot ->
  GET (streamed, total deadline, body limit on decompressed bytes) -> redirect/meta-refresh hops get
  the same checks -> retries (exponential back-off with jitter, Retry-After) of the requests whose
  outcome is transient: what ended a request (an HTTP status, through status_outcome; a network
  error) names a row of extractors.outcomes, and that row's retry_in_run decides (a request that used
  up the whole total deadline is deadline_exceeded, stored as timeout: not retried in the run, since a
  drip-feeding server would hold the run for every retry).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

import httpx

from ._body import (
    BodyError, BoundedDecoder, declared_kind, decide_encoding, gunzip_bounded, media_type,
    meta_refresh_target, sniff_binary, sniff_markup,
)
from ._guards import GuardedBackend, Refused, check_address, check_url
from ._hosts import HostSlots, RobotsVerdict, parse_robots
from ..config import FetchSettings
from ..models import FetchAttempt, FetchResult, Validators
from ..outcomes import OUTCOME_TABLE, retried_in_run
from ..urls import host_of, normalize_url, origin_of, UrlRejected

# Defaults that FetchSettings does not carry.
WRITE_TIMEOUT_SECONDS = 10.0
POOL_TIMEOUT_SECONDS = 30.0  # waiting for a connection from httpx's pool
MAX_BACKOFF_SECONDS = 60.0  # one exponential back-off step never waits longer
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB; the rest is ignored
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit (uncompressed)
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"
ACCEPT_ENCODING = "gzip, deflate, br"  # only codings _body can decode in bounded steps
KINDS = ("article", "feed", "sitemap", "robots")
# The outcome of a request that ended with an HTTP error status (>= 400, or < 200), where it is not
# http_error: 429/503 ask us to slow down (rate_limited), these 5xx may pass on a retry (server_error,
# stored as http_error). Whether each is retried is the outcome's retry_in_run.
_STATUS_OUTCOMES = {429: "rate_limited", 503: "rate_limited",
                    **dict.fromkeys((500, 502, 504, 507, 520, 521, 522, 523, 524), "server_error")}


@dataclass(slots=True)
class _Reply:
    """What one HTTP exchange produced (internal)."""

    outcome: str
    status: int | None = None
    error: str | None = None
    body: bytes | None = None
    content_type: str | None = None
    encoding: str | None = None
    location: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    wire_bytes: int = 0


def _now() -> datetime:
    return datetime.now(timezone.utc)


def guarded_transport(settings: FetchSettings) -> httpx.AsyncHTTPTransport:
    """httpx transport whose connections re-check the address they connect to (see _guards)."""
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=max(1, settings.concurrency),
                            max_keepalive_connections=max(1, settings.concurrency)),
        retries=0,
    )
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = GuardedBackend(pool._network_backend, settings.allowed_origins,
                                               settings.connect_to)
    return transport


class Fetcher:
    """One per run; async; polite per host; never raises per URL. Also an async context manager."""

    def __init__(self, settings: FetchSettings, *, allowed_domains: tuple[str, ...],
                 host_blocks: Mapping[str, datetime] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._s = settings
        self._domains = tuple(d.lower().strip(".") for d in allowed_domains)
        self._blocks: dict[str, datetime] = {h.lower(): _aware(t) for h, t in (host_blocks or {}).items()}
        self._global = asyncio.Semaphore(max(1, settings.concurrency))
        self._hosts: dict[str, HostSlots] = {}
        self._robots: dict[str, asyncio.Future[RobotsVerdict]] = {}
        self._client = httpx.AsyncClient(
            transport=transport or guarded_transport(settings),
            follow_redirects=False,
            trust_env=False,  # no proxies from the environment: they would bypass the address checks
            timeout=httpx.Timeout(connect=settings.connect_timeout_seconds, read=settings.read_timeout_seconds,
                                  write=WRITE_TIMEOUT_SECONDS, pool=POOL_TIMEOUT_SECONDS),
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
        )

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def host_blocks(self) -> dict[str, datetime]:
        """Blocked-until (UTC) per host, still in the future: persist it for the next run."""
        now = _now()
        return {h: t for h, t in self._blocks.items() if t > now}

    async def fetch_many(self, items: Iterable[tuple[str, Validators | None]], *, kind: str = "article"
                         ) -> AsyncIterator[FetchResult]:
        """Fetch (url, validators) pairs with at most `concurrency` in flight; yields as they finish."""
        it, pending = iter(items), set()
        try:
            while True:
                for url, validators in it:
                    pending.add(asyncio.create_task(self.fetch(url, kind=kind, validators=validators)))
                    if len(pending) >= max(1, self._s.concurrency):
                        break
                if not pending:
                    return
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    yield task.result()
        finally:
            for task in pending:
                task.cancel()

    async def fetch(self, url: str, *, kind: str = "article", validators: Validators | None = None) -> FetchResult:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        attempts: list[FetchAttempt] = []
        try:
            return await self._follow(url, kind, validators, attempts)
        except Exception as e:  # a bug must not fail the run: record it on the URL
            return _result(url, url, "connection_error", attempts,
                           error=f"internal error: {type(e).__name__}: {e}")

    # --- one URL: hops ------------------------------------------------------------------------------

    async def _follow(self, url: str, kind: str, validators: Validators | None,
                      attempts: list[FetchAttempt]) -> FetchResult:
        current, seen, hops = url, {url}, 0
        while True:
            try:
                await self._check(current, kind, hop=hops > 0, attempts=attempts)
            except Refused as e:
                return _refuse(url, current, e.outcome, str(e), attempts)
            reply = await self._with_retries(current, kind, validators, attempts)
            target = reply.location
            if reply.outcome == "ok" and kind == "article" and target is None:
                target = _meta_refresh(reply.body or b"", current)
                if target is not None:
                    attempts[-1] = replace(attempts[-1], outcome="redirect", error=f"meta refresh to {target}")
            if target is None:
                if reply.outcome == "not_modified" and validators is not None:  # a bare 304 keeps them
                    reply.etag = reply.etag or validators.etag
                    reply.last_modified = reply.last_modified or validators.last_modified
                return _result(url, current, reply.outcome, attempts, reply=reply)
            hops += 1
            if target in seen:
                return _refuse(url, target, "too_many_redirects", f"redirect loop back to {target}", attempts)
            if hops > self._s.max_redirects:
                return _refuse(url, target, "too_many_redirects",
                               f"more than {self._s.max_redirects} redirects", attempts)
            seen.add(target)
            current = target

    async def _check(self, url: str, kind: str, *, hop: bool, attempts: list[FetchAttempt]) -> None:
        """Every check that happens before a request to `url`; raises Refused."""
        check_url(url, self._domains, hop=hop)
        host = host_of(url)
        until = self._blocks.get(host)
        if until is not None and until > _now():
            raise Refused(f"host {host} is backing off until {until.isoformat()}", "host_backoff")
        await check_address(url, self._s.allowed_origins, hop=hop)
        if kind == "robots" or not self._s.respect_robots:
            return
        verdict = await self._robots_for(url, attempts)
        if verdict.unavailable:
            raise Refused(f"robots.txt unavailable: {verdict.unavailable}", "robots_unavailable")
        if not verdict.allows(url, self._s.user_agent):
            raise Refused("robots.txt disallows this path", "robots_disallowed")

    # --- robots.txt ---------------------------------------------------------------------------------

    async def _robots_for(self, url: str, attempts: list[FetchAttempt]) -> RobotsVerdict:
        origin = origin_of(url)
        future = self._robots.get(origin)
        if future is not None:
            return await asyncio.shield(future)
        future = asyncio.get_running_loop().create_future()
        self._robots[origin] = future
        try:
            verdict = await self._fetch_robots(url, attempts)
        except BaseException:
            del self._robots[origin]
            future.cancel()
            raise
        future.set_result(verdict)
        self._host(host_of(url)).raise_delay(verdict.crawl_delay(self._s.user_agent))
        return verdict

    async def _fetch_robots(self, url: str, attempts: list[FetchAttempt]) -> RobotsVerdict:
        robots_url = urljoin(url, "/robots.txt")
        result = await self._follow(robots_url, "robots", None, attempts)
        if result.outcome == "ok":
            return parse_robots(result.body or b"", result.encoding)
        code = result.status_code or 0
        if result.outcome == "http_error" and 400 <= code < 500:  # (a 429 ends rate_limited)
            return RobotsVerdict()  # RFC 9309 "unavailable" (4xx): everything is allowed
        if result.outcome == "too_many_redirects":
            return RobotsVerdict()  # RFC 9309 2.3.1.2: may be treated as unavailable, i.e. 4xx
        # 5xx, 429, timeouts, resets, refused hops: RFC 9309 "unreachable", so nothing is fetched
        return RobotsVerdict(unavailable=f"{result.outcome}: {result.error or code}")

    # --- one hop: retries ---------------------------------------------------------------------------

    async def _with_retries(self, url: str, kind: str, validators: Validators | None,
                            attempts: list[FetchAttempt]) -> _Reply:
        host = host_of(url)
        tries = max(0, self._s.retries) + 1
        for n in range(1, tries + 1):
            started, t0 = _now(), time.monotonic()
            async with self._host(host).slot(self._global):
                reply = await self._exchange(url, kind, validators)
            attempts.append(_attempt(url, started, t0, reply, n))
            if not retried_in_run(reply.outcome):
                return _settled(reply, reply.error, attempts)
            if reply.retry_after is not None and reply.retry_after > self._s.max_retry_after_seconds:
                until = _now() + timedelta(seconds=reply.retry_after)
                self._blocks[host] = max(until, self._blocks.get(host, until))
                return self._give_up(reply, f"Retry-After {reply.retry_after:.0f}s: host blocked until "
                                            f"{until.isoformat(timespec='seconds')}", attempts)
            if n == tries:
                return self._give_up(reply, f"still failing after {tries} attempts", attempts)
            wait = self._backoff(n, reply.retry_after)
            if reply.outcome == "rate_limited":
                self._host(host).defer(wait)  # every request to this host waits, not only this one
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    def _give_up(self, reply: _Reply, why: str, attempts: list[FetchAttempt]) -> _Reply:
        return _settled(reply, f"{reply.error}; {why}" if reply.error else why, attempts)

    def _backoff(self, n: int, retry_after: float | None) -> float:
        base = min(self._s.retry_backoff_seconds * 2 ** (n - 1), MAX_BACKOFF_SECONDS)
        wait = base + random.uniform(0, base / 2)
        return max(wait, retry_after) if retry_after is not None else wait

    def _host(self, host: str) -> HostSlots:
        slots = self._hosts.get(host)
        if slots is None:
            slots = self._hosts[host] = HostSlots(self._s.per_host_concurrency, self._s.per_host_delay_seconds)
        return slots

    # --- one request --------------------------------------------------------------------------------

    async def _exchange(self, url: str, kind: str, validators: Validators | None) -> _Reply:
        headers = {}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        counter = [0]
        deadline = self._s.deadline_seconds
        try:
            async with asyncio.timeout(deadline):
                request = self._client.build_request("GET", url, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    return await self._read(response, url, kind, counter)
                finally:
                    await response.aclose()
        except TimeoutError:
            return _Reply("deadline_exceeded", error=f"no complete response within the {deadline:g}s deadline",
                          wire_bytes=counter[0])
        except httpx.TimeoutException as e:
            return _Reply("timeout", error=f"{type(e).__name__}: {e}".rstrip(": "), wire_bytes=counter[0])
        except (httpx.NetworkError, httpx.RemoteProtocolError) as e:
            return _Reply("network_error", error=f"{type(e).__name__}: {e}".rstrip(": "), wire_bytes=counter[0])
        except httpx.HTTPError as e:  # ours (a local protocol error, ...): repeating it cannot help
            return _Reply("connection_error", error=f"{type(e).__name__}: {e}".rstrip(": "),
                          wire_bytes=counter[0])
        except BodyError as e:
            return _Reply(e.outcome, error=str(e), wire_bytes=counter[0])

    async def _read(self, response: httpx.Response, url: str, kind: str, counter: list[int]) -> _Reply:
        status, h = response.status_code, response.headers
        ct = h.get("content-type")
        common = dict(status=status, content_type=ct, etag=h.get("etag"), last_modified=h.get("last-modified"))
        if status == 304:
            await response.aread()  # no body by definition; reading the end keeps the connection alive
            return _Reply("not_modified", **common)
        if 300 <= status < 400:
            location = h.get("location")
            if not location:
                return _Reply("http_error", error=f"HTTP {status} without a Location header", **common)
            return _Reply("redirect", location=urljoin(url, location.strip()), **common)
        if status >= 400 or status < 200:
            outcome = status_outcome(status)
            retry_after = _retry_after(h.get("retry-after")) if retried_in_run(outcome) else None
            return _Reply(outcome, error=f"HTTP {status}", retry_after=retry_after, **common)
        refusal = _refuse_declared(ct, kind)
        if refusal:
            return _Reply("not_html", error=refusal, **common)
        limit = _limit(kind, self._s.max_bytes)
        declared = _int(h.get("content-length"))
        if declared is not None and declared > limit and kind != "robots":
            return _Reply("too_large", error=f"Content-Length {declared} is over the {limit}-byte limit", **common)
        try:
            body = await _read_body(response, limit, truncate=kind == "robots", counter=counter)
            return _judge_body(body, kind, limit, common, counter[0])
        except BodyError as e:
            return _Reply(e.outcome, error=str(e), wire_bytes=counter[0], **common)


# --- helpers (pure) -------------------------------------------------------------------------------------


async def _read_body(response: httpx.Response, limit: int, *, truncate: bool, counter: list[int]) -> bytes:
    decoder, chunks, size = BoundedDecoder(response.headers.get("content-encoding")), [], 0

    def take(pieces) -> bool:
        nonlocal size
        for piece in pieces:
            size += len(piece)
            chunks.append(piece)
            if size > limit:
                if truncate:
                    return False
                raise BodyError(f"body over the {limit}-byte limit (decompressed)", "too_large")
        return True

    async for raw in response.aiter_raw():
        counter[0] += len(raw)
        if not take(decoder.feed(raw)):
            return b"".join(chunks)[:limit]
    take(decoder.finish())
    return b"".join(chunks)[:limit]


def _judge_body(body: bytes, kind: str, limit: int, common: dict, wire: int) -> _Reply:
    ct = common["content_type"]
    if kind in ("feed", "sitemap") and body.startswith(b"\x1f\x8b"):
        body = gunzip_bounded(body, limit)  # sitemap.xml.gz / feed.gz served as a file
    binary = sniff_binary(body[:1024])
    if binary and kind != "robots":
        return _Reply("not_html", error=f"declared {media_type(ct) or 'no type'} but the body is {binary}",
                      wire_bytes=wire, **common)
    if kind == "article":
        declared, sniffed = declared_kind(ct), sniff_markup(body[:1024])
        if declared == "json" or (declared == "unsure" and sniffed not in ("html", "xml")):
            return _Reply("not_html", error=f"declared {media_type(ct) or 'no type'} and the body does not "
                                            "look like HTML/XML", wire_bytes=wire, **common)
    return _Reply("ok", body=body, encoding=decide_encoding(body, ct), wire_bytes=wire, **common)


def _refuse_declared(content_type: str | None, kind: str) -> str | None:
    """A reason to refuse before reading the body, from the declared Content-Type."""
    declared = declared_kind(content_type)
    if kind == "robots" or declared in ("html", "xml", "unsure"):
        return None
    if kind in ("feed", "sitemap") and declared in ("json", "gzip"):
        return None
    return f"content type {media_type(content_type)} is not HTML/XML"


def _limit(kind: str, max_bytes: int) -> int:
    if kind == "robots":
        return ROBOTS_MAX_BYTES
    if kind == "sitemap":
        return max(max_bytes, SITEMAP_MAX_BYTES)
    return max_bytes


def _meta_refresh(body: bytes, current: str) -> str | None:
    target = meta_refresh_target(body)
    if not target:
        return None
    absolute = urljoin(current, target)
    try:
        if normalize_url(absolute) == normalize_url(current):
            return None  # a page that reloads itself is not a redirect
    except UrlRejected:
        pass  # checked (and refused) as a hop
    return absolute


def status_outcome(status: int) -> str:
    """The outcome (a row of extractors.outcomes) of a request that ended with HTTP error `status`."""
    return _STATUS_OUTCOMES.get(status, "http_error")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (_aware(when) - _now()).total_seconds())


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _attempt(url: str, started: datetime, t0: float, reply: _Reply, n: int) -> FetchAttempt:
    """The `fetches` row of request `n` (a retried one says its outcome's attempt_name)."""
    return FetchAttempt(url=url, fetched_at=started, outcome=OUTCOME_TABLE[reply.outcome].attempt_name,
                        status_code=reply.status, error=reply.error,
                        elapsed_ms=int((time.monotonic() - t0) * 1000), bytes=reply.wire_bytes, attempt=n)


def _settled(reply: _Reply, error: str | None, attempts: list[FetchAttempt]) -> _Reply:
    """The last reply of a hop as the URL keeps it: its outcome's final_name (a stored outcome) and
    `error`, on the last attempt's row too."""
    outcome = OUTCOME_TABLE[reply.outcome].final_name
    if (attempts[-1].outcome, attempts[-1].error) != (outcome, error):
        attempts[-1] = replace(attempts[-1], outcome=outcome, error=error)
    if (reply.outcome, reply.error) == (outcome, error):
        return reply
    return replace(reply, outcome=outcome, error=error)


def _refuse(url: str, target: str, outcome: str, error: str, attempts: list[FetchAttempt]) -> FetchResult:
    """A request not made: one attempt row (no traffic) and the result."""
    attempts.append(FetchAttempt(url=target, fetched_at=_now(), outcome=outcome, error=error))
    return _result(url, target, outcome, attempts, error=error)


def _result(url: str, final_url: str, outcome: str, attempts: list[FetchAttempt], *,
            reply: _Reply | None = None, error: str | None = None) -> FetchResult:
    if reply is None:
        return FetchResult(url=url, final_url=final_url, outcome=outcome, error=error, attempts=tuple(attempts))
    return FetchResult(
        url=url, final_url=final_url, outcome=outcome, status_code=reply.status, error=reply.error,
        body=reply.body if outcome == "ok" else None, content_type=reply.content_type,
        encoding=reply.encoding, validators=Validators(etag=reply.etag, last_modified=reply.last_modified),
        attempts=tuple(attempts),
    )


def fetch_one(url: str, settings: FetchSettings, allowed_domains: tuple[str, ...] | None = None, *,
              kind: str = "article", validators: Validators | None = None) -> FetchResult:
    """Fetch one URL with every guard, synchronously (for `themewire extract URL`).

    `allowed_domains` defaults to the URL's own host. Do not call from a running event loop.
    """
    domains = allowed_domains if allowed_domains is not None else tuple(filter(None, [host_of(url)]))

    async def run() -> FetchResult:
        async with Fetcher(settings, allowed_domains=domains) as fetcher:
            return await fetcher.fetch(url, kind=kind, validators=validators)

    return asyncio.run(run())
