"""Regenerates flows/sample/site/ and flows/sample/expected.json from the article sources.

The article prose lives in flows/sample/_build/articles/*.txt (one file per article: a header of
`key: value` lines, a `---` line, then the body). The generated HTML is committed: the site is static,
and this script exists so that the pages, the feed, the sitemap and the test manifest stay consistent.

    .venv/bin/python flows/sample/_build/build.py

Body markup: blank-line separated blocks; `## Heading`; `- item` lines (a list); `> quote`;
`@readmore slug` (an injected "Read More:" line); `@promo text` (an injected promo line);
inline links as `[text](slug)`. Everything else is a paragraph.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent
SITE = SAMPLE / "site"
B = "{{BASE}}"
SITE_NAME = "The Signal Desk"

AUTHORS = {
    "Maya Okafor": "Maya Okafor is a senior reporter at The Signal Desk covering how technology changes "
                   "the way we live, love and look after each other.",
    "Daniel Reyes": "Daniel Reyes writes about internet culture and communities for The Signal Desk. "
                    "He previously covered city politics in Albuquerque.",
    "Priya Raman": "Priya Raman is The Signal Desk's health and science correspondent. She holds a "
                   "master's degree in public health.",
    "Tom Lindqvist": "Tom Lindqvist covers chips, cloud computing and tech policy for The Signal Desk "
                     "from Brussels and San Francisco.",
    "Hana Sato": "Hana Sato reviews gadgets and writes about the people who build them for "
                 "The Signal Desk. She is based in Tokyo.",
    "Grace Whitfield": "Grace Whitfield is a features writer at The Signal Desk whose work focuses on "
                       "wellbeing, work and the ethics of new technology.",
}

NEWSLETTER_HEAD = "Get The Signal Desk Daily"
NEWSLETTER_TEXT = ("The day's most important stories about technology and culture, delivered to your "
                   "inbox every morning. Sign up for free and unsubscribe at any time.")
COOKIE_TEXT = "We use cookies to improve your experience and to show you relevant offers."
SHARE_LABELS = ("Share on X", "Share on Facebook", "Copy link")
COMMENT_POOL = [
    ("nightowl_88", "This hit close to home. My grandmother talks to her tablet more than to any of us."),
    ("R. Castillo", "Great piece, but I wish you had talked to more people who actually use these apps."),
    ("jules.w", "Bookmarking this for my sociology seminar next week, thanks for writing it."),
    ("Bernard K", "Technology is never the whole answer. Call your friends, people."),
]


@dataclass
class Art:
    slug: str
    month: str
    title: str
    date: datetime
    author: str
    template: str
    theme: str | None
    tags: list[str]
    dek: str
    related: list[str]
    comments: int = 0
    also: list[str] = field(default_factory=list)  # themes the article legitimately touches besides its top one
    body: str = ""
    modified: datetime | None = None
    feed_tracking: bool = False
    junk: list[str] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/{self.month}/{self.slug}/"


def parse(path: Path) -> Art:
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    meta = {}
    for line in head.strip().splitlines():
        k, v = line.split(":", 1)
        meta[k.strip()] = v.strip()
    date = datetime.fromisoformat(meta["date"])
    return Art(
        slug=meta["slug"], month=date.strftime("%Y/%m"), title=meta["title"], date=date,
        author=meta["author"], template=meta["template"],
        theme=None if meta["theme"] == "none" else meta["theme"],
        tags=[t.strip() for t in meta["tags"].split(",")], dek=meta["dek"],
        related=[r.strip() for r in meta.get("related", "").split(",") if r.strip()],
        comments=int(meta.get("comments", "0")), body=body.strip(),
        also=[t.strip() for t in meta.get("also", "").split(",") if t.strip()],
        modified=datetime.fromisoformat(meta["modified"]) if "modified" in meta else None,
        feed_tracking=meta.get("feed_tracking") == "yes",
    )


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


def human_date(d: datetime) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


class Renderer:
    def __init__(self, arts: dict[str, Art]) -> None:
        self.arts = arts

    def href(self, slug: str, absolute: bool = False) -> str:
        return (B if absolute else "") + self.arts[slug].path

    def inline(self, text: str) -> str:
        out = esc(text)
        return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)",
                      lambda m: f'<a href="{self._target(m.group(2))}">{m.group(1)}</a>', out)

    def _target(self, ref: str) -> str:
        target = ref if ref.startswith(("http://", "https://")) else self.href(ref)
        self._current.links["inline"].append(target)
        return target

    def body(self, art: Art) -> str:
        parts = []
        promo_n = 0
        for block in re.split(r"\n\s*\n", art.body):
            block = block.strip()
            if block.startswith("## "):
                parts.append(f"<h2>{esc(block[3:])}</h2>")
            elif block.startswith("- "):
                items = [ln[2:].strip() for ln in block.splitlines()]
                parts.append("<ul>\n" + "\n".join(f"  <li>{self.inline(i)}</li>" for i in items) + "\n</ul>")
            elif block.startswith("> "):
                parts.append(f"<blockquote><p>{self.inline(block[2:])}</p></blockquote>")
            elif block.startswith("@readmore "):
                if block.split()[1] not in self.arts:
                    print(f"warning: {art.slug}: no article {block.split()[1]!r}")
                    continue
                target = self.arts[block.split()[1]]
                art.junk += ["Read More:", target.title]
                art.links["read_more"].append(target.path)
                parts.append(self.readmore(art, target))
            elif block.startswith("@promo "):
                text = block[len("@promo "):]
                art.junk.append(text)
                parts.append(self.promo(art, text, promo_n))
                promo_n += 1
            else:
                parts.append(f"<p>{self.inline(block)}</p>")
                if "[" not in block:
                    art.sentences.append(block)
        return "\n".join(parts)

    def readmore(self, art: Art, target: Art) -> str:
        link = f'<a href="{target.path}">{esc(target.title)}</a>'
        if art.template == "wp":
            return f"<p><strong>Read More:</strong> {link}</p>"
        if art.template == "div":
            return f'<div class="read-more-inline"><span>Read More:</span> {link}</div>'
        return f'<p class="also-read">Read More: {link}</p>'

    def promo(self, art: Art, text: str, n: int) -> str:
        """Promo lines in the forms real sites use: bare text (as in the seed), linked, in an ad slot."""
        if art.template == "wp":
            if n % 2 == 0:
                return f"<p><strong>{esc(text)}</strong></p>"
            return f'<p><a href="/go/offer-{n}" rel="sponsored nofollow">{esc(text)}</a></p>'
        if art.template == "div":
            return f'<div class="ad-slot"><a href="/go/offer-{n}">{esc(text)}</a></div>'
        if n % 2 == 0:
            return f'<p class="sponsored">{esc(text)}</p>'
        return f'<p class="sponsored"><a href="/go/offer-{n}" rel="sponsored">{esc(text)}</a></p>'

    def related(self, art: Art) -> str:
        if not art.related:
            return ""
        items = []
        for i, slug in enumerate(s for s in art.related if s in self.arts):
            t = self.arts[slug]
            art.junk.append(t.title)
            art.links["related"].append(t.path)
            href = self.href(slug, absolute=(i % 2 == 1))
            items.append(f'  <li><a class="thumb" href="{href}">'
                         f'<span class="thumb-caption">{esc(t.title)}</span></a>\n'
                         f'      <h4><a href="{href}">{esc(t.title)}</a></h4></li>')
        return ('<div class="related-posts">\n<h3>Related articles</h3>\n<ul>\n' + "\n".join(items)
                + "\n</ul>\n</div>")

    def share(self) -> str:
        return ('<div class="share-widget"><span>Share:</span> '
                '<a class="share-x" href="#">Share on X</a> '
                '<a class="share-fb" href="#">Share on Facebook</a> '
                '<button class="copy-link">Copy link</button></div>')

    def newsletter(self) -> str:
        return (f'<div class="newsletter-box"><h4>{NEWSLETTER_HEAD}</h4><p>{esc(NEWSLETTER_TEXT)}</p>'
                '<form action="/newsletter/" method="post"><input type="email" name="email" '
                'placeholder="you@example.org"><button type="submit">Subscribe</button></form></div>')

    def bio(self, art: Art) -> str:
        return (f'<div class="author-box"><h4>About {esc(art.author)}</h4>'
                f"<p>{esc(AUTHORS[art.author])}</p></div>")

    def filed(self, art: Art) -> str:
        tags = ", ".join(f'<a href="/tag/{t.lower().replace(" ", "-")}/" rel="tag">{esc(t)}</a>'
                         for t in art.tags)
        return f'<p class="tags">Filed under: {tags}</p>'

    def comments(self, art: Art) -> str:
        if not art.comments:
            return ""
        rows = []
        for name, text in COMMENT_POOL[: art.comments]:
            art.junk.append(text)
            rows.append(f'<li class="comment"><p class="comment-author">{esc(name)} says:</p>'
                        f"<p>{esc(text)}</p></li>")
        return (f'<section id="comments" class="comments-area"><h3>{art.comments} Comments</h3>'
                f'<ol class="comment-list">{"".join(rows)}</ol><h3>Leave a Reply</h3>'
                '<form class="comment-form"><textarea name="comment"></textarea>'
                '<button>Post Comment</button></form></section>')

    def head(self, art: Art, extra: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(art.title)} | {SITE_NAME}</title>
<meta name="description" content="{attr(art.dek)}">
<link rel="canonical" href="{B}{art.path}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="{B}/feed.xml">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:title" content="{attr(art.title)}">
<meta property="og:description" content="{attr(art.dek)}">
<meta property="og:url" content="{B}{art.path}">
{extra}<link rel="stylesheet" href="/static/site.css">
</head>
"""

    def nav(self) -> str:
        return ('<header class="site-header"><a class="logo" href="/">The Signal Desk</a>\n'
                '<nav><ul><li><a href="/">Home</a></li><li><a href="/tag/ai/">AI</a></li>'
                '<li><a href="/tag/culture/">Culture</a></li><li><a href="/tag/gadgets/">Gadgets</a></li>'
                '<li><a href="/about/">About</a></li></ul></nav></header>')

    def cookie(self) -> str:
        return (f'<div id="cookie-consent" class="cookie-banner"><p>{COOKIE_TEXT} '
                '<button>Accept all</button> <button>Manage settings</button></p></div>')

    def sidebar(self, art: Art) -> str:
        others = [a for a in sorted(self.arts.values(), key=lambda a: a.date, reverse=True)
                  if a.slug != art.slug][:4]
        lis = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in others)
        return f'<aside class="sidebar"><h3>Most popular</h3><ol>{lis}</ol></aside>'

    def footer(self) -> str:
        return ('<footer class="site-footer"><p>&copy; 2026 The Signal Desk. All rights reserved.</p>'
                '<p><a href="/about/">About</a> &middot; <a href="/privacy/">Privacy</a> &middot; '
                '<a href="/feed.xml">RSS</a></p></footer>\n</body>\n</html>\n')

    def page(self, art: Art) -> str:
        art.junk = []
        art.sentences = []
        art.links = {"read_more": [], "related": [], "inline": []}
        self._current = art
        body = self.body(art)
        related = self.related(art)
        art.junk += [f"Written by {art.author}", NEWSLETTER_TEXT, AUTHORS[art.author], "Share on Facebook",
                     "Filed under:", COOKIE_TEXT]
        return getattr(self, f"page_{art.template}")(art, body, related)

    def page_wp(self, art: Art, body: str, related: str) -> str:
        iso = art.date.isoformat()
        mod = (art.modified or art.date).isoformat()
        tags = "".join(f'<meta property="article:tag" content="{attr(t)}">\n' for t in art.tags)
        extra = (f'<meta name="author" content="{attr(art.author)}">\n'
                 f'<meta property="article:published_time" content="{iso}">\n'
                 f'<meta property="article:modified_time" content="{mod}">\n{tags}')
        return self.head(art, extra) + f"""<body class="post-template-default single single-post">
{self.cookie()}
{self.nav()}
<div id="content" class="site-content">
<main id="primary" class="site-main">
<article id="post-{zlib.crc32(art.slug.encode()) % 9000 + 1000}" class="post type-post status-publish format-standard">
<header class="entry-header">
<nav class="breadcrumbs"><a href="/">Home</a> &raquo; <a href="/tag/{art.tags[0].lower().replace(' ', '-')}/">{esc(art.tags[0])}</a> &raquo; <span>{esc(art.title)}</span></nav>
<div class="cat-links"><a href="/tag/{art.tags[0].lower().replace(' ', '-')}/">{esc(art.tags[0])}</a></div>
<h1 class="entry-title">{esc(art.title)}</h1>
<div class="entry-meta"><span class="byline">Written by <a href="/about/#{art.author.split()[0].lower()}" rel="author">{esc(art.author)}</a></span>
<span class="posted-on"><time class="entry-date published" datetime="{iso}">{human_date(art.date)}</time></span></div>
</header>
{self.share()}
<div class="entry-content">
{body}
<p class="written-by">Written by {esc(art.author)}</p>
{self.newsletter()}
{related}
</div>
<footer class="entry-footer">
{self.filed(art)}
{self.bio(art)}
</footer>
{self.comments(art)}
</article>
</main>
{self.sidebar(art)}
</div>
{self.footer()}"""

    def page_div(self, art: Art, body: str, related: str) -> str:
        iso = art.date.isoformat()
        extra = f'<meta name="author" content="{attr(art.author)}">\n'
        return self.head(art, extra) + f"""<body>
<div id="wrapper">
{self.cookie()}
<div class="top-bar"><div class="logo"><a href="/">THE SIGNAL DESK</a></div>
<div class="top-links"><a href="/">Home</a> | <a href="/tag/culture/">Culture</a> | <a href="/about/">About</a></div></div>
<div id="main"><div class="row">
<div class="col col-8">
<div class="story">
<div class="headline-wrap"><div class="kicker">{esc(art.tags[0])}</div>
<h1 class="headline">{esc(art.title)}</h1>
<div class="dek">{esc(art.dek)}</div></div>
<div class="story-meta"><div class="byline-block">Written by <span class="author-name">{esc(art.author)}</span></div>
<div class="dateline"><time datetime="{iso}">{art.date.strftime('%b')} {art.date.day}, {art.date.year}</time></div></div>
{self.share()}
<div class="story-body"><div class="text-block">
{body}
<p class="written-by"><em>Written by {esc(art.author)}</em></p>
</div>
<div class="story-tools">
{self.newsletter()}
{self.filed(art)}
</div>
{self.bio(art)}
{related}
</div>
{self.comments(art)}
</div>
</div>
<div class="col col-4">{self.sidebar(art)}<div class="ad-box"><a href="/go/ad">Advertisement</a></div></div>
</div></div>
</div>
{self.footer()}"""

    def page_ld(self, art: Art, body: str, related: str) -> str:
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
            "description": art.dek, "datePublished": art.date.isoformat(),
            "dateModified": (art.modified or art.date).isoformat(),
            "author": {"@type": "Person", "name": art.author, "url": f"{B}/about/"},
            "publisher": {"@type": "Organization", "name": SITE_NAME},
            "mainEntityOfPage": f"{B}{art.path}",
            "keywords": art.tags, "inLanguage": "en",
        }
        extra = ('<script type="application/ld+json">\n' + json.dumps(ld, indent=1, ensure_ascii=False)
                 + "\n</script>\n")
        return self.head(art, extra) + f"""<body class="article-page">
{self.nav()}
<main class="layout">
<div class="article" data-id="{art.slug}">
<div class="article__header">
<h1 class="article__title">{esc(art.title)}</h1>
<p class="article__dek">{esc(art.dek)}</p>
<p class="article__byline">Written by {esc(art.author)} &middot; <time datetime="{art.date.date().isoformat()}">{human_date(art.date)}</time></p>
{self.share()}
</div>
<div class="article__body">
{body}
{self.newsletter()}
{related}
{self.filed(art)}
{self.bio(art)}
</div>
{self.comments(art)}
</div>
{self.sidebar(art)}
</main>
{self.cookie()}
{self.footer()}"""


def body_words(art: Art) -> int:
    text = "\n".join(ln for ln in art.body.splitlines() if not ln.startswith("@"))
    return len(re.findall(r"[A-Za-z0-9']+", re.sub(r"\]\([a-z0-9-]+\)", "", text)))


_SENTENCE_END = re.compile(r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bSt)(?<!D\.C)(?<=[.!?])\s+(?=[A-Z])")


def pick_sentences(art: Art) -> list[str]:
    """Three whole sentences from plain paragraphs spread over the body (start, middle, end)."""
    paras = art.sentences
    n = len(paras)
    order = list(dict.fromkeys(i for i in (1, n // 2, n - 1, 2, n // 2 + 1, n - 2, 0) if 0 <= i < n))
    picks: list[str] = []
    for idx in order:
        for s in _SENTENCE_END.split(paras[idx]):
            if len(s) >= 50 and s not in picks and '"' not in s:
                picks.append(s)
                break
        if len(picks) == 3:
            break
    return picks


def simple_page(title: str, path: str, inner: str, robots: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(title)} | {SITE_NAME}</title>
<link rel="canonical" href="{B}{path}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="{B}/feed.xml">
<meta property="og:type" content="website">
<meta property="og:title" content="{attr(title)}">
<meta property="og:url" content="{B}{path}">
{robots}</head>
<body>
<header class="site-header"><a class="logo" href="/">The Signal Desk</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about/">About</a></li></ul></nav></header>
<main>
{inner}
</main>
<footer class="site-footer"><p>&copy; 2026 The Signal Desk. All rights reserved.</p></footer>
</body>
</html>
"""


def write(rel: str, text: str) -> None:
    p = SITE / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def main() -> None:
    arts = {a.slug: a for a in (parse(p) for p in sorted((HERE / "articles").glob("*.txt")))}
    r = Renderer(arts)
    if SITE.exists():
        shutil.rmtree(SITE)
    newest = sorted(arts.values(), key=lambda a: a.date, reverse=True)
    for a in newest:
        write(a.path.strip("/") + "/index.html", r.page(a))

    items = "\n".join(
        f'<li class="teaser"><a href="{a.path}">{esc(a.title)}</a> '
        f'<time datetime="{a.date.date().isoformat()}">{human_date(a.date)}</time>'
        f"<p>{esc(a.dek)}</p></li>" for a in newest)
    write("index.html", simple_page("Technology and culture, explained", "/",
                                    f"<h1>The Signal Desk</h1>\n<ul class=\"latest\">\n{items}\n</ul>"))
    people = "\n".join(f'<li id="{n.split()[0].lower()}"><strong>{esc(n)}</strong>: {esc(b)}</li>'
                       for n, b in AUTHORS.items())
    write("about/index.html", simple_page("About us", "/about/", (
        "<h1>About The Signal Desk</h1>\n<p>The Signal Desk is an independent newsroom that covers "
        "technology and the culture around it. We are reader-funded and we do not publish sponsored "
        "articles, although we do show advertising.</p>\n<h2>Our writers</h2>\n<ul>\n" + people + "\n</ul>")))
    ai_tagged = [a for a in newest if "AI" in a.tags]
    lis = "\n".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in ai_tagged)
    write("tag/ai/index.html", simple_page("Articles tagged AI", "/tag/ai/",
                                           f"<h1>Tag: AI</h1>\n<ul>\n{lis}\n</ul>"))
    write("private/drafts/index.html", simple_page(
        "Draft: untitled", "/private/drafts/",
        "<h1>Draft: untitled</h1>\n<p>This draft is not for publication. Robots must not crawl it.</p>",
        robots='<meta name="robots" content="noindex, nofollow">\n'))
    write("static/site.css", CSS)
    write("robots.txt", "User-agent: *\nDisallow: /private/\nAllow: /\n\nSitemap: {{BASE}}/sitemap.xml\n")

    feed_items = []
    for a in newest[:10]:
        link = f"{B}{a.path}" + ("?utm_source=rss&amp;utm_medium=feed" if a.feed_tracking else "")
        feed_items.append(
            f"  <item>\n    <title>{esc(a.title)}</title>\n    <link>{link}</link>\n"
            f'    <guid isPermaLink="false">signal-desk-{a.slug}</guid>\n'
            f"    <pubDate>{format_datetime(a.date)}</pubDate>\n"
            f"    <dc:creator>{esc(a.author)}</dc:creator>\n"
            f"    <description>{esc(a.dek)}</description>\n  </item>")
    write("feed.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>{SITE_NAME}</title>
  <link>{B}/</link>
  <atom:link href="{B}/feed.xml" rel="self" type="application/rss+xml"/>
  <description>Technology and culture, explained.</description>
  <language>en</language>
  <lastBuildDate>{format_datetime(newest[0].date)}</lastBuildDate>
{chr(10).join(feed_items)}
</channel>
</rss>
""")
    urls = "\n".join(f"  <url>\n    <loc>{B}{a.path}</loc>\n"
                     f"    <lastmod>{(a.modified or a.date).date().isoformat()}</lastmod>\n  </url>"
                     for a in sorted(arts.values(), key=lambda a: a.date))
    write("sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
""")

    manifest = {
        "site_name": SITE_NAME,
        "source_article": arts[SOURCE_SLUG].path,
        "feed": "/feed.xml",
        "sitemap": "/sitemap.xml",
        "robots_disallowed": ["/private/"],
        "feed_articles": [a.path for a in newest[:10]],
        "feed_tracking_articles": [a.path for a in newest[:10] if a.feed_tracking],
        "articles": {
            a.path: {
                "title": a.title, "published": a.date.date().isoformat(), "author": a.author,
                "template": a.template, "on_theme": a.theme is not None, "top_theme": a.theme,
                "themes": [a.theme, *a.also] if a.theme else [],
                "words": body_words(a),
                "must_contain": pick_sentences(a),
                "must_not_contain": list(dict.fromkeys(a.junk)),
                "links": a.links,
            } for a in sorted(arts.values(), key=lambda a: a.date)
        },
        "non_articles": ["/", "/about/", "/tag/ai/", "/private/drafts/"],
        "other_files": ["/robots.txt", "/feed.xml", "/sitemap.xml"],
    }
    (SAMPLE / "expected.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    rows = "\n".join(
        f"| {a.date.date()} | `{a.path}` | {a.template} | {a.theme or '(off-theme)'} | {a.title} |"
        for a in sorted(arts.values(), key=lambda a: a.date))
    (SAMPLE / "README.md").write_text(README.format(n=len(arts), rows=rows), encoding="utf-8")
    print(f"wrote {len(arts)} articles to {SITE}")


README = """# The Signal Desk: the bundled sample site

A small invented tech/culture news site that `themewire demo` and the tests serve on 127.0.0.1.
All prose is original. Generated by `_build/build.py` from `_build/articles/*.txt` (edit those, then run
`.venv/bin/python flows/sample/_build/build.py`; commit `site/`, `expected.json` and this file).

- `site/`: {n} articles, `/` home, `/about/`, `/tag/ai/`, `/private/drafts/` (disallowed by robots.txt),
  `robots.txt`, `feed.xml` (RSS 2.0, 10 newest; one link carries utm_* tracking), `sitemap.xml` (all articles,
  lastmod), `static/site.css`. `{{{{BASE}}}}` in files is replaced by the server's base URL.
- `themewire.toml`: the sample source `ai-connection` with six themes.
- `expected.json`: per article title, published date, author, template, on_theme, top_theme, `themes` (the top
  theme first, then themes the article legitimately touches too; [] when off-theme), `must_contain`
  (sentences from the body), `must_not_contain` (the boilerplate injected into that page), in-article links.
- `__init__.py`: `serve_sample_site()`, `sample_config_text()`, `load_expected()`, `load_site_files()`,
  `SAMPLE_SOURCE`; `server.py` serves the pages, `_data.py` reads them; `python -m flows.sample`.

Templates: `wp` (WordPress-like `<article class="post">`, meta author + article:published_time), `div`
(div soup, date only in `<time>`), `ld` (JSON-LD NewsArticle, no meta author).

| published | path | template | top theme | title |
|---|---|---|---|---|
{rows}
"""

CSS = """body { font: 17px/1.6 Georgia, serif; max-width: 64rem; margin: 0 auto; padding: 0 1rem; color: #222; }
.site-header, .top-bar { display: flex; gap: 2rem; align-items: center; border-bottom: 2px solid #111; }
.site-header nav ul { list-style: none; display: flex; gap: 1rem; padding: 0; }
.logo, .logo a { font: bold 1.4rem sans-serif; color: #b00; text-decoration: none; }
h1 { font-family: sans-serif; line-height: 1.2; }
.cookie-banner { background: #ffe; border: 1px solid #cc9; padding: .5rem; font: 14px sans-serif; }
.share-widget, .entry-meta, .story-meta, .article__byline, .tags, .breadcrumbs { font: 14px sans-serif; color: #555; }
.newsletter-box, .author-box { background: #f4f4f4; padding: 1rem; margin: 1.5rem 0; }
.related-posts ul { list-style: none; padding: 0; } .thumb { display: none; }
.ad-slot, .sponsored, .ad-box { font: bold 14px sans-serif; color: #070; }
.sidebar { font: 14px sans-serif; border-top: 1px solid #ccc; margin-top: 2rem; }
.site-footer { border-top: 1px solid #ccc; margin-top: 2rem; font: 13px sans-serif; color: #666; }
"""

SOURCE_SLUG = "why-people-lean-on-ai-for-emotional-connection"

if __name__ == "__main__":
    main()
