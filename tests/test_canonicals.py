"""Canonical URLs: trusted only on the page's own site, never overwriting another URL's different body,
and every decision recorded (canonical_decisions), counted in the runs row and the run summary.

The end-to-end part runs `themewire ingest` in-process on the real Prefect engine against a real site on
127.0.0.1 (tests/canonsite.py) into a real DuckDB file."""

from __future__ import annotations

from dataclasses import replace

import pytest

from canonsite import FOREIGN, N_CANONICALS, N_PAGES, serve_canon_site
from dbquery import query as _q
from extractors.models import CanonicalDecision
from extractors.process import extract_trusted_canonical
from extractors.urls import site_of
from factories import BASE_TIME, make_article, make_page
from flows.cli import main
from warehouse import RunInfo, Warehouse, article_id_for

# --- the trust rule (pure) ------------------------------------------------------------------------------


def test_a_canonical_on_another_origin_is_ignored_and_the_page_keeps_its_own_url():
    a = make_article(1, url="https://news.example/story/1", canonical_url="https://foreign.example/c/0")
    kept, decision = extract_trusted_canonical(a)
    assert kept.canonical_url == "https://news.example/story/1"
    assert decision.decision == "ignored" and decision.canonical_url == "https://foreign.example/c/0"
    assert "foreign.example" in decision.reason and "news.example" in decision.reason


@pytest.mark.parametrize("page, canonical", [
    ("https://news.example/amp/story", "https://news.example/story"),       # AMP path
    ("https://amp.news.example/story", "https://www.news.example/story"),   # AMP and www hosts
    ("http://news.example/story", "https://news.example/story"),            # http vs https
    ("https://news.example/story?page=1", "https://news.example/story"),
    ("http://127.0.0.1:8765/a", "https://127.0.0.1:8765/story"),
])
def test_a_canonical_on_the_pages_own_site_is_trusted(page, canonical):
    kept, decision = extract_trusted_canonical(make_article(1, url=page, canonical_url=canonical))
    assert kept.canonical_url == canonical and decision.decision == "merged" and decision.url == page


@pytest.mark.parametrize("page, canonical", [
    ("http://127.0.0.1:8765/a", "http://127.0.0.1:9999/a"),   # another port is another origin
    ("https://news.example/a", "https://news.example.evil/a"),
    ("https://blog.news.example/a", "https://news.example/a"),  # only www./amp./m./mobile. are the same site
])
def test_another_port_or_host_is_another_origin(page, canonical):
    kept, decision = extract_trusted_canonical(make_article(1, url=page, canonical_url=canonical))
    assert decision.decision == "ignored" and kept.canonical_url == page
    assert site_of(page) != site_of(canonical)


def test_a_self_canonical_is_no_decision():
    a = make_article(1, url="https://news.example/a", canonical_url="https://news.example/a")
    assert extract_trusted_canonical(a) == (a, None)


# --- the load (real DuckDB) -----------------------------------------------------------------------------


def _claiming(i: int, canonical: str, **kw):
    """Page i (its own URL and body) whose same-site canonical names `canonical`, as extraction leaves it."""
    p = make_page(i, canonical_url=canonical, **kw)
    return replace(p, canonical=CanonicalDecision(p.article.url, canonical, "merged", "canonical on the page's own site"))


def test_a_canonical_naming_another_urls_different_article_keeps_the_page_apart(tmp_path):
    db, canonical = tmp_path / "tw.duckdb", "https://news.example/c/0/"
    first = _claiming(1, canonical)
    same_body = _claiming(2, canonical, text=first.article.text)
    other_body = _claiming(3, canonical)
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        c1 = wh.load_pages("r1", "sample", [first])
        c2 = wh.load_pages("r1", "sample", [same_body, other_body])  # a later batch: compared to the stored row
        wh.load_run_finished("r1", "sample", "completed")
        wh.publish()
    assert (c1.canonical_merged, c2.canonical_merged, c2.canonical_kept_apart) == (1, 1, 1)
    rows = _q(db, "SELECT url, article_id, decision FROM canonical_decisions ORDER BY url")
    assert rows == [(first.candidate.url, article_id_for(canonical), "merged"),
                    (same_body.candidate.url, article_id_for(canonical), "merged"),
                    (other_body.candidate.url, article_id_for(other_body.article.url), "kept_apart")]
    assert _q(db, "SELECT article_id, canonical_url FROM articles ORDER BY canonical_url") == [
        (article_id_for(other_body.article.url), other_body.article.url), (article_id_for(canonical), canonical)]
    assert _q(db, "SELECT reason FROM canonical_decisions WHERE decision = 'kept_apart'")[0][0].startswith(
        f"canonical names article {article_id_for(canonical)}, stored from {first.article.url}")
    assert _q(db, "SELECT canonical_merged, canonical_kept_apart, canonical_ignored FROM runs") == [(2, 1, 0)]


def test_distinct_bodies_claiming_one_canonical_in_one_batch_are_all_kept(tmp_path):
    db, canonical = tmp_path / "tw.duckdb", "https://news.example/c/9/"
    pages = [_claiming(i, canonical) for i in range(10, 15)]
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        counts = wh.load_pages("r1", "sample", pages)
        wh.publish()
    assert _q(db, "SELECT count(*) FROM articles") == [(5,)]
    assert (counts.canonical_merged, counts.canonical_kept_apart) == (1, 4)
    texts = {t for (t,) in _q(db, "SELECT text FROM articles")}
    assert texts == {p.article.text for p in pages}


def test_reloading_the_page_that_holds_the_canonical_is_no_conflict(tmp_path):
    db, canonical = tmp_path / "tw.duckdb", "https://news.example/c/1/"
    page = _claiming(20, canonical)
    changed = _claiming(20, canonical, text="A rewritten version of the story about chatbots.",
                        fetched_at=BASE_TIME.replace(day=6))
    with Warehouse.open(db) as wh:
        wh.load_run_started(RunInfo("r1", "ingest", "sample", BASE_TIME))
        wh.load_pages("r1", "sample", [page])
        c = wh.load_pages("r1", "sample", [changed])  # the same URL: its own update, not another page
        wh.publish()
    assert (c.canonical_merged, c.canonical_kept_apart) == (1, 0)
    assert _q(db, "SELECT article_id, text FROM articles") == [
        (article_id_for(canonical), "A rewritten version of the story about chatbots.")]


# --- end to end: 300 pages claiming 6 canonicals ---------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(prefect_engine, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("canon")
    with serve_canon_site() as site:
        cfg = tmp / "themewire.toml"
        cfg.write_text(site.config("\n".join([
            site.source("foreign", sitemaps=["/sitemap-foreign.xml"]),
            site.source("same", sitemaps=["/sitemap-same.xml"]),
            site.source("legit", sitemaps=["/sitemap-legit.xml"])])), encoding="utf-8")
        db = tmp / "tw.duckdb"
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["ingest", "--config", str(cfg), "--db", str(db)])
        yield {"code": code, "db": db, "out": out.getvalue(), "site": site}


def test_300_pages_claiming_6_foreign_canonicals_are_300_articles(ingested):
    db = ingested["db"]
    assert ingested["code"] == 0
    assert _q(db, "SELECT count(*), count(DISTINCT canonical_url) FROM articles WHERE source = 'foreign'") == [
        (N_PAGES, N_PAGES)]
    assert _q(db, "SELECT count(*) FROM articles WHERE source = 'foreign' AND canonical_url LIKE ?",
              FOREIGN + "%") == [(0,)]
    # no silent merge: every page is its own article, and every ignored claim is a row with its reason
    assert _q(db, "SELECT count(DISTINCT article_id) FROM urls WHERE source = 'foreign' AND url LIKE '%/f/%'") == [
        (N_PAGES,)]
    assert _q(db, "SELECT decision, count(*), count(DISTINCT canonical_url) FROM canonical_decisions "
                  "WHERE source = 'foreign' GROUP BY decision") == [("ignored", N_PAGES, N_CANONICALS)]
    assert _q(db, "SELECT canonical_merged, canonical_ignored, canonical_kept_apart FROM runs "
                  "WHERE source = 'foreign'") == [(0, N_PAGES, 0)]
    assert (f"canonicals: 0 merged into another URL's article, {N_PAGES} ignored (on another origin), "
            "0 kept apart") in ingested["out"]


def test_300_same_site_pages_with_different_bodies_are_kept_not_overwritten(ingested):
    db = ingested["db"]
    assert _q(db, "SELECT count(*) FROM articles WHERE source = 'same'") == [(N_PAGES,)]
    decisions = dict(_q(db, "SELECT decision, count(*) FROM canonical_decisions WHERE source = 'same' "
                            "GROUP BY decision"))
    assert decisions == {"merged": N_CANONICALS, "kept_apart": N_PAGES - N_CANONICALS}
    # every page's own title is stored: none replaced another
    titles = {t for (t,) in _q(db, "SELECT title FROM articles WHERE source = 'same'")}
    assert titles == {f"Same-site claim {n}" for n in range(N_PAGES)}
    assert _q(db, "SELECT canonical_merged, canonical_kept_apart FROM runs WHERE source = 'same'") == [
        (N_CANONICALS, N_PAGES - N_CANONICALS)]


def test_legitimate_same_site_variants_still_merge_into_one_article(ingested):
    db, site = ingested["db"], ingested["site"]
    assert _q(db, "SELECT article_id, canonical_url FROM articles WHERE source = 'legit'") == [
        (article_id_for(site.story_canonical), site.story_canonical)]
    # tracking query (normalised to /story), AMP, ?page=1, another http URL: all one article
    fetched = {u for (u,) in _q(db, "SELECT url FROM urls WHERE source = 'legit' AND last_outcome = 'ok'")}
    assert fetched == {f"{site.base}/story", f"{site.base}/amp/story", f"{site.base}/story?page=1",
                       f"{site.base}/story-http"}
    assert _q(db, "SELECT DISTINCT article_id FROM urls WHERE source = 'legit' AND last_outcome = 'ok'") == [
        (article_id_for(site.story_canonical),)]
    assert _q(db, "SELECT count(*) FROM canonical_decisions WHERE source = 'legit' AND decision = 'merged'") == [
        (4,)]
