"""Writes the golden corpus: tests/golden/NAME.html + NAME.json (run: .venv/bin/python tests/golden/build_golden.py).

Every page is written for this corpus (original text, *.example hosts). Each spec lists:
  url, keep (must be in the text), lookalikes (junk-looking sentences that must be kept too),
  junk (must NOT be in the text), meta (expected title/author/published date/language),
  links (expected Article.links entries: [url, kind]), optional encoding/now/repeated.
The committed .html/.json files are the corpus; this script documents how they were made.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent

# ---- junk snippets: (html, [junk strings that must not survive]) -------------------------------------
PROMO = ('<p><a href="/go/hosting-deal">Hosting 75% off</a></p>', ["Hosting 75% off"])
PROMO_PLAIN = ('<p>VPN deal: 60% off today</p>', ["VPN deal: 60% off today"])
WRITTEN_BY = ('<p>Written by Mara Lindqvist</p>', ["Written by Mara Lindqvist"])
NEWSLETTER = ('<p>Sign up for our weekly newsletter and get the best stories delivered to your inbox.</p>',
              ["Sign up for our weekly newsletter"])
DONATION = ('<p>If you value this reporting, please consider making a donation to support independent journalism.</p>',
            ["please consider making a donation"])
PAYWALL = ('<p>Subscribe to continue reading. Already a subscriber? Log in here.</p>', ["Subscribe to continue reading"])
AFFILIATE = ('<p><em>This post contains affiliate links: we may earn a commission if you buy through them.</em></p>',
             ["contains affiliate links"])
FILED = ('<p>Filed under: Technology, Society</p>', ["Filed under: Technology"])
TAGS = ('<p>Tags: <a href="/tag/ai">AI</a>, <a href="/tag/loneliness">loneliness</a></p>', ["Tags: AI"])
COOKIE = ('<div class="notice"><p>We use cookies to improve your experience on our site. Accept all cookies.</p></div>',
          ["We use cookies to improve"])
SHARE = ('<p>Share this article: <a href="https://social.example/share">Facebook</a> '
         '<a href="https://social.example/tweet">Twitter</a></p>', ["Share this article"])
COMMENTS = ('<div id="comments" class="comments-area"><h3>2 Comments</h3><ol class="comment-list"><li class="comment">'
            '<p>Totally agree with every word of this, thanks for writing it!</p></li><li class="comment">'
            '<p>My grandmother would have loved a robot cat, honestly.</p></li></ol>'
            '<p>Leave a Reply</p></div>',
            ["Totally agree with every word", "My grandmother would have loved a robot cat", "Leave a Reply"])


def read_more(prefix: str, title: str, href: str) -> tuple[str, list[str]]:
    return f'<p><strong>{prefix}</strong> <a href="{href}">{title}</a></p>', [title]


def related_twice(items: list[tuple[str, str]]) -> tuple[str, list[str]]:
    html = "".join(f'<p><a href="{h}">{t}</a></p><p><a href="{h}">{t}</a></p>' for t, h in items)
    return html, [t for t, _ in items]


def related_list(heading: str, items: list[tuple[str, str]]) -> tuple[str, list[str]]:
    lis = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in items)
    return f"<h3>{heading}</h3><ul>{lis}</ul>", [t for t, _ in items]


def bio(text: str) -> tuple[str, list[str]]:
    return f"<p>{text}</p>", [text[:40]]


# ---- templates -------------------------------------------------------------------------------------------
def head(title, *, lang="en", charset="utf-8", site=None, author=None, date=None, canonical=None, extra=""):
    metas = [f'<meta charset="{charset}">', f"<title>{title}{' | ' + site if site else ''}</title>"]
    if site:
        metas.append(f'<meta property="og:site_name" content="{site}">')
    if author:
        metas.append(f'<meta name="author" content="{author}">')
    if date:
        metas.append(f'<meta property="article:published_time" content="{date}">')
    if canonical:
        metas.append(f'<link rel="canonical" href="{canonical}">')
    return f'<!DOCTYPE html><html lang="{lang}"><head>{"".join(metas)}{extra}</head>'


NAV = ('<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li>'
       '<li><a href="/about/">About us</a></li></ul></nav></header>')
FOOT = '<footer class="site-footer"><p>© 2024 Example Media. All rights reserved.</p><a href="/privacy">Privacy</a></footer>'
SIDEBAR = ('<aside id="secondary" class="widget-area"><section class="widget"><h2>Popular</h2><ul>'
           '<li><a href="/p/1">Ten ways to fix your sleep</a></li><li><a href="/p/2">The best budget laptops</a></li>'
           '</ul></section></aside>')


def wordpress(h, title, body, *, byline="", after="", lang="en"):
    return (f'{h}<body class="single-post">{NAV}<div id="page"><main id="main"><article class="post type-post">'
            f'<header class="entry-header"><h1 class="entry-title">{title}</h1>{byline}</header>'
            f'<div class="entry-content">{body}</div></article>{after}</main>{SIDEBAR}</div>{FOOT}</body></html>')


def ghost(h, title, body, *, after=""):
    return (f'{h}<body class="post-template">{NAV}<main class="site-main"><article class="gh-article post">'
            f'<header class="gh-article-header gh-canvas"><h1 class="gh-article-title">{title}</h1></header>'
            f'<section class="gh-content gh-canvas">{body}</section></article>{after}</main>{FOOT}</body></html>')


def plain_article(h, title, body, *, byline="", after=""):
    return (f'{h}<body>{NAV}<div class="container"><article><h1>{title}</h1>{byline}'
            f'<div class="article-body">{body}</div></article>{after}</div>{FOOT}</body></html>')


def ps(*paras: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


PAGES: dict[str, dict] = {}


def page(name, html, *, url, keep, junk_parts=(), extra_junk=(), lookalikes=(), meta=None, links=(),
         encoding=None, repeated=(), now=None, charset="utf-8"):
    PAGES[name] = dict(html=html, charset=charset, spec=dict(
        url=url, keep=list(keep), lookalikes=list(lookalikes),
        junk=[j for _, js in junk_parts for j in js] + list(extra_junk), meta=meta or {},
        links=[list(x) for x in links], encoding=encoding, repeated=list(repeated), now=now))


def build() -> None:
    from golden_pages import define_pages  # the page texts, next to this script

    define_pages(page, globals())
    for name, p in PAGES.items():
        (OUT / f"{name}.html").write_bytes(p["html"].encode(p["charset"]))
        (OUT / f"{name}.json").write_text(json.dumps(p["spec"], ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {len(PAGES)} pages to {OUT}")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(OUT))
    build()
