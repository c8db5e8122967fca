"""A deterministic synthetic news site for benchmarks: N article pages plus feed, sitemaps and robots.txt.

    pages = SiteSpec(n_pages=2000).pages(base_url)   # {path: bytes}; same bytes for the same spec
    with serve_site(SiteSpec(2000)) as base_url:     # a threaded HTTP/1.1 server on 127.0.0.1 in a
        ...                                          # subprocess (ETag + Last-Modified, 304s)

Articles are 50-100 KB of varied HTML the way news sites write it (sized like the extraction
development set's pages: ~80 KB, ~700 elements, ~120 links): inline styles and scripts, a mega menu,
a cookie banner, breadcrumbs, a byline with <time>, JSON-LD, a lead picture, 4-14 paragraphs with
sub-headings and inline ads, a pull quote or list, a newsletter promo, a "Related" list, tag links,
share icons, comments, a sidebar of cards, a large footer and a hydration blob. Text is drawn from topic word banks
(some topics match the benchmark's themes, some do not) with a seeded random.Random per page, so the
site is identical on every run and machine; nothing reaches the network.

`SiteSpec(n, corpus=DIR)` serves real pages instead (e.g. the extraction development set,
../shared/data/extraction-devset/pages), byte for byte, under /corpus/<k>/ (k: the file's position by name), with the same feed,
sitemaps and robots.txt.

The server runs in its own process so that serving pages does not take the GIL from the crawler's
event loop (it still shares the machine's cores, as a real site on the same box would not).
"""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

LAST_MODIFIED = datetime(2026, 10, 30, 12, 0, 0, tzinfo=timezone.utc)
FIRST_DAY = datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)
SITEMAP_CHUNK = 1000  # URLs per child sitemap (the protocol allows 50,000; sites split far earlier)
FEED_ITEMS = 50

TOPICS: dict[str, dict[str, list[str]]] = {
    "loneliness": {
        "nouns": ["loneliness", "social isolation", "living alone", "a lonely evening", "the empty flat",
                  "friendship", "a neighbourhood group", "the weekly phone call", "community centres",
                  "older neighbours", "a support circle", "isolated residents"],
        "verbs": ["reported", "described", "measured", "linked", "tracked", "worried about", "studied"],
        "people": ["researchers", "city officials", "volunteers", "a sociologist", "survey respondents",
                   "local organisers"],
    },
    "ai-companions": {
        "nouns": ["an AI companion", "the companion app", "a chatbot", "emotional attachment",
                  "a virtual partner", "daily conversations", "the subscription tier", "the model update",
                  "memory features", "user forums", "a relationship with a chatbot"],
        "verbs": ["launched", "defended", "changed", "relied on", "tested", "criticised", "designed"],
        "people": ["developers", "long-time users", "a product manager", "ethicists", "app reviewers",
                   "the start-up's founder"],
    },
    "mental-health": {
        "nouns": ["mental health", "anxiety", "therapy sessions", "a therapist", "burnout", "depression",
                  "wellbeing programmes", "waiting lists", "emotional support", "counselling services"],
        "verbs": ["treated", "screened", "recommended", "funded", "expanded", "warned about", "observed"],
        "people": ["clinicians", "a psychologist", "health officials", "patients", "counsellors",
                   "a school nurse"],
    },
    "eldercare": {
        "nouns": ["care homes", "older adults", "a robotic pet", "smart sensors", "remote monitoring",
                  "dementia care", "caregivers", "aging in place", "fall detection", "home visits"],
        "verbs": ["installed", "piloted", "evaluated", "paid for", "rolled out", "compared", "adopted"],
        "people": ["care workers", "family members", "a geriatrician", "the council", "residents",
                   "nursing staff"],
    },
    "transport": {
        "nouns": ["the new tram line", "bus timetables", "cycle lanes", "the ring road", "parking fees",
                  "rail fares", "the station upgrade", "electric buses", "rush-hour traffic", "the bridge"],
        "verbs": ["approved", "delayed", "rerouted", "opened", "closed", "budgeted", "extended"],
        "people": ["commuters", "the transport authority", "engineers", "shop owners", "drivers",
                   "the mayor"],
    },
    "food": {
        "nouns": ["the farmers' market", "seasonal vegetables", "a family bakery", "street food",
                  "the harvest", "food prices", "a new restaurant", "school lunches", "local cheese"],
        "verbs": ["sold", "cooked", "priced", "sourced", "celebrated", "reviewed", "grew"],
        "people": ["chefs", "growers", "diners", "a food critic", "market traders", "parents"],
    },
    "sport": {
        "nouns": ["the league table", "the home stadium", "a late equaliser", "the transfer window",
                  "youth academies", "the season opener", "ticket prices", "the coaching staff"],
        "verbs": ["won", "lost", "signed", "trained", "celebrated", "protested", "rebuilt"],
        "people": ["supporters", "the manager", "players", "club officials", "pundits", "the captain"],
    },
}
TOPIC_NAMES = tuple(TOPICS)
FILLER = ["On Tuesday", "Last year", "In the spring", "By the end of the month", "For most of the decade",
          "According to figures released this week", "In interviews", "Since the pandemic",
          "In a statement", "Two years ago", "At a public meeting", "In the smaller towns"]
CONNECT = ["while", "because", "although", "after", "before", "even as", "so that", "and"]
ADJ = ["new", "small", "growing", "unexpected", "costly", "local", "quiet", "difficult", "promising",
       "controversial", "regional", "long-awaited", "modest", "sharp"]
FIRST = ["Maria", "James", "Aisha", "Tomás", "Lena", "Kwame", "Priya", "Oliver", "Sofia", "Hiro", "Nadia",
         "Samuel"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Nakamura", "Patel", "Brennan", "Costa", "Schmidt", "Haddad",
        "Walsh", "Rossi", "Mensah"]
SECTIONS = ["News", "Society", "Technology", "Health", "City", "Culture", "Sport", "Opinion", "Science",
            "Business"]


@dataclass(frozen=True)
class SiteSpec:
    """What to generate: `n_pages` articles, deterministic for a given `seed`."""

    n_pages: int = 2000
    seed: str = "themewire-bench-1"
    corpus: str | None = None  # a directory of real pages (*.html or *.html.gz) served instead, as is

    def article_paths(self) -> list[str]:
        if self.corpus:
            return [f"/corpus/{k:05d}/" for k in range(len(_corpus_files(self.corpus)[:self.n_pages]))]
        return [article_path(i, self.seed) for i in range(self.n_pages)]

    def pages(self, base_url: str) -> dict[str, bytes]:
        """Every file of the site: URL path -> body bytes."""
        base = base_url.rstrip("/")
        if self.corpus:
            files = _corpus_files(self.corpus)[:self.n_pages]
            out = {path: _read_page(f) for path, f in zip(self.article_paths(), files)}
        else:
            out = {path: render_article(i, self, base).encode() for i, path in enumerate(self.article_paths())}
        out.update(render_meta_files(self, base))
        return out


def _corpus_files(corpus: str) -> list[Path]:
    files = sorted(p for p in Path(corpus).iterdir() if p.name.endswith((".html", ".html.gz")))
    if not files:
        raise SystemExit(f"{corpus}: no *.html or *.html.gz files")
    return files


def _read_page(f: Path) -> bytes:
    data = f.read_bytes()
    return gzip.decompress(data) if f.name.endswith(".gz") else data


def _rng(i: int, seed: str) -> random.Random:
    return random.Random(f"{seed}:{i}")


def published(i: int) -> datetime:
    return FIRST_DAY + timedelta(hours=7 * i, minutes=(i * 37) % 60)


def _topic(i: int, seed: str) -> str:
    return _rng(i, seed + ":topic").choice(TOPIC_NAMES)


def _title(rng: random.Random, topic: str) -> str:
    bank = TOPICS[topic]
    return (f"{rng.choice(bank['people']).capitalize()} {rng.choice(bank['verbs'])} "
            f"{rng.choice(ADJ)} plans for {rng.choice(bank['nouns'])}")


def article_path(i: int, seed: str) -> str:
    rng = _rng(i, seed + ":path")
    d = published(i)
    words = _title(rng, _topic(i, seed)).lower().replace("'", "").split()
    slug = "-".join(w.strip(".,") for w in words[:7])
    return f"/{d:%Y}/{d:%m}/{slug}-{i}/"


def _sentence(rng: random.Random, topic: str) -> str:
    bank = TOPICS[topic] if rng.random() < 0.85 else TOPICS[rng.choice(TOPIC_NAMES)]
    s = (f"{rng.choice(FILLER)}, {rng.choice(bank['people'])} {rng.choice(bank['verbs'])} "
         f"{rng.choice(bank['nouns'])} {rng.choice(CONNECT)} {rng.choice(bank['people'])} "
         f"{rng.choice(bank['verbs'])} {rng.choice(ADJ)} {rng.choice(bank['nouns'])}")
    if rng.random() < 0.3:
        s += f", a figure of {rng.randint(3, 97)} per cent"
    return s + "."


def _paragraph(rng: random.Random, topic: str) -> str:
    return " ".join(_sentence(rng, topic) for _ in range(rng.randint(2, 5)))


def _author(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


SUBSECTIONS = ["Latest", "Analysis", "Explainers", "Interviews", "Data", "Podcasts", "Video", "Letters"]
CHEVRON = ('<svg class="icon icon-chevron" width="12" height="12" viewBox="0 0 24 24" aria-hidden="true">'
           '<path d="M7.41 8.59 12 13.17l4.59-4.58L18 10l-6 6-6-6 1.41-1.41z" fill="currentColor"/></svg>')
SOCIAL = {name: ('<svg class="icon icon-%s" width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path d="'
                 % name + "".join(f"M{(k * 7) % 24} {(k * 11) % 24}l{k % 5}.{k % 9} {(k * 3) % 7}.{k % 4}"
                                  for k in range(1, 30)) + 'z" fill="currentColor"/></svg>')
          for name in ("facebook", "x", "linkedin", "whatsapp", "email", "rss")}
BTN = "inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium hover:bg-neutral-100 focus:outline-none"


def _nav(base: str) -> str:
    """A mega menu, as news sites have: every section with its sub-sections and icons."""
    items = []
    for s in SECTIONS:
        subs = "".join(f'<li class="menu-item menu-item--sub"><a class="{BTN}" data-track="nav-{s.lower()}-'
                       f'{sub.lower()}" href="{base}/section/{s.lower()}/{sub.lower()}/"><span>{sub}</span></a></li>'
                       for sub in SUBSECTIONS)
        items.append(f'<li class="menu-item menu-item--has-children"><a class="{BTN}" href="{base}/section/'
                     f'{s.lower()}/"><span>{s}</span>{CHEVRON}</a><div class="mega-panel" hidden><ul '
                     f'class="grid grid-cols-4 gap-4">{subs}</ul></div></li>')
    return (f'<div class="cookie-banner" role="dialog" aria-live="polite"><p>We use cookies and similar '
            f'technologies to personalise content and ads, to provide social media features and to analyse '
            f'our traffic.</p><button class="{BTN}">Accept all</button><button class="{BTN}">Manage '
            f'preferences</button></div>'
            f'<a class="skip-link" href="#main">Skip to content</a>'
            f'<header class="site-header sticky top-0 z-50 bg-white shadow-sm"><div class="container mx-auto '
            f'flex items-center justify-between"><a class="logo" href="{base}/">The Bench Courier</a>'
            f'<nav class="main-nav" aria-label="Sections"><ul class="menu flex gap-2">{"".join(items)}</ul></nav>'
            f'<form class="search" action="{base}/search"><input name="q" placeholder="Search">'
            f'<button class="{BTN}">Search</button></form>'
            f'<a class="subscribe {BTN}" href="{base}/subscribe/">Subscribe from 1 euro</a></div></header>')


STYLE = "".join(f".c{k}{{margin:{k % 7}px {k % 5}px;padding:{k % 3}rem;color:#{(k * 2654435761) % 0xFFFFFF:06x};"
                f"font-size:{12 + k % 9}px;line-height:1.{k % 9}}}@media (min-width:{600 + k % 4 * 200}px)"
                f"{{.c{k}{{display:{('flex', 'grid', 'block')[k % 3]}}}}}" for k in range(110))
ANALYTICS = ("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
             + "".join(f"gtag('event','slot_{k}',{{'non_interaction':true,'value':{k}}});" for k in range(60))
             + "(function(w,d,s){var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;"
               "j.src='/static/tag.js';f.parentNode.insertBefore(j,f)})(window,document,'script');")


def _picture(base: str, name: str, alt: str) -> str:
    srcs = "".join(f'<source media="(min-width:{w}px)" srcset="{base}/img/{name}-{w}.webp 1x, '
                   f'{base}/img/{name}-{w * 2}.webp 2x" type="image/webp">' for w in (480, 960, 1440))
    return (f'<picture>{srcs}<img src="{base}/img/{name}-960.jpg" alt="{escape(alt)}" loading="lazy" '
            f'width="960" height="540" decoding="async"></picture>')


def _ad(k: int) -> str:
    return (f'<div class="ad-container ad-container--inline" data-ad-slot="inline-{k}" aria-hidden="true">'
            f'<div class="ad-label">Advertisement</div><div id="ad-inline-{k}" class="ad-unit" '
            f'style="min-height:250px"></div><script>window.adQueue=window.adQueue||[];'
            f'window.adQueue.push({{slot:"inline-{k}",sizes:[[300,250],[728,90]],lazy:true}});</script></div>')


def _comments(rng: random.Random, topic: str) -> str:
    items = []
    for k in range(rng.randint(2, 12)):
        items.append(f'<li class="comment" id="comment-{k}"><div class="comment-meta"><span class="comment-'
                     f'author">{escape(_author(rng))}</span> <time>{rng.randint(1, 23)} hours ago</time></div>'
                     f'<p>{escape(_sentence(rng, topic))}</p><button class="{BTN}">Reply</button> '
                     f'<button class="{BTN}">Like ({rng.randint(0, 99)})</button></li>')
    return (f'<section class="comments" id="comments"><h3>Comments ({len(items)})</h3><ol>{"".join(items)}'
            f'</ol><a href="#comments">Sign in to comment</a></section>')


def _footer(base: str) -> str:
    cols = []
    for title, links in (("Sections", SECTIONS), ("About", ["Contact", "Careers", "Advertise", "Ethics policy",
                                                            "Corrections", "Newsletters"]),
                         ("Legal", ["Privacy", "Cookies", "Terms of use", "Accessibility"])):
        lis = "".join(f'<li><a href="{base}/{title.lower()}/{x.lower().replace(" ", "-")}/">{x}</a></li>'
                      for x in links)
        cols.append(f"<div class=\"col\"><h4>{title}</h4><ul>{lis}</ul></div>")
    social = "".join(f'<a class="social" href="{base}/follow/{name}/" aria-label="{name}">{svg}</a>'
                     for name, svg in SOCIAL.items())
    return (f'<footer class="site-footer"><div class="social-row">{social}</div>{"".join(cols)}<p class="copyright">&copy; 2026 The Bench '
            f'Courier Ltd. All rights reserved. Registered in a country that does not exist.</p></footer>')


def _related(i: int, spec: SiteSpec, base: str, rng: random.Random) -> str:
    if spec.n_pages < 2:
        return ""
    picks = sorted({rng.randrange(spec.n_pages) for _ in range(5)} - {i})
    lis = "".join(f'<li><a href="{base}{article_path(j, spec.seed)}">'
                  f"{escape(_title(_rng(j, spec.seed + ':path'), _topic(j, spec.seed)))}</a></li>"
                  for j in picks)
    return f'<aside class="related"><h3>Related stories</h3><ul>{lis}</ul></aside>'


def _most_read(i: int, spec: SiteSpec, base: str, rng: random.Random) -> str:
    cards = []
    for k in range(8):
        j = (i * 7 + k) % spec.n_pages
        t = _topic(j, spec.seed)
        cards.append(f'<li class="card c{k}"><a class="card-link" href="{base}{article_path(j, spec.seed)}">'
                     f'{_picture(base, f"mr-{j}", "")}<h4 class="card-title">Most read story {k + 1}</h4></a>'
                     f'<p class="card-teaser">{escape(_sentence(rng, t)[:90])}</p></li>')
    return f'<aside class="most-read sidebar"><h3>Most read</h3><ol class="cards">{"".join(cards)}</ol></aside>'


def _app_state(i: int, title: str, paragraphs: list[str]) -> str:
    """The hydration blob client-rendered sites ship: the story again, as JSON, inside a script."""
    blocks = ",".join('{"type":"paragraph","html":"%s","attrs":{"className":"c%d"}}'
                      % (p.replace('"', "'"), k) for k, p in enumerate(paragraphs))
    return ('<script id="__APP_STATE__" type="application/json">{"page":{"id":%d,"headline":"%s","blocks":[%s]},'
            '"flags":{"paywall":false,"comments":true,"ads":true}}</script>' % (i, title.replace('"', ""), blocks))


def render_article(i: int, spec: SiteSpec, base: str) -> str:
    """One article page (str); the same for the same (i, spec, base). About 50-100 KB, 600-900 elements,
    like the extraction development set's pages: styles and scripts in the head, a mega menu, a cookie
    banner, inline ads, a lead picture, comments, a card sidebar and a hydration blob."""
    topic = _topic(i, spec.seed)
    rng = _rng(i, spec.seed)
    title = _title(_rng(i, spec.seed + ":path"), topic)
    author = _author(rng)
    when = published(i)
    section = rng.choice(SECTIONS)
    url = base + article_path(i, spec.seed)
    paragraphs: list[str] = []
    body: list[str] = [f'<p class="standfirst">{escape(_sentence(rng, topic))}</p>',
                       f'<figure class="lead">{_picture(base, f"lead-{i}", title)}<figcaption>'
                       f'{escape(_sentence(rng, topic))} Photograph: agency</figcaption></figure>']
    n_par = rng.randint(4, 14)
    for k in range(n_par):
        if k and k % 4 == 0:
            body.append(f"<h2>{escape(rng.choice(ADJ).capitalize())} questions about "
                        f"{escape(rng.choice(TOPICS[topic]['nouns']))}</h2>")
        paragraphs.append(escape(_paragraph(rng, topic)))
        body.append(f"<p>{paragraphs[-1]}</p>")
        if k % 3 == 1:
            body.append(_ad(k))
        if k == 2:
            body.append(f'<div class="promo newsletter"><p>Get the morning briefing in your inbox. '
                        f'<a href="{base}/newsletters/">Sign up</a></p></div>')
        if k == 4 and rng.random() < 0.5:
            body.append(f"<blockquote><p>{escape(_sentence(rng, topic))}</p></blockquote>")
        if k == 5 and rng.random() < 0.4:
            items = "".join(f"<li>{escape(_sentence(rng, topic))}</li>" for _ in range(rng.randint(3, 5)))
            body.append(f"<ul>{items}</ul>")
    tags = "".join(f'<a rel="tag" href="{base}/tag/{t}/">{t.replace("-", " ")}</a> '
                   for t in sorted({topic, rng.choice(TOPIC_NAMES)}))
    share = "".join(f'<a class="share-{name}" href="{base}/share/{name}?u={i}">{svg}</a>'
                    for name, svg in SOCIAL.items())
    jsonld = ('{"@context":"https://schema.org","@type":"NewsArticle","headline":"%s",'
              '"datePublished":"%s","author":{"@type":"Person","name":"%s"},'
              '"publisher":{"@type":"Organization","name":"The Bench Courier"}}'
              % (title.replace('"', ""), when.isoformat(), author))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | The Bench Courier</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="description" content="{escape(_sentence(rng, topic))}">'
        f'<link rel="canonical" href="{url}">'
        f'<link rel="alternate" type="application/rss+xml" href="{base}/feed.xml">'
        f'<meta property="og:title" content="{escape(title)}"><meta property="og:type" content="article">'
        f'<meta property="og:site_name" content="The Bench Courier">'
        f'<meta property="og:image" content="{base}/img/lead-{i}-1440.jpg">'
        f'<meta property="article:published_time" content="{when.isoformat()}">'
        f'<link rel="stylesheet" href="{base}/static/site.css">'
        + "".join(f'<link rel="preload" as="script" href="{base}/static/chunk-{k}.js">' for k in range(8))
        + f"<style>{STYLE}</style><script>{ANALYTICS}</script>"
        f'<script type="application/ld+json">{jsonld}</script></head><body class="article-page">'
        f"{_nav(base)}"
        f'<div class="breadcrumbs"><a href="{base}/">Home</a> &rsaquo; '
        f'<a href="{base}/section/{section.lower()}/">{section}</a></div>'
        f'<main id="main"><div class="layout grid"><div class="col-main"><article class="story">'
        f'<h1>{escape(title)}</h1>'
        f'<div class="byline">By <a rel="author" href="{base}/authors/{author.lower().replace(" ", "-")}/">'
        f'{escape(author)}</a> &middot; <time datetime="{when.isoformat()}">{when:%d %B %Y}</time></div>'
        f'<div class="story-body">{"".join(body)}</div>'
        f'<div class="tags">{tags}</div>'
        f'<div class="share">{share}<a href="{base}/print/{i}">Print</a></div>'
        "</article>"
        f"{_related(i, spec, base, rng)}{_comments(rng, topic)}</div>"
        f'<div class="col-side">{_most_read(i, spec, base, rng)}'
        f'<div class="ad-slot" data-slot="mpu">Advertisement</div></div></div></main>'
        f"{_footer(base)}{_app_state(i, title, paragraphs)}"
        + "".join(f'<script src="{base}/static/chunk-{k}.js" defer></script>' for k in range(8))
        + "</body></html>\n"
    )


def render_meta_files(spec: SiteSpec, base: str) -> dict[str, bytes]:
    """robots.txt, an RSS feed of the newest FEED_ITEMS, a sitemap index and its child sitemaps."""
    paths = spec.article_paths()
    out: dict[str, bytes] = {
        "/robots.txt": f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode(),
        "/static/site.css": b"body{font-family:serif}\n",
        "/": f'<html><head><link rel="alternate" type="application/rss+xml" href="{base}/feed.xml">'
             f"</head><body><h1>The Bench Courier</h1></body></html>".encode(),
    }
    items = []
    for i in range(len(paths) - 1, max(-1, len(paths) - 1 - FEED_ITEMS), -1):
        title = escape(_title(_rng(i, spec.seed + ":path"), _topic(i, spec.seed)))
        items.append(f"<item><title>{title}</title><link>{base}{paths[i]}</link>"
                     f"<guid>{base}{paths[i]}</guid><pubDate>{format_datetime(published(i))}</pubDate></item>")
    out["/feed.xml"] = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                        f"<title>The Bench Courier</title><link>{base}/</link>"
                        f"<description>Benchmark news</description>{''.join(items)}</channel></rss>").encode()
    children = []
    for k in range(0, len(paths), SITEMAP_CHUNK):
        name = f"/sitemaps/articles-{k // SITEMAP_CHUNK + 1}.xml"
        children.append(name)
        urls = "".join(f"<url><loc>{base}{paths[i]}</loc><lastmod>{published(i):%Y-%m-%dT%H:%M:%SZ}"
                       f"</lastmod></url>" for i in range(k, min(k + SITEMAP_CHUNK, len(paths))))
        out[name] = ('<?xml version="1.0" encoding="utf-8"?>'
                     f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()
    index = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
    out["/sitemap.xml"] = ('<?xml version="1.0" encoding="utf-8"?>'
                           f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}'
                           "</sitemapindex>").encode()
    return out


# --- the server ------------------------------------------------------------------------------------

def _content_type(path: str) -> str:
    if path.endswith(".xml"):
        return "application/rss+xml" if path == "/feed.xml" else "application/xml"
    if path.endswith(".txt"):
        return "text/plain; charset=utf-8"
    if path.endswith(".css"):
        return "text/css"
    if path.startswith("/corpus/"):
        return "text/html"  # real pages come in many encodings: the client sniffs, as on the web
    return "text/html; charset=utf-8"


def _handler(files: dict[str, tuple[bytes, str, str]], counts) -> type[BaseHTTPRequestHandler]:
    last_modified = format_datetime(LAST_MODIFIED, usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        server_version = "BenchCourier/1.0"

        def log_message(self, format, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path or "/"
            hit = files.get(path) or files.get(path.rstrip("/") + "/")
            if hit is None:
                self._send(404, b"<html><body>not found</body></html>", "text/html")
                return
            body, ctype, etag = hit
            if self._not_modified(etag):
                counts[1] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.end_headers()
                return
            counts[0] += 1
            self._send(200, body, ctype, {"ETag": etag, "Last-Modified": last_modified})

        def _not_modified(self, etag: str) -> bool:
            inm = self.headers.get("If-None-Match")
            if inm is not None:
                return etag in [t.strip().removeprefix("W/") for t in inm.split(",")] or inm.strip() == "*"
            ims = self.headers.get("If-Modified-Since")
            try:
                return bool(ims) and parsedate_to_datetime(ims) >= LAST_MODIFIED
            except (TypeError, ValueError):
                return False

        def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _serve(spec: SiteSpec, conn, counts) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    server.request_queue_size = 256
    base = f"http://127.0.0.1:{server.server_address[1]}"
    files = {p: (b, _content_type(p), '"' + hashlib.sha256(b).hexdigest()[:32] + '"')
             for p, b in spec.pages(base).items()}
    server.RequestHandlerClass = _handler(files, counts)
    conn.send(base)
    server.serve_forever(poll_interval=0.2)


@contextmanager
def serve_site(spec: SiteSpec):
    """Serve the site from a subprocess on 127.0.0.1; yields (base_url, counts) where counts[0] are
    200 responses and counts[1] 304 responses so far (shared memory)."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    counts = ctx.Array("q", 2, lock=False)
    proc = ctx.Process(target=_serve, args=(spec, child, counts), daemon=True, name="bench-site")
    proc.start()
    try:
        if not parent.poll(600):
            raise RuntimeError("benchmark site did not start")
        yield parent.recv(), counts, proc.pid
    finally:
        proc.terminate()
        proc.join(10)
