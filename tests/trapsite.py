"""A hostile little website on 127.0.0.1: every crawler trap, plus a few good articles.

Use it as a pytest fixture (`trapsite`, function-scoped: a fresh request log and fresh counters per
test) or directly (`with TrapSite() as site: ...`). Import it from tests with `from trapsite import ...`
(pytest puts tests/ on sys.path). Nothing here is stored on disk: big bodies are generated.

    site.url("/article/1")        absolute URL on the site
    site.origin                   "http://127.0.0.1:PORT" (put it in FetchSettings.allowed_origins)
    site.requests()               every request received: list of (path_with_query, headers)
    site.paths()                  just the paths (with query)
    site.max_in_flight            most concurrent requests seen on /polite/* (and site.polite_starts)
    trap_settings(site, **kw)     FetchSettings with tiny timeouts suited to tests
    RecordingTransport(inner)     httpx transport wrapper remembering every request URL that reached it
                                  (pass Fetcher(..., transport=RecordingTransport(guarded_transport(s))))
    site.source(**kw)             a Source over the site (seeds "/", feeds, sitemaps)

Routes: see ROUTES below (path -> what it does); TRAPS maps each trap to its entry URL path.
"""

from __future__ import annotations

import gzip
import random
import socket
import struct
import threading
import time
from dataclasses import replace
from email.utils import formatdate
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import brotli
import httpx
import pytest

from extractors.config import FetchSettings, Source

GOOD_ARTICLES = 5
BIG_SITEMAP_URLS = 60_000
MANY_LINKS = 5_000
HUGE_BODY_BYTES = 200 * 1024 * 1024
BOMB_BYTES = 128 * 1024 * 1024  # decompressed size of the gzip bomb
BR_BOMB_BYTES = 256 * 1024 * 1024  # brotli: 256 MiB of zeros in a few hundred bytes
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)

# Each trap the crawler must survive -> the path a test fetches first.
TRAPS = {
    "slow_body": "/trap/slow-body",
    "no_answer": "/trap/no-answer",
    "reset_mid_body": "/trap/reset",
    "huge_body_no_length": "/trap/huge",
    "content_length_5gb": "/trap/content-length-5gb",
    "gzip_bomb": "/trap/gzip-bomb",
    "brotli_bomb": "/trap/br-bomb",
    "redirect_loop": "/trap/loop/a",
    "redirect_chain_25": "/trap/chain/25",
    "redirect_metadata": "/trap/redirect-metadata",
    "redirect_private": "/trap/redirect-private",
    "redirect_ftp": "/trap/redirect-ftp",
    "redirect_file": "/trap/redirect-file",
    "meta_refresh_metadata": "/trap/meta-refresh-metadata",
    "robots_disallowed": "/private/secret",
    "binary_as_html": "/trap/binary-as-html",
    "pdf_linked": "/files/report.pdf",
    "image_linked": "/files/photo.png",
    "pdf_as_html": "/trap/pdf-as-html",
    "windows_1252_meta": "/trap/windows-1252",
    "invalid_utf8": "/trap/invalid-utf8",
    "retry_after_429": "/trap/429",
    "flaky_503": "/trap/flaky-503",
    "duplicate_urls": "/trap/duplicates",
    "infinite_calendar": "/calendar/2024/05",
    "truncated_feed": "/feed/truncated.xml",
    "entity_bomb_feed": "/feed/bomb.xml",
    "sitemap_index_self": "/sitemap_index.xml",
    "big_sitemap": "/sitemap-big.xml",
    "many_links": "/trap/many-links",
    "other_hosts": "/trap/other-hosts",
}

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\n"


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps the real (guarded) transport and remembers every request that reached it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.urls = inner, []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def hosts(self) -> set[str]:
        return {httpx.URL(u).host for u in self.urls}


def trap_settings(site: "TrapSite", **changes) -> FetchSettings:
    """FetchSettings for tests: the site's origin allowed, tiny timeouts, no politeness delay."""
    base = FetchSettings(
        user_agent="themewire-test/0.1 (+https://themewire.example/bot)",
        per_host_delay_seconds=0.0, per_host_concurrency=4, concurrency=8,
        connect_timeout_seconds=1.0, read_timeout_seconds=1.0, deadline_seconds=2.0,
        max_bytes=1024 * 1024, max_redirects=10, retries=2, max_retry_after_seconds=5.0,
        retry_backoff_seconds=0.01, allowed_origins=(site.origin,),
    )
    return replace(base, **changes)


# --- bodies ----------------------------------------------------------------------------------------------


def article_html(n: int, *, canonical: str | None = None, extra_head: str = "") -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paras = "".join(
        f"<p>Paragraph {i} of article {n}: people talk with AI companions late at night, and the "
        f"researchers who study them write down what the conversations change.</p>" for i in range(6))
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Article {n}</title>{link}{extra_head}"
            f"</head><body><article><h1>Article {n}</h1>{paras}</article></body></html>").encode()


def page_html(title: str, links: list[str], head: str = "") -> bytes:
    items = "".join(f'<li><a href="{u}">{u}</a></li>' for u in links)
    return f"<!doctype html><html><head><title>{title}</title>{head}</head><body><ul>{items}</ul></body></html>".encode()


def _pub(n: int) -> str:
    return formatdate(1_700_000_000 + n * 86_400, usegmt=True)


def rss_feed(origin: str, numbers: range | list[int]) -> bytes:
    items = "".join(
        f"<item><title>Article {n}</title><link>{origin}/article/{n}?utm_source=rss</link>"
        f"<pubDate>{_pub(n)}</pubDate></item>" for n in numbers)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Trap</title>'
            f"<link>{origin}/</link>{items}</channel></rss>").encode()


def atom_feed(origin: str) -> bytes:
    entries = "".join(
        f'<entry><title>Article {n}</title><link rel="alternate" href="{origin}/article/{n}"/>'
        f"<id>urn:a:{n}</id><updated>2023-11-2{n}T10:00:00Z</updated>"
        f"<published>2023-11-1{n}T10:00:00Z</published></entry>" for n in range(1, GOOD_ARTICLES + 1))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Trap</title>{entries}</feed>").encode()


def json_feed(origin: str) -> bytes:
    import json
    items = [{"id": str(n), "url": f"{origin}/article/{n}", "title": f"Article {n}",
              "date_published": f"2023-11-1{n}T10:00:00+00:00"} for n in range(1, GOOD_ARTICLES + 1)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Trap", "items": items}).encode()


def truncated_feed(origin: str) -> bytes:
    full = rss_feed(origin, range(1, 7))
    return full[: full.index(b"/article/6")]  # cut inside the 6th item's link


ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
               + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                          for i in range(1, 10))
               + b']>\n<rss version="2.0"><channel><title>&lol9;</title>'
                 b"<item><title>&lol9;</title><link>http://x.test/&lol9;</link></item></channel></rss>")


def news_sitemap(origin: str) -> bytes:
    urls = "".join(
        f"<url><loc>{origin}/article/{n}</loc><lastmod>2023-12-0{n}</lastmod>"
        f"<news:news><news:publication><news:name>Trap</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>2023-11-1{n}T10:00:00Z</news:publication_date>"
        f"<news:title>Article {n}</news:title></news:news></url>" for n in range(1, GOOD_ARTICLES + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>").encode()


def sitemap_index(origin: str) -> bytes:
    children = "".join(f"<sitemap><loc>{origin}{p}</loc></sitemap>"
                       for p in ("/sitemap_index.xml", "/sitemap.xml", "/sitemap-big.xml"))
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + children + "</sitemapindex>").encode()


def big_sitemap(origin: str) -> bytes:
    urls = "".join(f"<url><loc>{origin}/big/{n}</loc></url>" for n in range(BIG_SITEMAP_URLS))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + urls + "</urlset>").encode()


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """BOMB_BYTES of zeros, gzip-compressed once per process (~130 KB on the wire)."""
    c = gzip.zlib.compressobj(9, gzip.zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([c.compress(block) for _ in range(BOMB_BYTES >> 20)] + [c.flush()])


@lru_cache(maxsize=1)
def brotli_bomb() -> bytes:
    c, block = brotli.Compressor(quality=1), b"\0" * (1 << 20)
    return b"".join([c.process(block) for _ in range(BR_BOMB_BYTES >> 20)] + [c.finish()])


def binary_junk() -> bytes:
    rng = random.Random(3)
    return bytes(rng.randrange(256) for _ in range(4096))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + bytes(17)
WINDOWS_1252 = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
                "<title>Caf\u00e9</title></head><body><p>\u201cQuoted\u201d caf\u00e9 text \u2014 "
                "with a dash.</p></body></html>").encode("cp1252")
INVALID_UTF8 = (b'<!doctype html><html><head><title>Broken</title></head><body><p>caf\xc3 broken \xff\xfe '
                b"bytes in the middle, \xe2\x82 and more text after them.</p></body></html>")


# --- the server ------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format, *args) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        site = self.server.site
        site._record(self.path, dict(self.headers))
        try:
            site._route(self)
        except OSError:  # the client hung up: that is what traps are for
            self.close_connection = True

    # helpers used by routes
    def send(self, status: int, body: bytes = b"", ctype: str | None = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", headers={"Location": location})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    site: "TrapSite"

    def handle_error(self, request, client_address) -> None:
        pass  # clients hanging up on traps is the point


class TrapSite:
    def __init__(self, *, robots: str | None = DEFAULT_ROBOTS, robots_status: int = 200) -> None:
        self.robots, self.robots_status = robots, robots_status
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self.port = self._server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._log: list[tuple[str, dict[str, str]]] = []
        self._counts: dict[str, int] = {}
        self.in_flight = self.max_in_flight = 0
        self.polite_starts: list[float] = []
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="trapsite",
                                        daemon=True)

    def start(self) -> "TrapSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> "TrapSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return self.origin + path

    def requests(self) -> list[tuple[str, dict[str, str]]]:
        with self._lock:
            return list(self._log)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests()]

    def source(self, **changes) -> Source:
        base = Source(name="trap", seeds=(self.url("/"),), feeds=(self.url("/feed.xml"),),
                      sitemaps=(self.url("/sitemap.xml"),), max_pages_per_run=50)
        return replace(base, **changes)

    def _record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self._log.append((path, headers))

    def _count(self, path: str) -> int:
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1
            return self._counts[path]

    # --- routing ---------------------------------------------------------------------------------------

    def _route(self, h: _Handler) -> None:
        path = urlsplit(h.path).path
        o = self.origin
        if path == "/robots.txt":
            if self.robots is None:
                return h.send(404, b"not found", "text/plain")
            return h.send(self.robots_status, self.robots.encode(), "text/plain")
        if path == "/":
            head = (f'<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
                    f'<link rel="alternate" type="application/atom+xml" href="{o}/atom.xml">'
                    f'<link rel="alternate" type="application/feed+json" href="/feed.json">'
                    f'<link rel="alternate" type="application/rss+xml" href="http://other.test/feed.xml">')
            return h.send(200, page_html("Home", [f"/article/{n}" for n in range(1, GOOD_ARTICLES + 1)], head))
        if path.startswith("/article/"):
            return self._article(h, path)
        simple = _SIMPLE.get(path)
        if simple is not None:
            status, ctype, body = simple(o)
            return h.send(status, body, ctype)
        redirect = _REDIRECTS.get(path)
        if redirect is not None:
            return h.redirect(redirect.replace("{o}", o))
        if path.startswith("/trap/chain/"):
            n = int(path.rsplit("/", 1)[1])
            return h.redirect(f"/trap/chain/{n - 1}") if n > 0 else h.send(200, article_html(99))
        if path.startswith("/polite/"):
            return self._polite(h)
        if path.startswith("/calendar/"):
            return h.send(200, _calendar(path))
        handler = getattr(self, "_" + path.strip("/").replace("/", "_").replace("-", "_").replace(".", "_"), None)
        if handler is not None:
            return handler(h)
        return h.send(404, b"<html><body>not found</body></html>")

    def _polite(self, h: _Handler) -> None:
        """A slowish page that records how many requests were in flight and when each started."""
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.polite_starts.append(time.monotonic())
        try:
            self._stop.wait(0.05)
            h.send(200, article_html(7))
        finally:
            with self._lock:
                self.in_flight -= 1

    def _article(self, h: _Handler, path: str) -> None:
        try:
            n = int(path.rsplit("/", 1)[1])
        except ValueError:
            return h.send(404, b"not found")
        if not 1 <= n <= GOOD_ARTICLES:
            return h.send(404, b"not found")
        etag = f'"article-{n}-v1"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == LAST_MODIFIED:
            h.send_response(304)
            for k, v in validators.items():
                h.send_header(k, v)
            h.send_header("Content-Length", "0")
            return h.end_headers()
        return h.send(200, article_html(n), headers=validators)

    # slow and broken connections
    def _trap_slow_body(self, h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "1000000")
        h.end_headers()
        h.wfile.write(b"<html><body>")
        while not self._stop.wait(0.05):
            h.wfile.write(b"x")

    def _trap_no_answer(self, h: _Handler) -> None:
        self._stop.wait(30)
        h.close_connection = True

    def _trap_reset(self, h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<html><body>" + b"a" * 2000)
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()  # RST
        h.close_connection = True

    def _trap_huge(self, h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"<p>" + b"z" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        while sent < HUGE_BODY_BYTES and not self._stop.is_set():
            h.wfile.write(chunk)
            sent += len(chunk)
        h.close_connection = True

    def _trap_content_length_5gb(self, h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(5 * 1024 ** 3))
        h.end_headers()
        h.wfile.write(b"<html><body>" + b"y" * 65536)
        h.close_connection = True

    def _trap_gzip_bomb(self, h: _Handler) -> None:
        h.send(200, gzip_bomb(), "text/html", {"Content-Encoding": "gzip"})

    def _trap_gzipped(self, h: _Handler) -> None:
        h.send(200, gzip.compress(article_html(45)), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})

    def _trap_brotli(self, h: _Handler) -> None:
        h.send(200, brotli.compress(article_html(46)), "text/html; charset=utf-8", {"Content-Encoding": "br"})

    def _trap_br_bomb(self, h: _Handler) -> None:
        h.send(200, brotli_bomb(), "text/html", {"Content-Encoding": "br"})

    # flaky but fine in the end
    def _trap_429(self, h: _Handler) -> None:
        if self._count("/trap/429") == 1:
            return h.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
        return h.send(200, article_html(42))

    def _trap_429_long(self, h: _Handler) -> None:
        return h.send(429, b"come back tomorrow", "text/plain", {"Retry-After": "3600"})

    def _trap_flaky_503(self, h: _Handler) -> None:
        if self._count("/trap/flaky-503") % 2 == 1:
            return h.send(503, b"busy", "text/plain")
        return h.send(200, article_html(43))

    def _trap_always_503(self, h: _Handler) -> None:
        return h.send(503, b"down", "text/plain")

    def _trap_duplicate(self, h: _Handler) -> None:
        return h.send(200, article_html(44, canonical=self.url("/trap/duplicate")))

    def _trap_duplicate_amp(self, h: _Handler) -> None:
        return h.send(200, article_html(44, canonical=self.url("/trap/duplicate")))


def _calendar(path: str) -> bytes:
    """An infinite calendar: every month links its neighbours and its days; every day its neighbours."""
    parts = [int(p) for p in path.split("/")[2:] if p.isdigit()]
    year, month = (parts + [2024, 5])[:2]
    prev_m = f"/calendar/{year - (month == 1)}/{12 if month == 1 else month - 1:02d}"
    next_m = f"/calendar/{year + (month == 12)}/{1 if month == 12 else month + 1:02d}"
    links = [prev_m, next_m] + [f"/calendar/{year}/{month:02d}/{d:02d}" for d in range(1, 29)]
    return page_html(f"Calendar {year}-{month:02d}", links)


# path -> origin -> (status, content type, body)
_SIMPLE = {
    "/feed.xml": lambda o: (200, "application/rss+xml", rss_feed(o, range(1, GOOD_ARTICLES + 1))),
    "/atom.xml": lambda o: (200, "application/atom+xml", atom_feed(o)),
    "/feed.json": lambda o: (200, "application/feed+json", json_feed(o)),
    "/feed/truncated.xml": lambda o: (200, "application/rss+xml", truncated_feed(o)),
    "/feed/bomb.xml": lambda o: (200, "application/rss+xml", ENTITY_BOMB),
    "/sitemap.xml": lambda o: (200, "application/xml", news_sitemap(o)),
    "/sitemap.xml.gz": lambda o: (200, "application/x-gzip", gzip.compress(news_sitemap(o))),
    "/sitemap_index.xml": lambda o: (200, "application/xml", sitemap_index(o)),
    "/sitemap-big.xml": lambda o: (200, "application/xml", big_sitemap(o)),
    "/private/secret": lambda o: (200, "text/html", article_html(66)),
    "/trap/binary-as-html": lambda o: (200, "text/html", binary_junk()),
    "/files/report.pdf": lambda o: (200, "application/pdf", PDF),
    "/files/photo.png": lambda o: (200, "image/png", PNG),
    "/trap/pdf-as-html": lambda o: (200, "text/html; charset=utf-8", PDF),
    "/trap/windows-1252": lambda o: (200, "text/html", WINDOWS_1252),
    "/trap/invalid-utf8": lambda o: (200, "text/html; charset=utf-8", INVALID_UTF8),
    "/trap/meta-refresh": lambda o: (200, "text/html", b'<html><head><meta http-equiv="refresh" '
                                     b'content="0; url=/article/1"></head><body>moved</body></html>'),
    "/trap/meta-refresh-metadata": lambda o: (200, "text/html", b'<html><head><meta http-equiv="refresh" '
                                              b'content="0;URL=\'http://169.254.169.254/latest/meta-data/\'">'
                                              b"</head><body>moved</body></html>"),
    "/trap/duplicates": lambda o: (200, "text/html", page_html("Duplicates", [
        "/trap/duplicate?utm_source=newsletter&utm_medium=email", "/trap/duplicate?fbclid=abc123",
        "/trap/duplicate#comments", "/trap/duplicate?ref=home", "/trap/duplicate-amp",
        "/trap/duplicate"])),
    "/trap/many-links": lambda o: (200, "text/html", page_html("Many", [f"/many/{n}" for n in range(MANY_LINKS)])),
    "/trap/other-hosts": lambda o: (200, "text/html", page_html("Others", [
        "http://other.test/article/1", "https://evil.example/steal", "http://127.0.0.2/x",
        "mailto:someone@site.example", "javascript:alert(1)", "data:text/html,hi", "ftp://127.0.0.1/f",
        "/article/1", "http://" + "a" * 3000 + ".test/"])),
}

_REDIRECTS = {
    "/trap/loop/a": "/trap/loop/b",
    "/trap/loop/b": "{o}/trap/loop/a",
    "/trap/redirect-metadata": "http://169.254.169.254/latest/meta-data/",
    "/trap/redirect-private": "http://10.0.0.1/admin",
    "/trap/redirect-ftp": "ftp://127.0.0.1/pub/file.html",
    "/trap/redirect-file": "file:///etc/passwd",
    "/trap/redirect-article": "/article/2",
    "/trap/redirect-disallowed": "/private/secret",
}


@pytest.fixture
def trapsite():
    """A fresh TrapSite per test (request log and counters start empty)."""
    with TrapSite() as site:
        yield site
