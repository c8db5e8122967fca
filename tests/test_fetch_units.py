"""Fetch helpers in isolation (pure) and politeness against the trap site."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import time
import zlib
from email.utils import formatdate

import brotli
import pytest

from extractors.fetch._body import (
    DECODE_STEP_BYTES, BodyError, BoundedDecoder, decide_encoding, gunzip_bounded, meta_refresh_target,
    sniff_binary, sniff_markup,
)
from extractors.fetch._guards import Refused, check_url, is_forbidden_ip
from extractors.fetch import Fetcher
from extractors.fetch.fetcher import _retry_after
from trapsite import PDF, PNG, WINDOWS_1252, trap_settings, trapsite  # noqa: F401 (fixture)


@pytest.mark.parametrize("coding, compress", [
    ("gzip", lambda b: gzip.compress(b)),
    ("deflate", lambda b: zlib.compress(b)),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ("br", lambda b: brotli.compress(b)),
    ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
])
def test_bounded_decoder_round_trips_in_small_steps(coding, compress):
    data = b"<p>hello</p>" * 100_000 + bytes(range(256))
    wire = compress(data)
    decoder, pieces = BoundedDecoder(coding), []
    for i in range(0, len(wire), 1000):
        pieces.extend(decoder.feed(wire[i:i + 1000]))
    pieces.extend(decoder.finish())
    assert b"".join(pieces) == data
    assert max(map(len, pieces)) <= 2 * DECODE_STEP_BYTES


def test_bounded_decoder_multi_member_gzip_and_unknown_coding():
    wire = gzip.compress(b"one ") + gzip.compress(b"two")
    d = BoundedDecoder("gzip")
    assert b"".join([*d.feed(wire), *d.finish()]) == b"one two"
    with pytest.raises(BodyError):
        BoundedDecoder("compress")


def test_gunzip_bounded_refuses_a_bomb():
    with pytest.raises(BodyError) as e:
        gunzip_bounded(gzip.compress(b"\0" * 5_000_000), 1_000_000)
    assert e.value.outcome == "too_large"
    assert gunzip_bounded(gzip.compress(b"<urlset/>"), 100) == b"<urlset/>"


@pytest.mark.parametrize("body, header, expected", [
    (b"\xef\xbb\xbf<html>caf\xc3\xa9", None, "utf-8"),
    (b"\xff\xfe<\x00h\x00", "text/html", "utf-16-le"),
    (b"<html>caf\xe9", "text/html; charset=ISO-8859-1", "cp1252"),  # WHATWG: latin-1 means windows-1252
    (b"<html>caf\xc3\xa9", 'text/html; charset="utf-8"', "utf-8"),
    (WINDOWS_1252, "text/html", "cp1252"),
    (b'<?xml version="1.0" encoding="ISO-8859-15"?><rss/>', "application/xml", "iso8859-15"),
    (b'<html><head><meta charset="shift_jis">', None, "shift_jis"),
    (b'<html><head><meta charset="utf-16">', None, "utf-8"),
    (b"<html>plain ascii", "text/html; charset=bogus-charset", "utf-8"),
    ("<html><p>Привет, как дела? Это длинный русский текст о компаньонах.</p>".encode("cp1251") * 20,
     "text/html", "cp1251"),
])
def test_decide_encoding_order(body, header, expected):
    assert decide_encoding(body, header) == expected


def test_sniffing():
    assert sniff_binary(PDF) == "PDF" and sniff_binary(PNG) == "PNG image"
    assert sniff_binary(b"\x00\x01\x02junk") and sniff_binary(bytes(range(1, 32)) * 10)
    assert sniff_binary(b"<!doctype html><html>") is None
    assert sniff_binary(b"\xff\xfe<\x00h\x00") is None  # UTF-16 with a BOM is text
    assert sniff_markup(b"  <!DOCTYPE html>") == "html" and sniff_markup(b"<?xml version='1.0'?>") == "xml"
    assert sniff_markup(b'{"version": 1}') == "json" and sniff_markup(b"just words") is None


@pytest.mark.parametrize("html, target", [
    (b'<meta http-equiv="refresh" content="0; url=/next">', "/next"),
    (b"<META HTTP-EQUIV=Refresh CONTENT=\"5;URL='http://a.test/x'\">", "http://a.test/x"),
    (b'<meta content="0;url=/b" http-equiv="refresh">', "/b"),
    (b'<meta http-equiv="refresh" content="300">', None),
    (b'<meta name="description" content="url=/no">', None),
])
def test_meta_refresh_target(html, target):
    assert meta_refresh_target(b"<html><head>" + html + b"</head></html>") == target


@pytest.mark.parametrize("ip, forbidden", [
    ("127.0.0.1", True), ("10.0.0.1", True), ("169.254.169.254", True), ("192.168.1.1", True),
    ("172.16.0.1", True), ("100.64.0.1", True), ("0.0.0.0", True), ("224.0.0.1", True), ("240.0.0.1", True),
    ("::1", True), ("fe80::1", True), ("fc00::1", True), ("::ffff:10.0.0.1", True), ("::ffff:169.254.169.254", True),
    ("8.8.8.8", False), ("2606:4700::1111", False), ("93.184.216.34", False),
])
def test_forbidden_addresses(ip, forbidden):
    assert is_forbidden_ip(ipaddress.ip_address(ip)) is forbidden


def test_check_url_outcomes():
    with pytest.raises(Refused) as e:
        check_url("http://evil.example/", ("site.example",))
    assert e.value.outcome == "off_domain"
    with pytest.raises(Refused) as e:
        check_url("http://evil.example/", ("site.example",), hop=True)
    assert e.value.outcome == "blocked_redirect"
    check_url("https://news.site.example/a", ("site.example",))
    check_url("https://anything.example/a", ())


def test_retry_after_seconds_and_http_date():
    assert _retry_after("7") == 7.0
    assert 3500 < _retry_after(formatdate(time.time() + 3600, usegmt=True)) <= 3600
    assert _retry_after(formatdate(time.time() - 60, usegmt=True)) == 0.0
    assert _retry_after("soon") is None and _retry_after(None) is None


def test_unknown_kind_is_a_caller_error(trapsite):
    async def go():
        async with Fetcher(trap_settings(trapsite), allowed_domains=()) as f:
            await f.fetch(trapsite.url("/"), kind="video")

    with pytest.raises(ValueError):
        asyncio.run(go())


def test_per_host_concurrency_and_delay_are_respected(trapsite):
    async def go(settings, n):
        async with Fetcher(settings, allowed_domains=("127.0.0.1",)) as f:
            return [r async for r in f.fetch_many([(trapsite.url(f"/polite/{i}"), None) for i in range(n)])]

    results = asyncio.run(go(trap_settings(trapsite, per_host_concurrency=2, concurrency=8, retries=0,
                                           read_timeout_seconds=10.0, deadline_seconds=20.0), 8))
    assert all(r.ok for r in results) and trapsite.max_in_flight == 2
    trapsite.polite_starts.clear()
    # No retries and roomy timeouts: under a loaded machine a retried request would be a fifth start.
    roomy = dict(retries=0, read_timeout_seconds=10.0, deadline_seconds=20.0)
    results = asyncio.run(go(trap_settings(trapsite, per_host_concurrency=4, per_host_delay_seconds=0.1, **roomy), 4))
    starts = trapsite.polite_starts
    assert all(r.ok for r in results) and len(starts) == 4
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.08  # a lower bound: spacing, not speed


def test_gzipped_sitemap_file_is_unpacked(trapsite):
    from extractors.discover import extract_sitemap

    async def go():
        async with Fetcher(trap_settings(trapsite), allowed_domains=("127.0.0.1",)) as f:
            return await f.fetch(trapsite.url("/sitemap.xml.gz"), kind="sitemap")

    result = asyncio.run(go())
    assert result.ok and len(extract_sitemap(result.body, result.final_url).urls) == 5


def test_backoff_doubles_with_jitter_and_honours_retry_after(trapsite):
    fetcher = Fetcher(trap_settings(trapsite, retry_backoff_seconds=1.0), allowed_domains=())
    for n, base in ((1, 1.0), (2, 2.0), (3, 4.0)):
        waits = {fetcher._backoff(n, None) for _ in range(20)}
        assert all(base <= w <= base * 1.5 for w in waits) and len(waits) > 1
    assert fetcher._backoff(1, 30.0) == 30.0
    asyncio.run(fetcher.aclose())


def test_guarded_transport_installs_the_connect_time_check(trapsite):
    from extractors.fetch._guards import GuardedBackend
    from extractors.fetch import guarded_transport

    transport = guarded_transport(trap_settings(trapsite))
    assert isinstance(transport._pool._network_backend, GuardedBackend)  # httpcore 1.0.x internals


def test_socket_readable_sees_data_eof_and_closed_sockets():
    import socket

    from extractors.fetch._guards import socket_readable

    a, b = socket.socketpair()
    assert not socket_readable(a)  # idle: a read would block
    b.sendall(b"x")
    assert socket_readable(a)
    a.recv(1)
    b.close()
    assert socket_readable(a)  # the peer closed: a read returns b"" at once
    a.close()
    assert socket_readable(a)  # fileno() == -1


def test_a_keep_alive_connection_the_server_closed_is_not_reused():
    """The server answers keep-alive (no "Connection: close") and then closes the socket while it is
    idle in the pool: the next request must see that (is_readable) and open a new connection, not
    send into the dead one and need a retry."""
    import socket
    import threading

    from extractors.config import FetchSettings

    listener = socket.create_server(("127.0.0.1", 0))
    origin = f"http://127.0.0.1:{listener.getsockname()[1]}"
    accepted = []

    def serve():
        for _ in range(2):
            conn, _ = listener.accept()
            accepted.append(conn)
            conn.recv(65536)
            body = b"<html><body><p>hello</p></body></html>"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s"
                         % (len(body), body))
            conn.close()  # idle close, unannounced

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings = FetchSettings(per_host_delay_seconds=0.0, retries=2, retry_backoff_seconds=0.01,
                             connect_timeout_seconds=2.0, read_timeout_seconds=2.0, deadline_seconds=5.0,
                             allowed_origins=(origin,), respect_robots=False)

    async def go():
        async with Fetcher(settings, allowed_domains=("127.0.0.1",)) as f:
            first = await f.fetch(origin + "/a")
            await asyncio.sleep(0.2)  # the FIN arrives while the connection is idle in the pool
            return first, await f.fetch(origin + "/b")

    try:
        first, second = asyncio.run(go())
    finally:
        listener.close()
    thread.join(5)
    assert first.ok and second.ok
    assert [a.outcome for a in second.attempts] == ["ok"]  # no failed send into the closed connection
    assert len(accepted) == 2
