"""A small news site whose articles span January to June 2026, for backfill tests (127.0.0.1 only).

    with serve_backfill_site() as site:
        site.base_url, site.article_paths_requested(), site.config_text()

Signals it offers, so that each planning rule is exercised:
- /sitemap-index.xml: one shard per publication month, each with the <lastmod> of its newest entry,
  plus /sitemaps/pages.xml (no lastmod: must be read); the January shard is prunable for a March range.
- dated URLs /2026/MM/DD/slug/; three undated URLs /articles/slug/ dated only by lastmod or the feed:
  `late-update` was published in February but modified in April (admitted by lastmod, then dropped by
  its extracted date), `march-undated` is admitted by lastmod and kept, `may-undated` is excluded by
  its feed date.
- /feed.xml: the four newest articles with pubDate.
- /archive/2026/03/: the March articles plus one listed nowhere else (ARCHIVE_ONLY), and /about/.
Every article page carries its publication date in JSON-LD, <meta> and <time>.

`hold_after=N` makes article requests after the N-th wait until `release()` (the kill test uses it to
stop a backfill between batches).
"""

from __future__ import annotations

import random
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOURCE = "backfill-news"


@dataclass(frozen=True)
class Art:
    path: str
    slug: str
    published: datetime
    modified: datetime
    title: str


def _d(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=timezone.utc)


ARTICLES: tuple[Art, ...] = (
    Art("/2026/01/05/harbour-ferries-return/", "harbour-ferries-return", _d(1, 5), _d(1, 5),
        "Harbour Ferries Return After Winter Repairs"),
    Art("/2026/01/20/library-night-hours/", "library-night-hours", _d(1, 20), _d(1, 20),
        "The Central Library Tries Night Opening Hours"),
    Art("/2026/02/03/orchard-frost-losses/", "orchard-frost-losses", _d(2, 3), _d(2, 3),
        "Orchards Count the Cost of a Late Frost"),
    Art("/2026/02/17/tram-line-survey/", "tram-line-survey", _d(2, 17), _d(2, 17),
        "Residents Asked Where the New Tram Line Should Run"),
    Art("/articles/late-update/", "late-update", _d(2, 10), _d(4, 12),
        "Why the Bridge Inspection Took Three Years"),
    Art("/2026/03/04/choir-competition/", "choir-competition", _d(3, 4), _d(3, 4),
        "A Village Choir Reaches the National Final"),
    Art("/articles/march-undated/", "march-undated", _d(3, 21), _d(3, 21),
        "Beekeepers Report an Early Spring Swarm Season"),
    Art("/2026/04/02/market-hall-reopens/", "market-hall-reopens", _d(4, 2), _d(4, 2),
        "The Old Market Hall Reopens With Local Traders"),
    Art("/2026/04/28/cycling-lanes-audit/", "cycling-lanes-audit", _d(4, 28), _d(4, 28),
        "An Audit of the City's Cycling Lanes Finds Gaps"),
    Art("/2026/05/06/observatory-open-night/", "observatory-open-night", _d(5, 6), _d(5, 6),
        "The Observatory Holds Its First Open Night"),
    Art("/articles/may-undated/", "may-undated", _d(5, 19), _d(5, 19),
        "Allotment Waiting Lists Grow Longer"),
    Art("/2026/06/01/river-cleanup-volunteers/", "river-cleanup-volunteers", _d(6, 1), _d(6, 1),
        "Volunteers Pull Two Tonnes of Rubbish From the River"),
    Art("/2026/06/15/school-garden-prize/", "school-garden-prize", _d(6, 15), _d(6, 15),
        "A School Garden Wins the Regional Prize"),
)

FEED_COUNT = 4
# Linked only from the archive page /archive/2026/03/ (not in any sitemap or feed): found only with --archive.
ARCHIVE_ONLY = Art("/2026/03/15/archive-only-story/", "archive-only-story", _d(3, 15), _d(3, 15),
                   "A Story Only the Archive Page Lists")
ARCHIVE_PATH = "/archive/2026/03/"

_WORDS = ("council residents weekend morning project funding volunteers schedule neighbourhood survey "
          "report committee visitors season families budget planning station museum harbour river market "
          "garden workshop teachers students evening transport lanes bridge engineers inspection traders "
          "festival audience tickets concert library records archive weather frost orchard harvest bees "
          "swarm hives allotment plots waiting observatory telescope stars choir rehearsal final judges "
          "ferries repairs passengers timetable cyclists junction pavement crossings rubbish tonnes").split()


def expected_between(since: datetime, until_exclusive: datetime) -> set[str]:
    """Paths of the articles published in [since, until_exclusive)."""
    return {a.path for a in ARTICLES if since <= a.published < until_exclusive}


def article_html(a: Art, base: str) -> bytes:
    rng = random.Random(a.slug)
    paras = []
    for i in range(6):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(38, 52))]
        words[0] = words[0].capitalize()
        paras.append(f"<p>{' '.join(words)}. The {a.slug.replace('-', ' ')} story continues in part {i + 1} "
                     f"with details from the people involved.</p>")
    pub, mod = a.published.isoformat(), a.modified.isoformat()
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{a.title} | Riverside Gazette</title>
<link rel="canonical" href="{base}{a.path}">
<meta property="og:title" content="{a.title}">
<meta property="article:published_time" content="{pub}">
<meta property="article:modified_time" content="{mod}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{a.title}", "datePublished": "{pub}", "dateModified": "{mod}",
"author": {{"@type": "Person", "name": "Sam Carter"}}}}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header>
<main><article>
<h1>{a.title}</h1>
<p class="byline">By Sam Carter, <time datetime="{pub}">{a.published.strftime('%d %B %Y')}</time></p>
{''.join(paras)}
</article></main>
<footer><p>Riverside Gazette, local news since 1998.</p></footer>
</body></html>""".encode()


def _shards() -> dict[str, list[Art]]:
    out: dict[str, list[Art]] = {}
    for a in ARTICLES:
        out.setdefault(f"/sitemaps/2026-{a.published.month:02d}.xml", []).append(a)
    return out


def build_files(base: str) -> dict[str, tuple[bytes, str]]:
    xml = "application/xml"
    files: dict[str, tuple[bytes, str]] = {
        "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain"),
        "/about/": (b"<!doctype html><html lang='en'><head><title>About</title></head><body><main>"
                    b"<h1>About the Gazette</h1><p>We report on the town.</p></main></body></html>",
                    "text/html; charset=utf-8"),
    }
    index = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, arts in sorted(_shards().items()):
        lastmod = max(a.modified for a in arts)
        index.append(f"<sitemap><loc>{base}{path}</loc><lastmod>{lastmod.isoformat()}</lastmod></sitemap>")
        urls = "".join(f"<url><loc>{base}{a.path}</loc><lastmod>{a.modified.date().isoformat()}</lastmod></url>"
                       for a in arts)
        files[path] = (('<?xml version="1.0" encoding="UTF-8"?><urlset '
                        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode(), xml)
    index.append(f"<sitemap><loc>{base}/sitemaps/pages.xml</loc></sitemap>")
    index.append("</sitemapindex>")
    files["/sitemap-index.xml"] = ("\n".join(index).encode(), xml)
    files["/sitemaps/pages.xml"] = (('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps'
                                     f'.org/schemas/sitemap/0.9"><url><loc>{base}/about/</loc></url></urlset>'
                                     ).encode(), xml)
    newest = sorted(ARTICLES, key=lambda a: a.published, reverse=True)[:FEED_COUNT]
    items = "".join(f"<item><title>{a.title}</title><link>{base}{a.path}</link><guid>{base}{a.path}</guid>"
                    f"<pubDate>{format_datetime(a.published, usegmt=True)}</pubDate></item>" for a in newest)
    files["/feed.xml"] = (('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                           f"<title>Riverside Gazette</title><link>{base}/</link>"
                           f"<description>Local news</description>{items}</channel></rss>").encode(),
                          "application/rss+xml")
    for a in (*ARTICLES, ARCHIVE_ONLY):
        files[a.path] = (article_html(a, base), "text/html; charset=utf-8")
    march = [a for a in ARTICLES if a.published.month == 3] + [ARCHIVE_ONLY]
    links = "".join(f'<li><a href="{a.path}">{a.title}</a></li>' for a in march)
    files[ARCHIVE_PATH] = (f"<!doctype html><html lang='en'><head><title>March 2026</title></head><body>"
                           f"<h1>March 2026</h1><ul>{links}</ul><a href='/about/'>About</a></body></html>".encode(),
                           "text/html; charset=utf-8")
    return files


class BackfillSite:
    def __init__(self, hold_after: int | None = None) -> None:
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self.hold_after = hold_after
        self._gate = threading.Event()
        self._article_paths = {a.path for a in (*ARTICLES, ARCHIVE_ONLY)}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.files = build_files(self.base_url)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()

    def article_paths_requested(self) -> list[str]:
        with self._lock:
            return [p for p in self.requests if p in self._article_paths]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def release(self) -> None:
        self._gate.set()

    def config_text(self, max_pages: int = 500) -> str:
        b = self.base_url
        return f"""[fetch]
per_host_delay_seconds = 0
allowed_origins = ["{b}"]

[[sources]]
name = "{SOURCE}"
feeds = ["{b}/feed.xml"]
sitemaps = ["{b}/sitemap-index.xml"]
allowed_domains = ["127.0.0.1"]
max_pages_per_run = {max_pages}

  [[sources.themes]]
  name = "Local transport"
  description = "Ferries, trams, bridges and cycling lanes in and around the town."
  keywords = ["ferries", "tram", "bridge", "cycling lanes", "transport"]
"""

    def _admit(self, path: str) -> None:
        if path not in self._article_paths or self.hold_after is None:
            return
        with self._lock:
            n = sum(1 for p in self.requests if p in self._article_paths)
        if n > self.hold_after:
            self._gate.wait(timeout=60)

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with site._lock:
                    site.requests.append(path)
                site._admit(path)
                found = site.files.get(path)
                status, (body, ctype) = (200, found) if found else (404, (b"not found", "text/plain"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def stop(self) -> None:
        self._gate.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve_backfill_site(hold_after: int | None = None):
    site = BackfillSite(hold_after)
    try:
        yield site
    finally:
        site.stop()
