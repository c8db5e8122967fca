"""Templates learned per source: blocks repeated across a source's pages, learned at the end of each run
from the pages' stored fingerprints, applied at ingest and by reprocess, never removing prose."""

from __future__ import annotations

from collections import Counter

import pytest

from dbquery import query as _rows
from extractors.content import extract_article
from extractors.models import SiteProfile
from flows.cli import main
from templatesite import BOXES, QUOTE, SOURCE, article_lines, page_html, serve_template_site
from warehouse.templates import TEMPLATE_RULE

LEAKING = BOXES  # all three survive trafilatura and the generic clean-up (checked below)


def _texts(db) -> dict[str, str]:
    return dict(_rows(db, "SELECT url, text FROM articles WHERE source = ?", SOURCE))


def _boxes_left(texts: dict[str, str]) -> int:
    return sum(box in text for text in texts.values() for box in LEAKING)


def test_the_fixtures_boxes_pass_the_generic_clean_up():
    text = extract_article(page_html(3), "http://h.example/news/story-3/").text
    assert all(box in text for box in LEAKING)


@pytest.fixture(scope="module")
def site_db(prefect_engine, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("templates")
    db, config = tmp / "themewire.duckdb", tmp / "themewire.toml"
    with serve_template_site(pages=12) as site:
        config.write_text(site.config_text(), encoding="utf-8")
        assert main(["ingest", "--config", str(config), "--db", str(db)]) == 0
        yield {"db": db, "config": config, "site": site}


def test_ingest_learns_the_template_from_the_runs_pages(site_db):
    db = site_db["db"]
    texts = _texts(db)
    assert len(texts) == 12
    assert _boxes_left(texts) == 36  # learned at the end of the run: this run's pages still have them
    versions = _rows(db, "SELECT template_version, rule, pages, blocks FROM source_template_versions "
                         "WHERE source = ?", SOURCE)
    assert versions == [(1, TEMPLATE_RULE, 12, 3)]
    learned = _rows(db, "SELECT sample_text, pages_seen, dom_path FROM source_templates WHERE source = ? "
                        "ORDER BY sample_text", SOURCE)
    assert [t for t, _, _ in learned] == sorted(b.lower() for b in BOXES)
    assert all(n == 12 for _, n, _ in learned)
    assert {p for _, _, p in learned} == {"main>article>div.copy>div.aux>p", "main>article>div.copy>div.aux-b>p",
                                          "main>article>div.note>p"}
    assert QUOTE.lower()[:50] not in " ".join(t for t, _, _ in learned)  # on two pages only
    # the fingerprints kept per page: the blocks trafilatura kept, prose included
    per_page = _rows(db, "SELECT count(*) FROM page_blocks WHERE source = ? GROUP BY url", SOURCE)
    assert len(per_page) == 12 and all(n >= 7 for (n,) in per_page)


def test_a_new_page_is_ingested_without_the_boxes_and_reprocess_cleans_the_old_rows(site_db, capsys):
    db, config, site = site_db["db"], site_db["config"], site_db["site"]
    site.add_page(13)
    assert main(["ingest", "--config", str(config), "--db", str(db)]) == 0
    texts = _texts(db)
    new = texts[site.url(13)]
    assert not any(box in new for box in LEAKING)
    assert all(line in new for line in article_lines(13))
    assert _boxes_left(texts) == 36  # the old rows: not fetched again
    # the same template: no new version
    assert _rows(db, "SELECT max(template_version) FROM source_template_versions WHERE source = ?",
                 SOURCE) == [(1,)]

    site.requests.clear()
    capsys.readouterr()
    assert main(["reprocess", "--config", str(config), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert site.requests == []
    assert f"reprocess {SOURCE}: 13 stored pages re-extracted; texts changed 12," in out
    texts = _texts(db)
    assert _boxes_left(texts) == 0
    for i in range(1, 14):  # every prose line stays (text recall 1.0), and the quote on its two pages
        text = texts[site.url(i)]
        assert all(line in text for line in article_lines(i)), i
        assert (QUOTE in text) == (i in (1, 2))
    assert _rows(db, "SELECT max(template_version) FROM source_template_versions WHERE source = ?",
                 SOURCE) == [(1,)]


# --- the guards, on extraction alone ----------------------------------------------------------------------

def _template_of(pages: list[str], min_pages: int = 3) -> frozenset[str]:
    """What the warehouse learns (warehouse/templates.py), counted here from the pages' fingerprints."""
    counts = Counter(b.block_hash for i, html in enumerate(pages)
                     for b in extract_article(html, f"http://h.example/{i}", profile=SiteProfile(fingerprint=True))
                     .block_prints)
    return frozenset(h for h, n in counts.items() if n >= min_pages)


LONG = ("The harbour master, who has run the port for eleven years, described in detail how the tides, the "
        "silt from the river and the size of modern ships have forced every plan since the 1990s to be "
        "rewritten, and why this one, unlike the others, has money from both the state and the shipowners.")


def _prose_page(i: int, extra: str) -> str:
    lines = article_lines(i)
    return (f"<html><body><main><article><h1>Story {i}</h1><div class='copy'><p>{lines[0]}</p><p>{lines[1]}</p>"
            f"{extra}<p>{lines[2]}</p><p>{lines[3]}</p></div></article></main></body></html>")


def test_a_long_paragraph_repeated_in_the_prose_stays_even_when_learned():
    pages = [_prose_page(i, f"<p>{LONG}</p>") for i in range(4)]
    template = _template_of(pages)
    assert template  # it repeats on four pages: learned ...
    text = extract_article(_prose_page(7, f"<p>{LONG}</p>"), "http://h.example/7",
                           profile=SiteProfile(template=template)).text
    assert LONG in text  # ... but inside the prose and longer than a box: kept


def test_a_short_box_inside_the_prose_is_removed_and_the_article_keeps_its_lines():
    box = "Every Friday our editors pick five stories from the harbour for you."
    pages = [_prose_page(i, f"<div class='x'><p>{box}</p></div>") for i in range(4)]
    article = extract_article(_prose_page(8, f"<div class='x'><p>{box}</p></div>"), "http://h.example/8",
                              profile=SiteProfile(template=_template_of(pages)))
    assert box not in article.text and article.template_removed == 1
    assert all(line in article.text for line in article_lines(8))


def test_the_template_never_removes_more_than_a_share_of_the_article():
    boxes = "".join(f"<div class='x{k}'><p>Box number {k} says the same thing on every page of the site.</p></div>"
                    for k in range(12))
    pages = [_prose_page(i, boxes) for i in range(4)]
    article = extract_article(_prose_page(9, boxes), "http://h.example/9",
                              profile=SiteProfile(template=_template_of(pages)))
    removed = sum(f"Box number {k} " not in article.text for k in range(12))
    assert 0 < removed < 12  # some removed, within MAX_REMOVED_SHARE of the text
    assert all(line in article.text for line in article_lines(9))


def test_a_quote_repeated_on_two_pages_is_not_learned():
    pages = [_prose_page(i, f"<p>{QUOTE}</p>" if i < 2 else "") for i in range(6)]
    template = _template_of(pages)
    text = extract_article(pages[0], "http://h.example/0", profile=SiteProfile(template=template)).text
    assert QUOTE in text


def test_without_a_profile_no_fingerprints_are_made():
    assert extract_article(page_html(1), "http://h.example/1").block_prints == ()
