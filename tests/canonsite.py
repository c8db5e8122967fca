"""A small site for canonical and entry-point tests, served for real on 127.0.0.1 (port 0).

/sitemap-foreign.xml   300 pages /f/N whose rel=canonical names one of 6 URLs on another origin
/sitemap-same.xml      300 pages /s/N whose rel=canonical names one of 6 URLs on this origin
/sitemap-legit.xml     /story and its legitimate same-site variants: a tracking query, an AMP page,
                       ?page=1, another http page; all name the https form of /story (one article)
/missing-feed.xml      404; every other unknown path too
Each numbered page has its own body (a different article); /story and its variants share one body.
"""

from __future__ import annotations

import random
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

WORDS = ("people city council water school budget river market energy housing train garden doctor "
         "museum library farmer harbour bridge winter summer festival bakery workshop football teacher "
         "student hospital nurse village island forest mountain ferry airport election court judge "
         "theatre painter novel poet music concert orchestra kitchen recipe bread cheese coffee tea "
         "bicycle road traffic tunnel storm flood drought harvest orchard vineyard factory engineer "
         "software robot telescope planet ocean whale bird insect meadow climate policy minister "
         "report survey data census family children parents neighbours volunteers charity donation").split()
N_PAGES = 300
N_CANONICALS = 6
FOREIGN = "https://foreign.example"


def body_text(seed: int | str, paragraphs: int = 7) -> list[str]:
    rng = random.Random(str(seed))
    return [" ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + "." for _ in range(paragraphs)]


def page(title: str, canonical: str | None, seed: int | str) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paras = "".join(f"<p>{p}</p>" for p in body_text(seed))
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>{link}</head>"
            f"<body><article><h1>{title}</h1>{paras}</article></body></html>").encode()


def sitemap(urls: list[str]) -> bytes:
    items = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{items}</urlset>').encode()


class CanonSite:
    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self.requests: list[str] = []  # every path requested, in order
        self.on_request = None  # called with each path before it is answered (a test's hook)

    @property
    def story_canonical(self) -> str:
        return f"https://127.0.0.1:{self.port}/story"

    def legit_urls(self) -> list[str]:
        b = self.base
        return [f"{b}/story?utm_source=mail&utm_medium=x", f"{b}/amp/story", f"{b}/story?page=1",
                f"{b}/story-http"]

    def answer(self, path: str) -> tuple[int, str, bytes]:
        b = self.base
        if path == "/sitemap-foreign.xml":
            return 200, "application/xml", sitemap([f"{b}/f/{n}" for n in range(N_PAGES)])
        if path == "/sitemap-same.xml":
            return 200, "application/xml", sitemap([f"{b}/s/{n}" for n in range(N_PAGES)])
        if path == "/sitemap-legit.xml":
            return 200, "application/xml", sitemap(self.legit_urls())
        if path.startswith("/f/") and path[3:].isdigit() and int(path[3:]) < N_PAGES:
            n = int(path[3:])
            return 200, "text/html; charset=utf-8", page(f"Foreign claim {n}", f"{FOREIGN}/c/{n % N_CANONICALS}", n)
        if path.startswith("/s/") and path[3:].isdigit() and int(path[3:]) < N_PAGES:
            n = int(path[3:])
            return 200, "text/html; charset=utf-8", page(f"Same-site claim {n}", f"{b}/c/{n % N_CANONICALS}",
                                                         f"s{n}")
        if path in ("/story", "/amp/story", "/story?page=1", "/story-http") or path.startswith("/story?utm_source"):
            # every variant names the https form of /story (http vs https is one site)
            return 200, "text/html; charset=utf-8", page("The story", self.story_canonical, "story")
        return 404, "text/plain", b"not found"

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.requests.append(self.path)
                if site.on_request is not None:
                    site.on_request(self.path)
                code, ctype, body = site.answer(self.path)
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def config(self, sources: str, *, allowed: bool = True) -> str:
        origins = f'allowed_origins = ["{self.base}"]' if allowed else ""
        return (f'[fetch]\nuser_agent = "themewire-test/0.1"\nper_host_delay_seconds = 0\n'
                f"per_host_concurrency = 8\nconcurrency = 16\nretries = 0\nrespect_robots = false\n"
                f"{origins}\n\n{sources}")

    def source(self, name: str, **urls: list[str]) -> str:
        lines = [f'[[sources]]\nname = "{name}"\nmax_pages_per_run = 1000']
        for key, values in urls.items():
            lines.append(f"{key} = [" + ", ".join(f'"{self.base}{v}"' for v in values) + "]")
        lines.append('\n  [[sources.themes]]\n  name = "Towns"\n  description = "Life in towns and '
                     'villages, their councils and services."\n  keywords = ["council", "village"]\n')
        return "\n".join(lines)


@contextmanager
def serve_canon_site():
    site = CanonSite()
    site._thread.start()
    try:
        yield site
    finally:
        site._server.shutdown()
        site._server.server_close()
        site._thread.join(5)
