"""The Fetcher against every fetch-side trap (tests/trapsite.py), on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest

from extractors.fetch import Fetcher, fetch_one, guarded_transport
from extractors.models import OUTCOMES, Validators
from extractors.outcomes import OUTCOME_TABLE
from trapsite import TRAPS, RecordingTransport, TrapSite, trap_settings, trapsite  # noqa: F401 (fixture)

FORBIDDEN_HOSTS = {"169.254.169.254", "10.0.0.1", "other.test", "evil.example"}


def run_fetch(settings, url, *, domains=("127.0.0.1",), kind="article", validators=None, host_blocks=None):
    """One fetch with a recording transport: (result, transport, host_blocks after)."""
    transport = RecordingTransport(guarded_transport(settings))

    async def go():
        async with Fetcher(settings, allowed_domains=domains, transport=transport,
                           host_blocks=host_blocks) as fetcher:
            result = await fetcher.fetch(url, kind=kind, validators=validators)
            return result, fetcher.host_blocks()

    result, blocks = asyncio.run(go())
    assert result.outcome in OUTCOMES
    assert result.attempts, "every fetched URL has at least one fetches row"
    assert not (transport.hosts() & FORBIDDEN_HOSTS)
    return result, transport, blocks


@pytest.mark.parametrize("trap, outcome", [
    ("reset_mid_body", "connection_error"),
    ("content_length_5gb", "too_large"),
    ("redirect_loop", "too_many_redirects"),
    ("redirect_chain_25", "too_many_redirects"),
    ("redirect_metadata", "blocked_redirect"),
    ("redirect_private", "blocked_redirect"),
    ("redirect_ftp", "blocked_redirect"),
    ("redirect_file", "blocked_redirect"),
    ("meta_refresh_metadata", "blocked_redirect"),
    ("robots_disallowed", "robots_disallowed"),
    ("binary_as_html", "not_html"),
    ("pdf_linked", "not_html"),
    ("image_linked", "not_html"),
    ("pdf_as_html", "not_html"),
])
def test_trap_ends_with_its_outcome(trapsite, trap, outcome):
    result, transport, _ = run_fetch(trap_settings(trapsite, retries=1), trapsite.url(TRAPS[trap]))
    assert result.outcome == outcome, result
    assert result.body is None and result.error
    assert result.attempts[-1].outcome == outcome
    assert "/private/secret" not in trapsite.paths()


def test_terminal_failures_are_not_retried(trapsite):
    for trap in ("pdf_linked", "binary_as_html", "content_length_5gb"):
        result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url(TRAPS[trap]))
        assert [a.attempt for a in result.attempts if "/robots.txt" not in a.url] == [1]
    assert trapsite.paths().count("/robots.txt") <= 3


def test_redirect_chain_stops_at_the_limit(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite, max_redirects=10), trapsite.url(TRAPS["redirect_chain_25"]))
    hops = [p for p in trapsite.paths() if p.startswith("/trap/chain/")]
    assert len(hops) == 11  # the first request and 10 followed redirects; hop 12 is refused unrequested
    assert result.attempts[-1].error == "more than 10 redirects"


@pytest.mark.parametrize("trap", ["slow_body", "no_answer"])
def test_deadline_and_read_timeout_end_hanging_requests(trapsite, trap):
    settings = trap_settings(trapsite, retries=0, read_timeout_seconds=0.5, deadline_seconds=1.0)
    result, _, _ = run_fetch(settings, trapsite.url(TRAPS[trap]))
    assert result.outcome == "timeout"
    if trap == "slow_body":  # bytes keep coming, so only the total deadline can end it
        assert "deadline" in result.error


def test_a_drip_fed_body_that_hits_the_deadline_is_tried_once_in_the_run(trapsite):
    """Bytes keep coming, so only the total deadline ends it: retrying would hold the run for
    (retries + 1) deadlines. One attempt, recorded as timeout; the URL is due again next run."""
    settings = trap_settings(trapsite, retries=3, read_timeout_seconds=5.0, deadline_seconds=0.6,
                             retry_backoff_seconds=0.01)
    result, _, _ = run_fetch(settings, trapsite.url(TRAPS["slow_body"]))
    tries = [a for a in result.attempts if a.url.endswith("slow-body")]
    assert result.outcome == "timeout" and "0.6s deadline" in result.error
    assert [(a.attempt, a.outcome) for a in tries] == [(1, "timeout")]
    assert trapsite.paths().count(TRAPS["slow_body"]) == 1
    assert OUTCOME_TABLE[result.outcome].retry_next_run


def test_timeouts_are_retried_within_the_bound(trapsite):
    settings = trap_settings(trapsite, retries=1, read_timeout_seconds=0.3, deadline_seconds=0.5)
    result, _, _ = run_fetch(settings, trapsite.url(TRAPS["no_answer"]))
    assert result.outcome == "timeout"
    assert [a.attempt for a in result.attempts if a.url.endswith("no-answer")] == [1, 2]


@pytest.mark.parametrize("trap", ["huge_body_no_length", "gzip_bomb", "brotli_bomb"])
def test_big_and_bomb_bodies_are_cut_with_bounded_memory(trapsite, trap):
    settings = trap_settings(trapsite, max_bytes=1024 * 1024)
    if trap != "huge_body_no_length":
        __import__("trapsite").gzip_bomb() if trap == "gzip_bomb" else __import__("trapsite").brotli_bomb()
    tracemalloc.start()
    try:
        result, _, _ = run_fetch(settings, trapsite.url(TRAPS[trap]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == "too_large"
    assert "decompressed" in result.error
    assert peak < 12 * 1024 * 1024, f"peak {peak} bytes while reading a body capped at 1 MiB"


def test_content_length_over_limit_is_refused_without_reading(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url(TRAPS["content_length_5gb"]))
    assert result.outcome == "too_large" and "Content-Length" in result.error
    assert result.attempts[-1].bytes < 1024 * 1024


def test_redirects_to_private_addresses_are_refused_before_any_connection(trapsite):
    """With no domain restriction the address check itself must stop 169.254.x and 10.x hops."""
    settings = trap_settings(trapsite)
    for trap in ("redirect_metadata", "redirect_private", "meta_refresh_metadata"):
        result, transport, _ = run_fetch(settings, trapsite.url(TRAPS[trap]), domains=())
        assert result.outcome == "blocked_redirect"
        assert "non-public address" in result.error
        assert transport.hosts() == {"127.0.0.1"}


def test_loopback_is_refused_unless_its_origin_is_allowed(trapsite):
    settings = trap_settings(trapsite, allowed_origins=())
    for url in (trapsite.url("/article/1"), "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]:9/", "http://0.0.0.0:9/"):
        result, transport, _ = run_fetch(settings, url, domains=())
        assert result.outcome == "blocked_address", url
        assert transport.urls == []
    assert trapsite.paths() == []  # not even robots.txt


def test_off_domain_and_bad_schemes_are_refused_without_traffic(trapsite):
    settings = trap_settings(trapsite)
    cases = {"http://other.test/article/1": "off_domain", "ftp://127.0.0.1/x": "invalid_url",
             "file:///etc/passwd": "invalid_url", "javascript:alert(1)": "invalid_url",
             "http://127.0.0.1:" + "9" * 6: "invalid_url"}
    for url, outcome in cases.items():
        result, transport, _ = run_fetch(settings, url)
        assert result.outcome == outcome, url
        assert transport.urls == []


def test_guarded_backend_refuses_private_addresses_at_connect_time():
    from extractors.fetch._guards import GuardedBackend
    import httpcore

    class Inner(httpcore.AsyncNetworkBackend):
        calls = []

        async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            self.calls.append((host, port))
            raise AssertionError("must not connect")

    backend = GuardedBackend(Inner(), allowed_origins=())
    for host in ("10.0.0.1", "169.254.169.254", "127.0.0.1", "::1", "localhost"):
        with pytest.raises(httpcore.ConnectError):
            asyncio.run(backend.connect_tcp(host, 80))
    assert Inner.calls == []


def test_robots_disallowed_path_is_never_requested(trapsite):
    run_fetch(trap_settings(trapsite), trapsite.url("/private/secret"))
    assert trapsite.paths() == ["/robots.txt"]


def test_robots_5xx_means_host_unavailable_not_allow_all():
    with TrapSite(robots_status=503) as site:
        settings = trap_settings(site, retries=1)

        async def go():
            async with Fetcher(settings, allowed_domains=("127.0.0.1",)) as f:
                return [await f.fetch(site.url(f"/article/{n}")) for n in (1, 2)]

        first, second = asyncio.run(go())
        assert first.outcome == second.outcome == "robots_unavailable"
        assert site.paths() == ["/robots.txt", "/robots.txt"]  # one try + one retry, then cached
        assert [a.url.endswith("/robots.txt") for a in first.attempts] == [True, True, False]


def test_robots_404_allows_everything_and_crawl_delay_is_read():
    with TrapSite(robots=None) as site:
        result, _, _ = run_fetch(trap_settings(site), site.url("/article/1"))
        assert result.outcome == "ok"
    with TrapSite(robots="User-agent: themewire-test\nCrawl-delay: 1\nDisallow: /article/3\n") as site:
        async def go():
            async with Fetcher(trap_settings(site), allowed_domains=("127.0.0.1",)) as f:
                out = [await f.fetch(site.url(f"/article/{n}")) for n in (1, 3)]
                return out, f._hosts["127.0.0.1"].delay

        (one, three), delay = asyncio.run(go())
        assert (one.outcome, three.outcome) == ("ok", "robots_disallowed")
        assert delay == 1.0


def test_429_with_retry_after_then_200_ends_ok(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url(TRAPS["retry_after_429"]))
    assert result.outcome == "ok" and result.body
    assert [a.status_code for a in result.attempts if a.url.endswith("/trap/429")] == [429, 200]


def test_503_every_other_request_ends_ok(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url(TRAPS["flaky_503"]))
    assert result.outcome == "ok"
    assert [a.status_code for a in result.attempts if a.url.endswith("flaky-503")] == [503, 200]


def test_persistent_503_is_bounded_by_retries(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite, retries=2), trapsite.url("/trap/always-503"))
    assert result.outcome == "rate_limited"
    assert trapsite.paths().count("/trap/always-503") == 3


def test_long_retry_after_blocks_the_host_into_the_next_run(trapsite):
    settings = trap_settings(trapsite, max_retry_after_seconds=5)
    result, _, blocks = run_fetch(settings, trapsite.url("/trap/429-long"))
    assert result.outcome == "rate_limited"
    assert trapsite.paths().count("/trap/429-long") == 1
    until = blocks["127.0.0.1"]
    assert until > datetime.now(timezone.utc) + timedelta(minutes=50)
    before = len(trapsite.paths())
    nxt, transport, blocks2 = run_fetch(settings, trapsite.url("/article/1"), host_blocks=blocks)
    assert nxt.outcome == "host_backoff"
    assert transport.urls == [] and len(trapsite.paths()) == before
    assert blocks2 == blocks


def test_second_fetch_with_validators_gets_304(trapsite):
    first, _, _ = run_fetch(trap_settings(trapsite), trapsite.url("/article/1"))
    assert first.outcome == "ok" and first.validators.etag
    second, _, _ = run_fetch(trap_settings(trapsite), trapsite.url("/article/1"), validators=first.validators)
    assert second.outcome == "not_modified" and second.status_code == 304 and second.body is None
    assert second.validators == first.validators
    sent = [h for p, h in trapsite.requests() if p == "/article/1"][-1]
    assert sent["If-None-Match"] == first.validators.etag
    only_date = Validators(last_modified=first.validators.last_modified)
    third, _, _ = run_fetch(trap_settings(trapsite), trapsite.url("/article/1"), validators=only_date)
    assert third.outcome == "not_modified"


def test_windows_1252_declared_only_in_meta(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url(TRAPS["windows_1252_meta"]))
    assert result.outcome == "ok" and result.encoding == "cp1252"
    assert "\u201cQuoted\u201d caf\u00e9" in result.body.decode(result.encoding)


def test_invalid_utf8_is_fetched_and_decodable(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url(TRAPS["invalid_utf8"]))
    assert result.outcome == "ok" and result.encoding == "utf-8"
    assert "more text after them" in result.body.decode(result.encoding, "replace")


def test_meta_refresh_is_followed_as_a_hop(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url("/trap/meta-refresh"))
    assert result.outcome == "ok" and result.final_url == trapsite.url("/article/1")
    assert [a.outcome for a in result.attempts if "robots" not in a.url] == ["redirect", "ok"]


def test_user_agent_and_every_request_recorded(trapsite):
    settings = trap_settings(trapsite)
    run_fetch(settings, trapsite.url("/trap/redirect-article"))
    assert {h["User-Agent"] for _, h in trapsite.requests()} == {settings.user_agent}
    assert trapsite.paths() == ["/robots.txt", "/trap/redirect-article", "/article/2"]


def test_fetch_many_yields_every_url_once(trapsite):
    urls = [trapsite.url(f"/article/{n}") for n in range(1, 6)] + [trapsite.url(TRAPS["pdf_linked"])]

    async def go():
        async with Fetcher(trap_settings(trapsite, concurrency=3), allowed_domains=("127.0.0.1",)) as f:
            return [r async for r in f.fetch_many([(u, None) for u in urls])]

    results = asyncio.run(go())
    assert sorted(r.url for r in results) == sorted(urls)
    assert sum(r.outcome == "ok" for r in results) == 5
    assert trapsite.paths().count("/robots.txt") == 1


def test_fetch_one_is_a_sync_helper(trapsite):
    result = fetch_one(trapsite.url("/article/2"), trap_settings(trapsite))
    assert result.ok and b"Article 2" in result.body
    assert fetch_one("http://other.test/", trap_settings(trapsite), ("127.0.0.1",)).outcome == "off_domain"


@pytest.mark.parametrize("path, n", [("/trap/gzipped", 45), ("/trap/brotli", 46)])
def test_compressed_articles_are_decoded(trapsite, path, n):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url(path))
    assert result.ok and f"<title>Article {n}</title>".encode() in result.body
    assert result.attempts[-1].bytes < len(result.body)  # bytes counts the wire, not the decoded body


def test_robots_is_checked_on_every_hop(trapsite):
    result, _, _ = run_fetch(trap_settings(trapsite), trapsite.url("/trap/redirect-disallowed"))
    assert result.outcome == "robots_disallowed" and result.final_url == trapsite.url("/private/secret")
    assert trapsite.paths() == ["/robots.txt", "/trap/redirect-disallowed"]
