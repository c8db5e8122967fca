"""A realistic news site with listing pages and a runaway events calendar, for the page-type gate and
the URL-family caps (127.0.0.1 only).

    with serve_news_site() as site:
        site.base_url, site.config_text(), site.requested(prefix)

"The Harbour Gazette":
- 16 articles in two templates: `post` (WordPress-like <article class="post">, og:type article,
  article:published_time, a byline, a related list) and `story` (JSON-LD NewsArticle, <div> body, <time>,
  no og tags). Among them: a short article (3 paragraphs, no byline), an article with a 30-item related
  list, one whose paragraphs are plain <div> text.
- listings: the home page `/` (12 teaser cards with long teasers), `/?page=N` (N 2..8, each linking the
  next), two sections `/section/NAME/` and their archives `/section/NAME/page/N/` (N 2..6), two tags
  `/tag/NAME/` (plain lists of title links), two author pages `/author/NAME/` (a one-line bio + cards);
- other: `/about/` (three paragraphs about the paper, no date, no article markup);
- a runaway calendar `/events/YYYY/MM/`: every month links the previous and the next one, forever (any
  month is served), and the events sitemap lists January 2024 to December 2041 (216 months), as event
  plugins do; each month says "No events are listed for this month".
- /sitemap.xml (an index: posts, pages, events), /feed.xml (the 10 newest articles), robots.txt.
Pages carry an ETag and answer 304 to a matching If-None-Match (a second run stores nothing again).
"""

from __future__ import annotations

import hashlib
import random
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SOURCE = "harbour-gazette"
SECTIONS = ("local", "business")
TAGS = ("harbour", "transport")
AUTHORS = {"jane-doe": "Jane Doe", "omar-haddad": "Omar Haddad"}
CALENDAR_MONTHS = [(y, m) for y in range(2024, 2042) for m in range(1, 13)]  # what the events sitemap lists
HOME_PAGES = range(2, 9)  # /?page=N
SECTION_PAGES = range(2, 7)  # /section/NAME/page/N/


@dataclass(frozen=True)
class Art:
    slug: str
    title: str
    template: str  # post | story
    section: str
    author: str | None  # an AUTHORS key, or None (no byline)
    published: datetime
    paragraphs: int = 6
    related: int = 5  # items in its related list
    div_body: bool = False  # paragraphs as <div> text instead of <p>

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m}/{self.slug}/"


_T0 = datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc)
_SUBJECTS = [
    ("harbour-dredging-begins", "Dredging Begins in the Inner Harbour", "the inner harbour dredging"),
    ("ferry-timetable-change", "Ferry Timetable Changes for the Summer", "the summer ferry timetable"),
    ("fish-market-reopens", "The Old Fish Market Reopens Its Doors", "the reopened fish market"),
    ("tram-extension-vote", "Council Votes on the Tram Extension", "the tram extension"),
    ("boatyard-apprentices", "Boatyard Takes On Twelve Apprentices", "the boatyard apprenticeships"),
    ("lighthouse-restoration", "Restoring the North Pier Lighthouse", "the lighthouse restoration"),
    ("container-terminal-jobs", "Container Terminal Plans Two Hundred Jobs", "the container terminal plan"),
    ("cycle-lane-quayside", "A Cycle Lane Along the Quayside", "the quayside cycle lane"),
    ("sailing-school-grant", "Sailing School Wins a Community Grant", "the sailing school grant"),
    ("bridge-closure-detours", "Swing Bridge Closure Brings Detours", "the swing bridge closure"),
    ("harbour-wall-storm", "Storm Damages the Harbour Wall", "the storm damage to the harbour wall"),
    ("bakery-on-the-docks", "A Bakery Opens on the Docks", "the new dockside bakery"),
    ("water-taxi-trial", "Water Taxis Begin a Six-Month Trial", "the water taxi trial"),
    ("museum-ship-visitors", "Museum Ship Counts Record Visitors", "the museum ship"),
    ("parking-fees-debate", "Traders Debate New Harbour Parking Fees", "the harbour parking fees"),
    ("rowing-club-centenary", "The Rowing Club Turns One Hundred", "the rowing club centenary"),
]
_SENTENCES = [
    "Residents who gathered at the quay on Tuesday said {s} had been discussed for years before anything moved.",
    "According to the harbour office, {s} will be reviewed again in the autumn once the first figures are in.",
    "Several traders told the Gazette that {s} could change how visitors reach the waterfront on busy weekends.",
    "The council's transport committee has asked for a written report on {s} before its next meeting.",
    "Local historians point out that the waterfront has seen similar debates at least three times since the war.",
    "A spokesperson for the port authority said the work would be carried out in stages to limit disruption.",
    "Families living near the old customs house said they welcomed the plans but worried about the noise.",
    "The harbour master explained that tides and weather would decide how quickly the crews could work.",
    "Some of the fishermen who moor their boats along the east wall remain sceptical about the timetable.",
    "Funding for {s} comes partly from a regional fund and partly from the harbour's own reserves.",
    "Businesses along Market Street reported that footfall had risen since the spring festival ended.",
    "Engineers surveyed the site in January and found the foundations in better shape than expected.",
    "Volunteers from the sea cadets have offered to help with signage and with guiding visitors.",
    "The ward councillor said she would hold an open meeting so that everyone could ask questions.",
    "Critics argue that {s} was rushed through without enough consultation with the people it affects.",
    "School groups will be invited to visit once the safety fences have been taken down next month.",
    "Photographs from the town archive show the same stretch of water crowded with sailing barges.",
    "The chamber of commerce expects the changes to bring more overnight visitors to the town centre.",
    "Anyone with concerns about {s} can write to the harbour office or leave a message at the library.",
    "Officials stressed that the ferry service to the islands would keep running throughout the works.",
]


def _articles() -> tuple[Art, ...]:
    out = []
    for i, (slug, title, _subject) in enumerate(_SUBJECTS):
        template = "post" if i % 2 == 0 else "story"
        author = list(AUTHORS)[i % 2] if i != 5 else None
        out.append(Art(slug=slug, title=title, template=template, section=SECTIONS[i % 2], author=author,
                       published=_T0 + timedelta(days=3 * i, hours=i),
                       paragraphs=3 if i == 5 else 6, related=30 if i == 8 else 5, div_body=(i == 11)))
    return tuple(out)


ARTICLES = _articles()
_SUBJECT = {slug: subject for slug, _title, subject in _SUBJECTS}


def _paragraphs(a: Art) -> list[str]:
    rng = random.Random(a.slug)
    subject = _SUBJECT[a.slug]
    lead = (f"{a.title}: this is the Gazette's report on {subject}, written after a week of interviews "
            f"with the people on the waterfront who will live with the result.")
    paras = [lead]
    for _ in range(a.paragraphs - 1):
        paras.append(" ".join(rng.sample(_SENTENCES, 3)).format(s=subject))
    return paras


def _chrome(body: str, title: str, head: str = "") -> bytes:
    nav = "".join(f'<li><a href="/section/{s}/">{s.title()}</a></li>' for s in SECTIONS)
    nav += '<li><a href="/events/2026/03/">Events</a></li><li><a href="/about/">About us</a></li>'
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | The Harbour Gazette"
            f"</title>{head}</head><body><header><a href='/'>The Harbour Gazette</a><nav><ul>{nav}</ul></nav>"
            f"</header><main>{body}</main><footer><p>The Harbour Gazette, 4 Quay Street. All rights reserved."
            f"</p><a href='/about/'>About</a> <a href='/feed.xml'>RSS</a></footer></body></html>")
    return html.encode()


def _card(a: Art, long_teaser: bool = True) -> str:
    teaser = _paragraphs(a)[1] if long_teaser else _paragraphs(a)[0][:90]
    return (f'<article class="card"><h2 class="card-title"><a href="{a.path}">{a.title}</a></h2>'
            f'<p class="teaser">{teaser}</p><span class="meta">{a.published:%d %B %Y}</span></article>')


def _related(a: Art) -> str:
    others = [o for o in ARTICLES if o.slug != a.slug]
    items = "".join(f'<li><a href="{others[k % len(others)].path}">{others[k % len(others)].title}</a></li>'
                    for k in range(a.related))
    return f'<h3>Related stories</h3><ul class="related">{items}</ul>'


def article_html(a: Art) -> bytes:
    paras = _paragraphs(a)
    author = AUTHORS.get(a.author or "")
    aside = ('<aside class="most-read"><h3>Most read</h3><ul>'
             + "".join(f'<li><a href="{o.path}">{o.title}</a></li>' for o in ARTICLES[:5]) + "</ul></aside>")
    if a.template == "post":
        head = (f'<meta property="og:type" content="article"><meta property="og:title" content="{a.title}">'
                f'<meta property="article:published_time" content="{a.published.isoformat()}">'
                + (f'<meta name="author" content="{author}">' if author else ""))
        byline = f'<p class="byline">By <a rel="author" href="/author/{a.author}/">{author}</a></p>' if author else ""
        body = "".join(f"<p>{p}</p>" for p in paras)
        main = (f'<article class="post"><h1>{a.title}</h1>{byline}'
                f'<div class="entry-content">{body}</div>{_related(a)}</article>{aside}')
    else:
        ld = (f'{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{a.title}", '
              f'"datePublished": "{a.published.isoformat()}"'
              + (f', "author": {{"@type": "Person", "name": "{author}"}}' if author else "") + "}")
        head = f'<script type="application/ld+json">{ld}</script>'
        byline = f'<div class="by">{author}</div>' if author else ""
        if a.div_body:
            body = "".join(f'<div class="para">{p}</div>' for p in paras)
        else:
            body = "".join(f"<p>{p}</p>" for p in paras)
        main = (f'<div class="story"><h1>{a.title}</h1>{byline}'
                f'<time datetime="{a.published.isoformat()}">{a.published:%d %B %Y}</time>'
                f'<div class="story-body">{body}</div>{_related(a)}</div>{aside}')
    return _chrome(main, a.title, head)


def _newest() -> list[Art]:
    return sorted(ARTICLES, key=lambda a: a.published, reverse=True)


def home_html(page: int = 1) -> bytes:
    arts = _newest()
    chunk = [arts[(page - 1 + k) % len(arts)] for k in range(12)]
    cards = "".join(_card(a) for a in chunk)
    more = (f'<a class="next" href="/?page={page + 1}">Older stories</a>' if page < HOME_PAGES[-1] else "")
    tags = "".join(f'<a href="/tag/{t}/">#{t}</a> ' for t in TAGS)
    authors = "".join(f'<a href="/author/{k}/">{v}</a> ' for k, v in AUTHORS.items())
    return _chrome(f"<h1>Latest news</h1><section class='cards'>{cards}</section><div class='pager'>{more}</div>"
                   f"<div class='tags'>{tags}</div><div class='authors'>{authors}</div>"
                   f"<a href='/events/2026/03/'>What's on this month</a>", "Latest news",
                   '<meta property="og:type" content="website">')


def section_html(name: str, page: int = 1) -> bytes:
    arts = [a for a in _newest() if a.section == name]
    cards = "".join(_card(a) for a in (arts if page == 1 else arts[page % 3:] + arts[:page % 3]))
    nxt = f'<a class="next" href="/section/{name}/page/{page + 1}/">Next page</a>' if page < SECTION_PAGES[-1] else ""
    return _chrome(f"<h1>{name.title()}</h1><section class='cards'>{cards}</section>{nxt}", name.title())


def tag_html(name: str) -> bytes:
    items = "".join(f'<li><a href="{a.path}">{a.title}</a> <span>{a.published:%d %b}</span></li>' for a in _newest())
    return _chrome(f"<h1>Stories tagged {name}</h1><ul class='tag-list'>{items}</ul>", f"Tag: {name}")


def author_html(key: str) -> bytes:
    arts = [a for a in _newest() if a.author == key]
    bio = f"<p class='bio'>{AUTHORS[key]} covers the waterfront.</p>"
    return _chrome(f"<h1>{AUTHORS[key]}</h1>{bio}<section class='cards'>{''.join(_card(a) for a in arts)}</section>",
                   AUTHORS[key])


def about_html() -> bytes:
    paras = ["The Harbour Gazette has reported on the town and its waterfront since 1921, first as a weekly "
             "sheet printed above the chandlery and today as a daily website read across the region.",
             "Our newsroom is small: six reporters, two editors and a photographer, helped by readers who send "
             "us tips, pictures and corrections. We are owned by a cooperative of our own staff and readers.",
             "You can reach the newsroom at the office on Quay Street, which is open on weekdays from nine to "
             "five, or by writing to the editor. We answer every letter, even the angry ones."]
    return _chrome("<h1>About the Gazette</h1>" + "".join(f"<p>{p}</p>" for p in paras), "About us")


def calendar_html(year: int, month: int) -> bytes:
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    name = datetime(year, month, 1).strftime("%B %Y")
    return _chrome(f"<h1>Events in {name}</h1><div class='calendar'><p>No events are listed for this month.</p>"
                   f"<a class='prev' href='/events/{prev_y}/{prev_m:02d}/'>Previous month</a> "
                   f"<a class='next' href='/events/{next_y}/{next_m:02d}/'>Next month</a></div>", f"Events: {name}")


def listing_paths() -> dict[str, str]:
    """Listing page path -> the page type the gate must give it."""
    out = {"/": "home"}
    out.update({f"/?page={n}": "archive" for n in HOME_PAGES})
    out.update({f"/section/{s}/": "section" for s in SECTIONS})
    out.update({f"/section/{s}/page/{n}/": "archive" for s in SECTIONS for n in SECTION_PAGES})
    out.update({f"/tag/{t}/": "tag" for t in TAGS})
    out.update({f"/author/{k}/": "author" for k in AUTHORS})
    return out


def _sitemap(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{locs}</urlset>").encode()


def build_files(base: str) -> dict[str, tuple[bytes, str]]:
    """Every fixed page: path (with its query) -> (body, content type)."""
    html = "text/html; charset=utf-8"
    files: dict[str, tuple[bytes, str]] = {a.path: (article_html(a), html) for a in ARTICLES}
    files["/"] = (home_html(), html)
    files.update({f"/?page={n}": (home_html(n), html) for n in HOME_PAGES})
    for s in SECTIONS:
        files[f"/section/{s}/"] = (section_html(s), html)
        files.update({f"/section/{s}/page/{n}/": (section_html(s, n), html) for n in SECTION_PAGES})
    files.update({f"/tag/{t}/": (tag_html(t), html) for t in TAGS})
    files.update({f"/author/{k}/": (author_html(k), html) for k in AUTHORS})
    files["/about/"] = (about_html(), html)
    index = "".join(f"<sitemap><loc>{base}/{n}.xml</loc></sitemap>" for n in ("post-sitemap", "page-sitemap",
                                                                                   "events-sitemap"))
    files["/sitemap.xml"] = ((f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                              f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>').encode(),
                             "application/xml")
    files["/post-sitemap.xml"] = (_sitemap([base + a.path for a in ARTICLES]), "application/xml")
    files["/page-sitemap.xml"] = (_sitemap([base + p for p in ("/about/", *listing_paths())]), "application/xml")
    files["/events-sitemap.xml"] = (_sitemap([f"{base}/events/{y}/{m:02d}/" for y, m in CALENDAR_MONTHS]),
                                    "application/xml")
    items = "".join(f"<item><title>{a.title}</title><link>{base}{a.path}</link>"
                    f"<pubDate>{a.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>" for a in _newest()[:10])
    files["/feed.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>The Harbour Gazette</title>'
                          f"<link>{base}/</link><description>News</description>{items}</channel></rss>".encode(),
                          "application/rss+xml")
    files["/robots.txt"] = (b"User-agent: *\nAllow: /\n", "text/plain")
    return files


class NewsSite:
    def __init__(self) -> None:
        self.requests: list[str] = []  # path?query of every GET, in order
        self.not_modified = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.files = build_files(self.base_url)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base_url + path

    def requested(self, prefix: str = "/") -> list[str]:
        with self._lock:
            return [p for p in self.requests if p.startswith(prefix)]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self.not_modified = 0

    def config_text(self, max_pages: int = 500) -> str:
        b = self.base_url
        return f"""[fetch]
per_host_delay_seconds = 0
per_host_concurrency = 8
allowed_origins = ["{b}"]

[[sources]]
name = "{SOURCE}"
seeds = ["{b}/"]
feeds = ["{b}/feed.xml"]
sitemaps = ["{b}/sitemap.xml"]
allowed_domains = ["127.0.0.1"]
max_pages_per_run = {max_pages}

  [[sources.themes]]
  name = "Harbour and transport"
  description = "Ferries, trams, bridges, cycle lanes and the working harbour of the town."
  keywords = ["ferry", "tram", "harbour", "bridge", "cycle lane", "water taxi"]
"""

    def _page(self, target: str) -> tuple[int, bytes, str]:
        found = self.files.get(target)
        if found is not None:
            return 200, *found
        path = urlsplit(target).path
        parts = [p for p in path.split("/") if p]
        if len(parts) == 3 and parts[0] == "events" and parts[1].isdigit() and parts[2].isdigit() \
                and 1 <= int(parts[2]) <= 12 and path.endswith("/"):
            return 200, calendar_html(int(parts[1]), int(parts[2])), "text/html; charset=utf-8"
        return 404, b"<html><body><h1>Not found</h1></body></html>", "text/html; charset=utf-8"

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                with site._lock:
                    site.requests.append(self.path)
                status, body, ctype = site._page(self.path)
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                try:
                    if status == 200 and self.headers.get("If-None-Match") == etag:
                        with site._lock:
                            site.not_modified += 1
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve_news_site():
    site = NewsSite()
    try:
        yield site
    finally:
        site.stop()
