"""A small site whose article pages share boxes the generic clean-up cannot tell from prose (127.0.0.1).

    with serve_template_site(pages=12) as site:
        site.base_url, site.config_text(), site.add_page(13)

Every article page has its own four paragraphs (ARTICLE_LINES(i)) and the same boxes (BOXES): a
promotion inside the article body, a blurb about the publication at its end and a note after it, written with neutral class names, no heading and no promo words, so that only learning what
repeats across the site's pages can remove them. Pages 1 and 2 also quote the same sentence in their
prose (QUOTE): it must stay. /sitemap.xml lists the pages served; pages answer conditional GETs
(ETag) with 304, so a second ingest extracts only the new pages.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOURCE = "harbour"

BOXES = (
    "Every Friday our editors pick five stories from the harbour and send them to forty thousand readers.",
    "Harbour Weekly has reported on the docks, the fleet and the people of the bay since 1998.",
    "Tips and corrections reach the desk through the form on our contact page, day or night.",
)
QUOTE = ('"We will not let the bay become a parking lot for container ships," the mayor told the '
         "council on Monday evening.")

_TOPICS = ["dredging", "ferries", "cranes", "pilots", "tugboats", "lighthouses", "fish market", "dry dock",
           "customs", "marina", "sea wall", "grain silos", "cruise berths", "oyster beds", "tide gauges"]
_PLACES = ["north quay", "east basin", "old harbour", "river mouth", "south pier", "breakwater",
           "container yard", "ferry terminal", "shipyard", "fishing port", "outer roads", "canal lock"]


def article_lines(i: int) -> list[str]:
    """The four prose paragraphs of page i (distinct on every page)."""
    topic, place = _TOPICS[i % len(_TOPICS)], _PLACES[(i * 5) % len(_PLACES)]
    n = 3 + i
    return [
        f"The port authority published its review of the {topic} at the {place} on Tuesday, the {n}th "
        f"such report since the works began, and it found that costs had risen by {n * 3} percent.",
        f"Workers at the {place} said the {topic} had changed their shifts twice this year; {n} of them "
        f"signed a letter asking for the schedule of issue {i} to be fixed before the winter storms.",
        f"Engineers expect the {topic} project to need {n + 7} more months, while residents near the "
        f"{place} complain about noise at night and lorries queuing on the coast road since spring {2010 + i}.",
        f"The council will debate the {topic} budget for the {place} next month, after a consultation "
        f"that drew {120 + 17 * i} written comments from businesses, fishermen and families.",
    ]


def page_html(i: int) -> str:
    lines = article_lines(i)
    prose = [f"<p>{lines[0]}</p>", f"<p>{lines[1]}</p>",
             f'<div class="aux"><p>{BOXES[0]}</p></div>',
             f"<p>{lines[2]}</p>", *([f"<p>{QUOTE}</p>"] if i in (1, 2) else []), f"<p>{lines[3]}</p>",
             f'<div class="aux-b"><p>{BOXES[1]}</p></div>']
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour story {i} | Harbour Weekly</title>
<meta name="author" content="Ada Lovell"></head>
<body><div class="top"><a href="/">Harbour Weekly</a> <a href="/about/">About</a></div>
<main><article><h1>Harbour story {i}</h1>
<div class="byline">Ada Lovell</div>
<div class="copy">{''.join(prose)}</div>
<div class="note"><p>{BOXES[2]}</p></div>
</article></main>
<div class="bottom">(c) Harbour Weekly</div></body></html>"""


class TemplateSite:
    def __init__(self, pages: int) -> None:
        self.pages = set(range(1, pages + 1))
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # quiet
                pass

            def do_GET(self):
                site.requests.append(self.path)
                body, ctype = site.resolve(self.path)
                etag = f'"{hashlib.sha1(body).hexdigest()}"' if body is not None else None
                if etag is not None and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200 if body is not None else 404)
                body = body if body is not None else b"not found"
                if etag is not None:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()

    def url(self, i: int) -> str:
        return f"{self.base_url}/news/story-{i}/"

    def add_page(self, i: int) -> None:
        self.pages.add(i)

    def resolve(self, path: str) -> tuple[bytes | None, str]:
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{self.url(i)}</loc></url>" for i in sorted(self.pages))
            return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9">{urls}</urlset>').encode(), "application/xml"
        if path.startswith("/news/story-"):
            i = int(path.removeprefix("/news/story-").strip("/"))
            if i in self.pages:
                return page_html(i).encode(), "text/html; charset=utf-8"
        return None, "text/plain"

    def config_text(self) -> str:
        return f"""[fetch]
per_host_delay_seconds = 0
allowed_origins = ["{self.base_url}"]

[[sources]]
name = "{SOURCE}"
sitemaps = ["{self.base_url}/sitemap.xml"]
allowed_domains = ["127.0.0.1"]

  [[sources.themes]]
  name = "Port works"
  description = "Construction, dredging and budgets of the port and its harbour."
  keywords = ["port authority", "dredging", "harbour", "budget"]
"""

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve_template_site(pages: int = 12):
    site = TemplateSite(pages)
    try:
        yield site
    finally:
        site.stop()
