"""The sample site's HTTP server: the static pages with validators, conditional GETs and extra routes.

Every file is served with a strong ETag and a Last-Modified date and answers conditional GETs with 304.
Text bodies have the token `{{BASE}}` replaced by the base URL at serve time. Built-in extra routes:
/errors/404, /errors/500 and /errors/slow (waits `slow_seconds`, then 200); tests add their own with
`routes={"/path": callable(handler)}`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from ._data import BASE_TOKEN, load_site_files

# One fixed modification time for every file, so validators are stable across restarts and installs.
SITE_LAST_MODIFIED = datetime(2026, 10, 30, 12, 0, 0, tzinfo=timezone.utc)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
}
_SPECIAL_TYPES = {"/feed.xml": "application/rss+xml"}
_TEXT_SUFFIXES = (".html", ".xml", ".txt", ".json", ".css", ".toml")

Route = Callable[[BaseHTTPRequestHandler], None]


def content_type_for(path: str) -> str:
    if path in _SPECIAL_TYPES:
        return _SPECIAL_TYPES[path]
    dot = path.rfind(".")
    return _TYPES.get(path[dot:].lower() if dot >= 0 else "", "application/octet-stream")


class _Resource:
    __slots__ = ("body", "content_type", "etag")

    def __init__(self, body: bytes, content_type: str) -> None:
        self.body = body
        self.content_type = content_type
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class SampleSite:
    """A running sample site. Use as a context manager or call stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, routes: Mapping[str, Route] | None = None,
                 slow_seconds: float = 3.0, public_url: str | None = None) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = _LockedList()
        self.slow_seconds = slow_seconds
        self.routes: dict[str, Route] = {
            "/errors/404": lambda h: _send_status(h, 404),
            "/errors/500": lambda h: _send_status(h, 500),
            "/errors/slow": self._slow,
            **(routes or {}),
        }
        self._server = ThreadingHTTPServer((host, port), _make_handler(self))
        self._server.daemon_threads = True
        bound_host, bound_port = self._server.server_address[:2]
        self.served_url = f"http://{bound_host}:{bound_port}"  # where it listens
        self.base_url = (public_url or self.served_url).rstrip("/")  # what its pages link to
        self.files = {path: _Resource(raw.replace(BASE_TOKEN.encode(), self.base_url.encode())
                                      if path.endswith(_TEXT_SUFFIXES) else raw,
                                      content_type_for(path))
                      for path, raw in load_site_files().items()}
        self._thread = threading.Thread(target=self._server.serve_forever, name="sample-site",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base_url + path

    def paths_requested(self) -> list[str]:
        return [p for _, p, _ in list(self.requests)]

    def _slow(self, handler: BaseHTTPRequestHandler) -> None:
        time.sleep(self.slow_seconds)
        _send_body(handler, 200, b"<html lang=\"en\"><body><p>Finally.</p></body></html>",
                   "text/html; charset=utf-8")

    def resolve(self, path: str) -> _Resource | None:
        if path.endswith("/"):
            path += "index.html"
        return self.files.get(path)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "SampleSite":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class _LockedList(list):
    """A list whose append and copy are safe across the server's handler threads."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def append(self, item) -> None:
        with self._lock:
            super().append(item)

    def __iter__(self):
        with self._lock:
            return iter(list(super().__iter__()))

    def clear(self) -> None:
        with self._lock:
            super().clear()


@contextmanager
def serve_sample_site(host: str = "127.0.0.1", port: int = 0, routes: Mapping[str, Route] | None = None,
                      slow_seconds: float = 3.0, public_url: str | None = None) -> Iterator[SampleSite]:
    """Serve the sample site in a daemon thread for the duration of the `with` block. With `public_url`
    its pages link there (a fixed origin) whatever port it got; `served_url` is where it listens."""
    site = SampleSite(host, port, routes, slow_seconds, public_url)
    try:
        yield site
    finally:
        site.stop()


def _send_status(handler: BaseHTTPRequestHandler, status: int) -> None:
    body = f"<html lang=\"en\"><body><h1>{status}</h1></body></html>".encode()
    _send_body(handler, status, body, "text/html; charset=utf-8")


def _send_body(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
               headers: Mapping[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        handler.send_header(k, v)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def _not_modified(handler: BaseHTTPRequestHandler, res: _Resource) -> bool:
    inm = handler.headers.get("If-None-Match")
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or res.etag in tags
    ims = handler.headers.get("If-Modified-Since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        return since >= SITE_LAST_MODIFIED
    return False


def _make_handler(site: SampleSite) -> type[BaseHTTPRequestHandler]:
    last_modified = format_datetime(SITE_LAST_MODIFIED, usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        server_version = "SignalDesk/1.0"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            site.requests.append((self.command, self.path, {k: v for k, v in self.headers.items()}))
            path = urlsplit(self.path).path or "/"
            route = site.routes.get(self.path) or site.routes.get(path)
            if route is not None:
                route(self)
                return
            res = site.resolve(path)
            if res is None:
                if not path.endswith("/") and site.resolve(path + "/") is not None:
                    _send_body(self, 301, b"", "text/plain", {"Location": path + "/"})
                else:
                    _send_status(self, 404)
                return
            validators = {"ETag": res.etag, "Last-Modified": last_modified, "Cache-Control": "max-age=0"}
            if _not_modified(self, res):
                self.send_response(304)
                for k, v in validators.items():
                    self.send_header(k, v)
                self.end_headers()
                return
            _send_body(self, 200, res.body, res.content_type, validators)

        do_HEAD = do_GET

    return Handler
