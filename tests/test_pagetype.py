"""The page-type gate (extractors/content/_pagetype.py) on hand-written pages of each kind, the hard
cases, the golden corpus and the sample site; the URL families of discovery (extractors/discover)."""

from __future__ import annotations

import json

import pytest

from content_eval import load_golden
from extractors.config import Source, load_settings_text
from extractors.content import extract_article
from extractors.discover import MAX_PAGES_PER_FAMILY, select_candidates, url_family
from extractors.errors import NotArticleError
from extractors.models import Candidate, FetchResult
from extractors.process import extract_processed_page
from flows.sample import SAMPLE_SOURCE, load_expected, load_site_files, sample_config_text

O = "https://gazette.example"
NAV = ('<header><a href="/">The Gazette</a><nav><ul><li><a href="/news/">News</a></li>'
       '<li><a href="/sport/">Sport</a></li><li><a href="/about/">About</a></li></ul></nav></header>')
FOOT = '<footer><p>The Gazette, 4 Quay Street.</p><a href="/privacy/">Privacy</a></footer>'
PARA = [
    "The harbour office confirmed on Tuesday that dredging of the inner basin will begin next month, after "
    "two years of delays caused by a dispute over where the silt should go.",
    "Fishermen who moor along the east wall said they had been promised the work several times before and "
    "would believe it when they saw the barges arrive at the quay.",
    "The council expects the project to cost four million pounds, most of it paid by a regional fund, and "
    "says the basin will be deep enough for the island ferry at every tide.",
    "Traders on Market Street hope the deeper water will bring back the small cruise ships that stopped "
    "calling at the town when the channel silted up a decade ago.",
    "Engineers will survey the old harbour wall at the same time, because the last inspection found cracks "
    "that the storms of last winter may have widened further.",
]
TEASERS = [f"A long teaser for story {n}: the reporter spent a week on the waterfront talking to the people "
           f"who work there, and this paragraph sums up what they said about the changes coming to the town."
           for n in range(10)]


def page(body: str, head: str = "", title: str = "The Gazette") -> str:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body>{NAV}<main>{body}</main>{FOOT}</body></html>")


def kind_of(html: str, url: str) -> tuple[str, str, str]:
    """(kind, page_type, reason) as the workers see it (extract_processed_page's skip or article)."""
    cand = Candidate(url, "s", "link")
    fetched = FetchResult(url=url, final_url=url, outcome="ok", status_code=200, body=html.encode(),
                          encoding="utf-8")
    from extractors.config import ThemeSet

    p = extract_processed_page(cand, fetched, ThemeSet(themes=()))
    assert p.page_type is not None, p.skip
    if p.page_type.kind == "article":
        assert p.article is not None and p.skip is None
    else:
        assert p.article is None and p.skip.outcome == "not_article" and p.skip.reason == p.page_type.reason
    return p.page_type.kind, p.page_type.page_type, p.page_type.reason


POST_HEAD = ('<meta property="og:type" content="article">'
             '<meta property="article:published_time" content="2026-03-02T08:30:00Z">')


def test_a_plain_article_is_an_article():
    body = "<article><h1>Dredging begins</h1><p class='by'>By Jane Doe</p>" + "".join(f"<p>{p}</p>" for p in PARA)
    assert kind_of(page(body + "</article>", POST_HEAD), f"{O}/2026/03/dredging-begins/")[:2] == ("article", "article")


def test_a_short_article_of_three_paragraphs_without_markup_stays_an_article():
    body = "<div class='story'><h1>Dredging begins</h1>" + "".join(f"<p>{p}</p>" for p in PARA[:3]) + "</div>"
    assert kind_of(page(body), f"{O}/news/dredging-begins")[:2] == ("article", "article")


def test_a_two_paragraph_brief_at_a_section_like_url_with_a_date_stays_an_article():
    body = "<article><h1>Ferry delayed</h1>" + "".join(f"<p>{p}</p>" for p in PARA[:2]) + "</article>"
    got = kind_of(page(body, POST_HEAD), f"{O}/section/ferry-delayed")
    assert got[:2] == ("article", "article"), got


def test_an_article_with_a_long_related_links_list_stays_an_article():
    related = "".join(f'<li><a href="/news/story-{n}">Another story from the waterfront, number {n}</a></li>'
                      for n in range(40))
    cards = "".join(f'<div class="teaser"><h3><a href="/news/more-{n}">More news {n} from the quay</a></h3></div>'
                    for n in range(8))
    body = ("<article><h1>Dredging begins</h1>" + "".join(f"<p>{p}</p>" for p in PARA[:3])
            + f"<h3>Related</h3><ul class='related'>{related}</ul>{cards}</article>")
    kind, page_type, reason = kind_of(page(body), f"{O}/news/dredging-begins")
    assert (kind, page_type) == ("article", "article"), reason
    assert "3 prose paragraphs" in reason


def test_a_listing_with_long_teasers_is_a_listing_even_without_a_url_shape():
    cards = "".join(f'<article class="card"><h2><a href="/news/story-{n}">Story {n} headline on the harbour</a>'
                    f"</h2><p>{t}</p></article>" for n, t in enumerate(TEASERS))
    kind, page_type, reason = kind_of(page(f"<h1>Latest</h1>{cards}"), f"{O}/latest")
    assert (kind, page_type) == ("listing", "index"), reason
    assert reason == "listing (index): 10 links in 10 cards, 0 prose paragraphs (0 words)"


@pytest.mark.parametrize("path,expected", [
    ("/", "home"), ("/tag/harbour/", "tag"), ("/section/news/", "section"), ("/author/jane-doe/", "author"),
    ("/news/page/3/", "archive"), ("/?page=4", "archive"), ("/2026/03/", "archive"), ("/search?q=ferry", "search"),
])
def test_listings_by_url_shape_and_cards(path, expected):
    cards = "".join(f'<article class="card"><h2><a href="/2026/03/story-{n}/">Story {n} on the harbour</a></h2>'
                    f"<p>{t}</p></article>" for n, t in enumerate(TEASERS[:6]))
    kind, page_type, reason = kind_of(page(f"<h1>Stories</h1>{cards}<a href='?page=2'>Next</a>"), O + path)
    assert (kind, page_type) == ("listing", expected), reason
    assert reason.startswith(f"listing ({expected}): ")


def test_a_tag_page_of_bare_links_is_recorded_as_a_listing_with_its_links():
    items = "".join(f'<li><a href="/2026/03/story-{n}/">Story {n} about the harbour</a></li>' for n in range(30))
    html = page(f"<h1>harbour</h1><ul class='tags'>{items}</ul>")
    assert kind_of(html, f"{O}/tag/harbour/")[:2] == ("listing", "tag")
    with pytest.raises(NotArticleError) as e:  # too little text: extraction raises, with the page type
        extract_article(html, f"{O}/tag/harbour/")
    links = e.value.page_type.links
    assert len(links) == 30 and links[0] == f"{O}/2026/03/story-0/"
    assert f"{O}/news/" not in links  # the navigation is not the listing's


def test_a_runaway_calendar_month_is_a_calendar_listing():
    body = ("<h1>Events in May 2031</h1><div class='calendar'><p>No events are listed for this month.</p>"
            "<a href='/events/2031/04/'>Previous month</a> <a href='/events/2031/06/'>Next month</a></div>")
    kind, page_type, reason = kind_of(page(body), f"{O}/events/2031/05/")
    assert (kind, page_type) == ("listing", "calendar"), reason


def test_a_live_blog_stays_an_article():
    entries = "".join(f"<div class='entry'><time>{10 + n}:00</time><h3>Update {n}</h3><p>Ferry {n} is late.</p></div>"
                      for n in range(15))
    ld = '<script type="application/ld+json">{"@type": "LiveBlogPosting", "headline": "Storm live"}</script>'
    assert kind_of(page(f"<h1>Storm: live</h1>{entries}", ld), f"{O}/news/storm-live")[:2] == ("article", "live_blog")
    marked = page(f"<article class='liveblog'><h1>Storm: live</h1>{entries}</article>")
    assert kind_of(marked, f"{O}/news/storm-live")[:2] == ("article", "live_blog")


def test_an_error_page_served_with_200_is_other():
    body = "<h1>Page not found</h1><p>Sorry, we could not find that page. Try the search.</p>"
    kind, page_type, reason = kind_of(page(body, title="404 - Page not found"), f"{O}/news/gone-story")
    assert (kind, page_type) == ("other", "error"), reason


def test_a_login_wall_is_other_but_a_paywalled_article_with_its_lead_is_an_article():
    form = ("<form action='/login' method='post'><label>Email <input type='email' name='e'></label>"
            "<label>Password <input type='password' name='p'></label><button>Sign in</button></form>")
    wall = page(f"<h1>Sign in to continue</h1><p>Subscribers can read every story on the site.</p>{form}")
    assert kind_of(wall, f"{O}/news/members-story")[:2] == ("other", "login")
    paywalled = page("<article><h1>Dredging begins</h1>" + "".join(f"<p>{p}</p>" for p in PARA[:2])
                     + f"</article>{form}", POST_HEAD)
    assert kind_of(paywalled, f"{O}/news/dredging-begins")[:2] == ("article", "article")


def test_about_and_contact_pages_are_other():
    body = "<h1>About the Gazette</h1>" + "".join(f"<p>{p}</p>" for p in PARA[:2])
    assert kind_of(page(body), f"{O}/about/")[:2] == ("other", "about")
    assert kind_of(page(body), f"{O}/contact-us/")[:2] == ("other", "contact")
    dated = page("<article><h1>About our new printing press</h1>" + "".join(f"<p>{p}</p>" for p in PARA[:2])
                 + "</article>", POST_HEAD)
    assert kind_of(dated, f"{O}/about/")[:2] == ("article", "article")  # a dated article, whatever its URL


def test_a_menu_around_one_line_is_thin_but_a_bare_short_page_is_left_an_article():
    menu = page("<h1>Opening hours</h1><div>We are open on weekdays.</div>")
    kind, page_type, reason = kind_of(menu, f"{O}/hours")
    assert (kind, page_type) == ("other", "thin"), reason
    bare = "<html><head><title>Caf\u00e9</title></head><body><p>A short caf\u00e9 note with a dash.</p></body></html>"
    assert kind_of(bare, f"{O}/note")[:2] == ("article", "article")


def test_the_signals_are_recorded():
    items = "".join(f'<li><a href="/2026/03/story-{n}/">Story {n} about the harbour</a></li>' for n in range(12))
    pt = extract_article(page(f"<h1>Tag x</h1><ul>{items}</ul>", '<meta property="og:type" content="website">'),
                         f"{O}/tag/x/").page_type
    assert (pt.kind, pt.page_type) == ("listing", "tag")
    s = pt.signals
    assert s["og_type"] == "website" and s["url_shape"] == "tag" and s["cards"] == 12 and s["link_items"] == 12
    assert s["prose_paragraphs"] == 0 and s["link_ratio"] == 1.0
    json.dumps(s)  # stored as JSON text


@pytest.mark.parametrize("name,spec,raw", load_golden(), ids=[c[0] for c in load_golden()])
def test_golden_pages_stay_articles(name, spec, raw):
    article = extract_article(raw, spec["url"], encoding=spec.get("encoding"))
    assert article.page_type.kind == "article", (name, article.page_type.reason)


def test_the_sample_sites_pages_articles_and_not():
    base = "http://127.0.0.1:8765"
    settings = load_settings_text(sample_config_text(base), "sample.toml")
    themes = settings.theme_set(settings.source(SAMPLE_SOURCE))
    files = load_site_files()
    expected = load_expected()

    def processed(path):
        url = base + path
        body = files[path + "index.html"].replace(b"{{BASE}}", base.encode())
        return extract_processed_page(Candidate(url, SAMPLE_SOURCE, "link"),
                                      FetchResult(url=url, final_url=url, outcome="ok", status_code=200,
                                                  body=body, encoding="utf-8"), themes)

    for path in expected["articles"]:
        p = processed(path)
        assert p.article is not None and p.page_type.kind == "article", (path, p.page_type)
    got = {path: processed(path) for path in expected["non_articles"] if path + "index.html" in files}
    assert got, expected["non_articles"]
    for path, p in got.items():
        assert p.article is None and p.skip.outcome == "not_article", (path, p.skip)


# --- URL families (discovery) --------------------------------------------------------------------------


def test_url_families():
    assert url_family(f"{O}/events/2031/05/") == ("gazette.example/events/{date}/{date}?", "date")
    assert url_family(f"{O}/news/page/7/")[1] == "page"
    assert url_family(f"{O}/?page=7")[1] == "page"
    assert url_family(f"{O}/shop?colour=red&size=m") == ("gazette.example/shop?colour=*&size=*", "filter")
    assert url_family(f"{O}/news/ferry-delayed") is None  # a slug: no family
    assert url_family(f"{O}/story/1234567") is None  # an article id is not a page number
    assert url_family(f"{O}/?p=3289") is None  # WordPress post ids
    # an article family (dated paths) keeps its slug: one family per article
    assert url_family(f"{O}/2026/03/dredging-begins/") != url_family(f"{O}/2026/03/ferry-delayed/")


def test_families_are_capped_per_run_but_dated_articles_are_not():
    src = Source(name="s", seeds=(O + "/",), max_pages_per_run=10_000)
    months = [Candidate(f"{O}/events/{y}/{m:02d}/", "s", "sitemap") for y in range(2026, 2042) for m in range(1, 13)]
    pages = [Candidate(f"{O}/news/?page={n}", "s", "link") for n in range(2, 60)]
    facets = [Candidate(f"{O}/shop?colour={c}&size={s}", "s", "link") for c in ("red", "blue", "green", "black")
              for s in ("xs", "s", "m", "l", "xl", "xxl")]
    articles = [Candidate(f"{O}/2026/{m:02d}/story-number-{n}/", "s", "sitemap") for m in range(1, 13)
                for n in range(30)]
    selected, skips = select_candidates([*months, *pages, *facets, *articles], src)
    urls = {c.url for c in selected}
    assert sum("/events/" in u for u in urls) == MAX_PAGES_PER_FAMILY
    assert sum("page=" in u for u in urls) == MAX_PAGES_PER_FAMILY
    assert sum("/shop?" in u for u in urls) == MAX_PAGES_PER_FAMILY
    assert sum("/story-number-" in u for u in urls) == len(articles)  # distinct slugs: never capped
    capped = [s for s in skips if s.outcome == "family_capped"]
    assert len(capped) == len(skips) == (len(months) + len(pages) + len(facets) - 3 * MAX_PAGES_PER_FAMILY)
    assert all(s.stage == "plan" and f"more than {MAX_PAGES_PER_FAMILY} URLs of the" in s.reason for s in capped)
    # the URLs chosen earlier in the run count against their family
    again, more = select_candidates(months, src, already_selected=[c.url for c in selected])
    assert again == () and {s.outcome for s in more} == {"family_capped"}
    # the next run, with these finished, re-checks the same members instead of 20 new ones
    months_again, _ = select_candidates(months, src, finished={c.url for c in selected})
    assert [c.url for c in months_again] == [c.url for c in selected if "/events/" in c.url]


# --- the page_types table -------------------------------------------------------------------------------


def test_page_types_rows_are_loaded_per_url_and_replaced_by_the_latest_decision(tmp_path):
    from dataclasses import replace
    from datetime import datetime, timezone

    from dbquery import query
    from extractors.models import PageType, Skip
    from factories import make_page
    from warehouse import RunInfo, Warehouse

    db = tmp_path / "pt.duckdb"
    article_page = make_page(0)
    url = article_page.candidate.url
    listing = PageType("listing", "tag", "listing (tag): 9 links in 9 cards, 0 prose paragraphs (0 words)",
                       {"cards": 9, "prose_paragraphs": 0}, links=("https://x.example/a",))
    as_listing = replace(article_page, article=None, scores=(), page_type=listing,
                         skip=Skip(url, article_page.candidate.source, "extract", "not_article", listing.reason))
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", datetime(2026, 3, 1, tzinfo=timezone.utc)))
        wh.load_pages("r1", "sample", [as_listing])
        wh.publish()
        first = query(db, "SELECT url, kind, page_type, reason, signals, article_id FROM page_types")
        assert query(db, "SELECT count(*) FROM articles")[0][0] == 0
        assert query(db, "SELECT outcome, reason FROM skips") == [("not_article", listing.reason)]
        decided = PageType("article", "article", "5 prose paragraphs", {"prose_paragraphs": 5})
        wh.load_pages("r1", "sample", [replace(article_page, page_type=decided)])
        wh.publish()
    assert first == [(url, "listing", "tag", listing.reason, '{"cards": 9, "prose_paragraphs": 0}', None)]
    (row,) = query(db, "SELECT url, kind, page_type, article_id FROM page_types")
    assert row[:3] == (url, "article", "article") and row[3] == query(db, "SELECT article_id FROM articles")[0][0]
