"""Discovery: parsers (pure), select_candidates (pure) and fetch_plan / link crawling against the trap site."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections import Counter
from datetime import datetime, timezone

import pytest

from extractors.config import Source
from extractors.discover import (
    MAX_LINKS_PER_PATTERN, MAX_PAGES_PER_FAMILY, MAX_SITEMAP_URLS, extract_feed, extract_feed_links, extract_page_links,
    extract_sitemap, fetch_plan, select_candidates, url_pattern,
)
from extractors.errors import ExtractionError
from extractors.fetch import Fetcher, guarded_transport
from extractors.models import Candidate
from trapsite import (  # noqa: F401 (fixture)
    ENTITY_BOMB, GOOD_ARTICLES, RecordingTransport, atom_feed, big_sitemap, json_feed, news_sitemap, rss_feed,
    sitemap_index, trap_settings, trapsite, truncated_feed,
)

O = "http://site.example"
SRC = Source(name="s", seeds=(O + "/",), max_pages_per_run=10)


# --- feeds ----------------------------------------------------------------------------------------------


def test_rss_items_with_dates_and_titles():
    entries = extract_feed(rss_feed(O, range(1, 4)), O + "/feed.xml")
    assert [e.url for e in entries] == [f"{O}/article/{n}?utm_source=rss" for n in (1, 2, 3)]
    assert entries[0].title == "Article 1"
    assert entries[0].date_hint == datetime(2023, 11, 15, 22, 13, 20, tzinfo=timezone.utc)


def test_atom_prefers_published_and_alternate_link():
    entries = extract_feed(atom_feed(O), O + "/atom.xml")
    assert len(entries) == GOOD_ARTICLES
    assert entries[0].url == f"{O}/article/1"
    assert entries[0].date_hint == datetime(2023, 11, 11, 10, tzinfo=timezone.utc)


def test_json_feed_and_its_truncated_form():
    body = json_feed(O)
    assert [e.url for e in extract_feed(body, O)] == [f"{O}/article/{n}" for n in range(1, GOOD_ARTICLES + 1)]
    cut = body[: body.index(b"/article/5")]
    assert [e.url for e in extract_feed(cut, O)] == [f"{O}/article/{n}" for n in range(1, 5)]


def test_truncated_rss_keeps_the_items_before_the_break():
    entries = extract_feed(truncated_feed(O), O)
    assert [e.url.split("?")[0] for e in entries] == [f"{O}/article/{n}" for n in range(1, 6)]


def test_relative_links_resolve_against_the_feed_and_rss1_about():
    rdf = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
           b'xmlns:dc="http://purl.org/dc/elements/1.1/"><item rdf:about="/a/1"><title>A</title>'
           b"<dc:date>2024-02-03</dc:date></item></rdf:RDF>")
    (entry,) = extract_feed(rdf, O + "/news/rss")
    assert entry.url == O + "/a/1" and entry.date_hint == datetime(2024, 2, 3, tzinfo=timezone.utc)


def test_entity_bomb_is_refused_with_bounded_memory():
    tracemalloc.start()
    try:
        with pytest.raises(ExtractionError, match="entit"):
            extract_feed(ENTITY_BOMB, O)
        utf16 = ENTITY_BOMB.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"').decode().encode("utf-16")
        with pytest.raises(ExtractionError):  # the byte-level check can't read it; lxml's own limit stops it
            extract_feed(utf16, O)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024  # an expanded billion-laughs would need gigabytes


def test_external_entities_are_refused():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<rss><channel><item><title>&x;</title><link>http://a.test/1</link></item></channel></rss>")
    with pytest.raises(ExtractionError):
        extract_feed(xxe, O)


@pytest.mark.parametrize("body", [b"", b"<html><body>not a feed", b"{\"no\": \"items\"}", b"\x00\x01"])
def test_not_a_feed_raises_extraction_error(body):
    with pytest.raises(ExtractionError):
        extract_feed(body, O)


# --- sitemaps -------------------------------------------------------------------------------------------


def test_news_sitemap_publication_date_beats_lastmod():
    doc = extract_sitemap(news_sitemap(O), O + "/sitemap.xml")
    assert len(doc.urls) == GOOD_ARTICLES and not doc.truncated and doc.sitemaps == ()
    first = doc.urls[0]
    assert (first.url, first.date_hint_source, first.title_hint) == (f"{O}/article/1", "news_sitemap", "Article 1")
    assert first.date_hint == datetime(2023, 11, 11, 10, tzinfo=timezone.utc)
    plain = extract_sitemap(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/x</loc>'
                            b"<lastmod>2024-01-02T03:04:05+01:00</lastmod></url></urlset>", O + "/s.xml")
    assert plain.urls[0].url == O + "/x" and plain.urls[0].date_hint_source == "sitemap_lastmod"
    assert plain.urls[0].date_hint == datetime(2024, 1, 2, 2, 4, 5, tzinfo=timezone.utc)


def test_sitemap_index_lists_children():
    doc = extract_sitemap(sitemap_index(O), O + "/sitemap_index.xml")
    assert doc.sitemaps == (f"{O}/sitemap_index.xml", f"{O}/sitemap.xml", f"{O}/sitemap-big.xml")
    assert doc.urls == () and doc.sitemap_lastmods == (None, None, None)
    dated = extract_sitemap(b'<sitemapindex><sitemap><loc>/a.xml</loc><lastmod>2024-03-01</lastmod></sitemap>'
                            b"</sitemapindex>", O + "/i.xml")
    assert dated.sitemaps == (O + "/a.xml",)
    assert dated.sitemap_lastmods == (datetime(2024, 3, 1, tzinfo=timezone.utc),)


def test_sitemap_index_children_carry_their_lastmod_in_utc():
    doc = extract_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          b"<sitemap><loc>/2026-01.xml</loc><lastmod>2026-01-31T23:30:00-02:00</lastmod></sitemap>"
                          b"<sitemap><loc>/undated.xml</loc></sitemap>"
                          b"<sitemap><loc>/bad.xml</loc><lastmod>last week</lastmod></sitemap>"
                          b"</sitemapindex>", O + "/index.xml")
    assert doc.sitemaps == (O + "/2026-01.xml", O + "/undated.xml", O + "/bad.xml")
    assert doc.sitemap_lastmods == (datetime(2026, 2, 1, 1, 30, tzinfo=timezone.utc), None, None)


def test_big_sitemap_is_capped():
    doc = extract_sitemap(big_sitemap(O), O + "/sitemap-big.xml")
    assert len(doc.urls) == MAX_SITEMAP_URLS and doc.truncated


# --- HTML -----------------------------------------------------------------------------------------------


def test_feed_autodiscovery_honours_base_and_types():
    page = (b'<html><head><base href="/sub/"><link rel="alternate" type="application/rss+xml" href="rss">'
            b'<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="http://site.example/atom">'
            b'<link rel="alternate" type="text/html" href="/fr/"><link rel="stylesheet" href="a.css">'
            b'<link rel="alternate" type="application/feed+json" href="/feed.json"></head><body></body></html>')
    assert extract_feed_links(page, O + "/x/y") == [O + "/sub/rss", O + "/atom", O + "/feed.json"]
    assert extract_feed_links(b"", O) == [] and extract_page_links("   ", O) == []


# --- select_candidates ----------------------------------------------------------------------------------


def cand(url, via="link", hint=None, hint_source=None, title=None):
    return Candidate(url=url, source="s", found_via=via, date_hint=hint, date_hint_source=hint_source,
                     title_hint=title)


def test_tracking_params_and_fragments_dedupe_to_one_candidate():
    urls = [f"{O}/a?utm_source=x&utm_medium=y", f"{O}/a?fbclid=1", f"{O}/a#comments", f"{O}/a?ref=home", f"{O}/a"]
    selected, skips = select_candidates([cand(u) for u in urls], SRC)
    assert [c.url for c in selected] == [f"{O}/a"] and skips == ()


def test_merge_keeps_first_found_via_and_best_date_hint():
    d1, d2 = datetime(2024, 1, 1, tzinfo=timezone.utc), datetime(2024, 1, 5, tzinfo=timezone.utc)
    found = [cand(f"{O}/a", "sitemap", d2, "sitemap_lastmod"), cand(f"{O}/a", "feed", d1, "feed", "Title"),
             cand(f"{O}/a", "sitemap", d2, "news_sitemap")]
    (only,), _ = select_candidates(found, SRC)
    assert (only.found_via, only.date_hint, only.date_hint_source, only.title_hint) == ("sitemap", d1, "feed", "Title")


def test_off_domain_bad_schemes_and_long_urls_are_skipped_with_reasons():
    urls = ["http://other.test/article/1", "https://evil.example/x", "mailto:a@site.example", "javascript:alert(1)",
            "data:text/html,hi", "ftp://site.example/f", f"{O}/" + "a" * 1500, "http://sub.site.example/ok", f"{O}/ok"]
    selected, skips = select_candidates([cand(u) for u in urls], SRC)
    assert [c.url for c in selected] == ["http://sub.site.example/ok", f"{O}/ok"]
    assert Counter(s.outcome for s in skips) == {"off_domain": 2, "invalid_url": 5}
    assert all(s.reason and s.stage == "plan" for s in skips)


def test_budget_newest_first_and_already_selected():
    found = [cand(f"{O}/undated/{n}", "sitemap") for n in range(5)] + [
        cand(f"{O}/dated/{n}", "feed", datetime(2024, 1, n + 1, tzinfo=timezone.utc), "feed") for n in range(5)]
    selected, skips = select_candidates(found, SRC, already_selected={f"{O}/x", f"{O}/y", f"{O}/undated/0"})
    assert [c.url for c in selected][:5] == [f"{O}/dated/{n}" for n in (4, 3, 2, 1, 0)]
    assert len(selected) == 7 and f"{O}/undated/0" not in {c.url for c in selected}
    assert [s.outcome for s in skips] == ["budget_exhausted"] * 2


def test_backlog_is_worked_down_over_runs():
    """URLs earlier runs finished go after the ones not yet fetched: a backlog bigger than the budget
    shrinks run by run instead of the newest few being re-checked forever."""
    src = Source(name="s", seeds=(O + "/",), max_pages_per_run=4)
    found = [cand(f"{O}/a/{n}", "sitemap", datetime(2024, 1, n + 1, tzinfo=timezone.utc), "sitemap_lastmod")
             for n in range(10)]
    finished: set[str] = set()
    runs = []
    for _ in range(3):
        selected, _ = select_candidates(found, src, finished=finished)
        runs.append([c.url.rsplit("/", 1)[1] for c in selected])
        finished |= {c.url for c in selected}
    assert runs == [["9", "8", "7", "6"], ["5", "4", "3", "2"], ["1", "0", "9", "8"]]
    # links of the source articles are re-checked every run, ahead of the backlog
    selected, _ = select_candidates([*found, cand(f"{O}/linked", "link")], src, finished=finished | {f"{O}/linked"})
    assert selected[0].url == f"{O}/linked"


def test_runaway_patterns_and_generated_paths_are_capped():
    src = Source(name="s", seeds=(O + "/",), max_pages_per_run=10_000)
    days = [cand(f"{O}/calendar/{y}/{m:02d}/{d:02d}") for y in range(2000, 2010) for m in range(1, 13)
            for d in range(1, 3)]
    items = [cand(f"{O}/item/{n}") for n in range(150)]  # not a family (no date, no page number): a shape
    loops = [cand(O + "/a/b" * 4), cand(O + "/" + "/".join(f"s{n}" for n in range(13)))]
    fed = [cand(f"{O}/news/{n}", "sitemap") for n in range(300)]
    selected, skips = select_candidates(days + items + loops + fed, src)
    assert sum(url_pattern(c.url).endswith("/calendar/N/N/N?") for c in selected) == MAX_PAGES_PER_FAMILY
    assert sum(url_pattern(c.url).endswith("/item/N?") for c in selected) == MAX_LINKS_PER_PATTERN
    assert sum(c.found_via == "sitemap" for c in selected) == 300  # published lists are not pattern-capped
    assert Counter(s.outcome for s in skips) == {"family_capped": len(days) - MAX_PAGES_PER_FAMILY,
                                                 "budget_exhausted": len(items) - MAX_LINKS_PER_PATTERN,
                                                 "invalid_url": 2}


# --- against the trap site ------------------------------------------------------------------------------


def test_fetch_plan_over_the_trap_site(trapsite):
    site = trapsite
    source = site.source(feeds=(site.url("/feed.xml"), site.url("/feed/truncated.xml"), site.url("/feed/bomb.xml")),
                         sitemaps=(site.url("/sitemap_index.xml"),), max_pages_per_run=40)
    settings = trap_settings(site)
    transport = RecordingTransport(guarded_transport(settings))

    async def go():
        async with Fetcher(settings, allowed_domains=source.domains, transport=transport) as fetcher:
            home = await fetcher.fetch(site.url("/"))
            return await fetch_plan(source, fetcher, seed_pages={home.final_url: home.body})

    plan = asyncio.run(go())
    paths = Counter(site.paths())
    assert paths["/sitemap_index.xml"] == 1 and paths["/sitemap.xml"] == 1 and paths["/sitemap-big.xml"] == 1
    assert paths["/atom.xml"] == paths["/feed.json"] == paths["/robots.txt"] == 1  # autodiscovered, robots cached
    assert transport.hosts() == {"127.0.0.1"}  # the other.test feed link was not followed
    assert len(plan.candidates) == 40 and len({c.url for c in plan.candidates}) == 40
    articles = [c for c in plan.candidates if "/article/" in c.url]
    assert sorted(c.url for c in articles) == [site.url(f"/article/{n}") for n in range(1, GOOD_ARTICLES + 1)]
    assert all(c.found_via == "feed" and c.found_on == site.url("/feed.xml") for c in articles)
    reasons = {s.url: (s.outcome, s.reason) for s in plan.skips if s.outcome != "budget_exhausted"}
    assert reasons[site.url("/feed/bomb.xml")][0] == "extract_failed"
    assert reasons["http://other.test/feed.xml"][0] == "off_domain"
    big = [s for s in plan.skips if s.url == site.url("/sitemap-big.xml")]
    assert big and "more than 50000" in big[0].reason
    over = sum(s.outcome == "budget_exhausted" for s in plan.skips)
    assert over == MAX_SITEMAP_URLS + GOOD_ARTICLES - 40 + 1  # the 50,000 + 5 unique pages, minus budget, + the cap note
    assert {r.url for r in plan.fetches} >= {site.url("/feed/bomb.xml"), site.url("/sitemap-big.xml")}
    assert all(r.attempts for r in plan.fetches)


def crawl(site, start_paths, source, rounds=300):
    """A minimal link crawl (what the flow does with seed/in-article links): returns (fetched, skips).
    Asserts on the way out that no request left 127.0.0.1."""
    settings = trap_settings(site)
    transport = RecordingTransport(guarded_transport(settings))

    async def go():
        fetched, skips = [], []
        frontier = [Candidate(site.url(p), source.name, "seed") for p in start_paths]
        taken: set[str] = set()
        async with Fetcher(settings, allowed_domains=source.domains, transport=transport) as fetcher:
            for _ in range(rounds):
                chosen, skipped = select_candidates(frontier, source, already_selected=taken)
                skips.extend(skipped)
                if not chosen:
                    return fetched, skips
                taken.update(c.url for c in chosen)
                frontier = []
                async for r in fetcher.fetch_many([(c.url, None) for c in chosen]):
                    fetched.append(r)
                    if r.ok:
                        frontier += [Candidate(u, source.name, "link", found_on=r.url)
                                     for u in extract_page_links(r.body, r.final_url)]
        raise AssertionError("the crawl did not converge")

    fetched, skips = asyncio.run(go())
    assert transport.hosts() <= {"127.0.0.1"}
    return fetched, skips


def test_infinite_calendar_is_bounded(trapsite):
    source = trapsite.source(max_pages_per_run=100_000)
    fetched, skips = crawl(trapsite, ["/calendar/2024/05"], source)
    assert len(fetched) <= 2 * MAX_PAGES_PER_FAMILY + 1  # months and days: one family each
    assert any(s.outcome == "family_capped" and "calendar/{date}" in s.reason for s in skips)


def test_page_with_5000_links_respects_the_budget(trapsite):
    source = trapsite.source(max_pages_per_run=30)
    fetched, skips = crawl(trapsite, ["/trap/many-links"], source)
    assert len(fetched) == 30
    assert Counter(s.outcome for s in skips)["budget_exhausted"] == 5000 - 29


def test_links_to_other_hosts_are_never_requested(trapsite):
    fetched, skips = crawl(trapsite, ["/trap/other-hosts"], trapsite.source())
    assert {s.outcome for s in skips} == {"off_domain", "invalid_url"}
    assert sorted(r.url for r in fetched) == [trapsite.url("/article/1"), trapsite.url("/trap/other-hosts")]


def test_same_article_under_several_urls_is_fetched_once(trapsite):
    fetched, _ = crawl(trapsite, ["/trap/duplicates"], trapsite.source())
    paths = Counter(trapsite.paths())
    assert paths["/trap/duplicate"] == 1 and paths["/trap/duplicate-amp"] == 1
    amp = next(r for r in fetched if r.url.endswith("duplicate-amp"))
    assert b'rel="canonical" href="' + trapsite.url("/trap/duplicate").encode() in amp.body  # extraction dedupes it
    assert len(fetched) == 3
